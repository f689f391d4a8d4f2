"""A content-addressed, per-item cache shared by the audio, ASR and video extractors.

Each extractor has its own folder; the key of an item is a hash of its input bytes, the
parameters that affect its output and the fingerprint of the code that computes it
(:func:`pipeline.fingerprint.code_fingerprint`: the source of every in-repo module involved and
the versions of the libraries they use), so an edit of that code or a library upgrade recomputes
everything and nothing else does. Values are written atomically, so an interrupted run resumes
where it stopped and switching a backend back and forth recomputes nothing.

The cache never turns a machine problem into a wrong result: a folder it cannot write (read-only,
disk full, a path that is a file) stops the run with a :class:`CacheError` naming it, and an entry
that cannot be read back (truncated, corrupt) is deleted with a warning and recomputed.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from pipeline.errors import MmserError, StopRun
from pipeline.fingerprint import code_fingerprint
from pipeline.io import write_bytes, write_json

log = logging.getLogger(__name__)

CACHE_HINT = "cache.dir in params.yaml must be a writable folder with free space; it is safe to "
CACHE_HINT += "delete or move (everything in it is recomputed)"
# What reading a damaged entry can raise (np.load of a truncated .npz, bad JSON, bad bytes).
_CORRUPT = (
    ValueError,
    EOFError,
    KeyError,
    zipfile.BadZipFile,
    json.JSONDecodeError,
    UnicodeDecodeError,
)


@dataclass(frozen=True)
class CacheParams:
    """``cache:`` section of params.yaml: where the per-item cache lives (safe to delete)."""

    dir: str = ".cache/mmser"


class CacheError(StopRun):
    """The cache folder cannot be used (not the item's fault): stops the run."""


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
        config: Everything else that changes the output (backend params); hashed into every key.
        code: The module that computes the items (its closure's fingerprint is in every key).
        kind: ``arrays`` (a dict of numpy arrays, stored as ``.npz``) or ``json``.
    """

    def __init__(
        self,
        root: str | Path,
        namespace: str,
        config: Mapping[str, Any],
        code: str,
        kind: Literal["arrays", "json"] = "arrays",
    ) -> None:
        self.folder = Path(root) / namespace
        self.kind = kind
        self._suffix = ".npz" if kind == "arrays" else ".json"
        self._config_hash = stable_hash({"config": dict(config), "code": code_fingerprint(code)})

    def key(self, content_digest: str) -> str:
        """The cache key of an item whose input bytes hash to ``content_digest``."""
        return hashlib.sha256(f"{self._config_hash}:{content_digest}".encode()).hexdigest()

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` is stored."""
        return self.folder / key[:2] / f"{key}{self._suffix}"

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``; ``None`` on a miss or a corrupt entry (deleted).

        Raises:
            CacheError: if the entry exists but cannot be read (permissions, I/O error).
        """
        path = self.path(key)
        try:
            if self.kind == "json":
                return json.loads(path.read_bytes().decode("utf-8"))
            with np.load(path, allow_pickle=False) as data:
                return {name: data[name] for name in data.files}
        except (FileNotFoundError, NotADirectoryError):
            return None
        except _CORRUPT as exc:
            self.discard(key, f"{type(exc).__name__}: {exc}")
            return None
        except OSError as exc:
            raise CacheError(
                f"cannot read the item cache: {exc.strerror or exc}", file=path, hint=CACHE_HINT
            ) from None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` atomically.

        Raises:
            CacheError: naming the cache folder, if it cannot be written.
        """
        path = self.path(key)
        try:
            if self.kind == "json":
                write_json(path, value)
            else:
                buffer = io.BytesIO()
                np.savez(buffer, **value)
                write_bytes(path, buffer.getvalue())
        except (OSError, MmserError) as exc:  # atomic writes name an unwritable folder
            reason = exc.strerror if isinstance(exc, OSError) else exc.message
            raise CacheError(
                f"cannot write the item cache: {reason or exc}", file=self.folder, hint=CACHE_HINT
            ) from None

    def discard(self, key: str, reason: str) -> None:
        """Delete a damaged entry (with a warning); the item is then recomputed."""
        path = self.path(key)
        log.warning("discarding corrupt cache entry %s (%s); recomputing it", path, reason)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot delete a corrupt cache entry: {exc.strerror or exc}",
                file=path,
                hint=CACHE_HINT,
            ) from None
