"""What the features of a run were made with, read from the feature folders' ``meta.json``.

:func:`features_used` returns one entry per line of the report's "features used" list; each
line is one small function of the metas in :data:`LINES`, so a new fact is one more function.
Datasets record their own provenance (normalisation, vocabulary scope), passed in as
``dataset``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipeline import paths
from pipeline.io import read_json

Metas = Mapping[str, Mapping[str, Any]]  # "audio" / "text" / "video" / "dataset" → its meta


def get(meta: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    """The first of several possible dotted keys present in a meta.json."""
    for key in keys:
        node: Any = meta
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            return node
    return default


def read_metas(features: Path = paths.FEATURES) -> dict[str, dict[str, Any]]:
    """The audio, text and video ``meta.json`` (empty where a folder has none)."""
    out = {}
    for name in ("audio", "text", "video"):
        path = features / name / "meta.json"
        out[name] = read_json(path) if path.exists() else {}
    return out


def random_video_weights(metas: Metas) -> bool:
    """Whether the video features come from random (not ImageNet) ResNet-101 weights."""
    return bool(get(metas["video"], "random_weights", default=False))


def text_source(metas: Metas) -> str:
    """``gold`` or ``asr``: where the models' text came from."""
    return get(metas["text"], "source", default="?")


def _audio(metas: Metas) -> str:
    backend = get(metas["audio"], "backend", "params.backend", default="?")
    return f"{backend} (normalisation: {get(metas['dataset'], 'audio_normalize', default='?')})"


def _text(metas: Metas) -> str:
    text = metas["text"]
    asr = get(text, "asr_backend", default="")
    source = text_source(metas) + (f" (ASR: {asr})" if asr else "")
    vectors = get(text, "embedding.source", default="?")
    embedding = f"{vectors} ({get(text, 'embedding.dim', default='?')}-d)"
    vocabulary = get(metas["dataset"], "vocab_scope", default="?")
    split = get(text, "tokenizer.sentence_split.name", default="?")
    return f"{source}, sentence split: {split}, embedding {embedding}, vocabulary: {vocabulary}"


def _video(metas: Metas) -> str:
    if random_video_weights(metas):
        return "**⚠ RANDOM ResNet-101 weights — video features carry no ImageNet knowledge**"
    return f"ResNet-101 weights: {get(metas['video'], 'weights.source', default='?')}"


LINES: tuple[tuple[str, Callable[[Metas], str]], ...] = (
    ("audio", _audio),
    ("text", _text),
    ("video", _video),
)


def features_used(metas: Metas) -> list[tuple[str, str]]:
    """``(label, description)`` per line of the report's "features used" list."""
    return [(label, line(metas)) for label, line in LINES]
