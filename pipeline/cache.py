"""A content-addressed, per-item cache shared by the audio, ASR and video extractors.

Each extractor has its own folder; the key of an item is a hash of its input bytes, the
parameters that affect its output and the extractor's code version. Values are written
atomically, so an interrupted run resumes where it stopped and switching a backend back and forth
recomputes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import MmserError
from pipeline.io import write_bytes, write_json


@dataclass(frozen=True)
class CacheParams:
    """``cache:`` section of params.yaml: where the per-item cache lives (safe to delete)."""

    dir: str = ".cache/mmser"


def file_digest(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        raise MmserError("file not found", file=path) from None


def stable_hash(obj: Any) -> str:
    """SHA-256 of a JSON-serialisable object with sorted keys (params, configs)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ItemCache:
    """Cache of per-item results for one extractor configuration.

    Args:
        root: Cache root folder (``cache.dir`` in params.yaml).
        namespace: Extractor name, e.g. ``"audio/opensmile"``; becomes a sub-folder.
        config: Everything that changes the output (backend params); hashed into every key.
        version: The extractor's code version; bump it when the computation changes.
    """

    def __init__(
        self, root: str | Path, namespace: str, config: Mapping[str, Any], version: str
    ) -> None:
        self.folder = Path(root) / namespace
        self._config_hash = stable_hash({"config": dict(config), "version": version})

    def key(self, content_digest: str) -> str:
        """The cache key of an item whose input bytes hash to ``content_digest``."""
        return hashlib.sha256(f"{self._config_hash}:{content_digest}".encode()).hexdigest()

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get_arrays(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under ``key``, or ``None`` on a miss (or an unreadable entry)."""
        path = self._path(key, ".npz")
        try:
            with np.load(path, allow_pickle=False) as data:
                return {name: data[name] for name in data.files}
        except (FileNotFoundError, ValueError, OSError, EOFError):
            return None

    def put_arrays(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        """Store named arrays under ``key`` atomically."""
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        write_bytes(self._path(key, ".npz"), buffer.getvalue())

    def get_json(self, key: str) -> Any | None:
        """The JSON value stored under ``key``, or ``None`` on a miss."""
        path = self._path(key, ".json")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put_json(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under ``key`` atomically."""
        write_json(self._path(key, ".json"), value)
