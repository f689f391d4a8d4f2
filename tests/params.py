"""Test helper: a complete params dict built from the dataclass defaults, never from the
repository's params.yaml (which a user may tune, or ``dvc exp run -S`` may change)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from models.params import TrainParams
from models.report import ReportParams
from models.zoo import MODELS
from pipeline.asr.params import AsrParams
from pipeline.audio.params import AudioParams
from pipeline.cache import DEFAULT_CACHE_DIR
from pipeline.corpus.params import CorpusParams
from pipeline.labels import LabelParams
from pipeline.params import to_dict
from pipeline.splits import SplitParams
from pipeline.text.params import GloveParams, TextParams
from pipeline.video.params import VideoParams

SECTIONS: dict[str, type] = {
    "corpus": CorpusParams,
    "labels": LabelParams,
    "split": SplitParams,
    "audio": AudioParams,
    "asr": AsrParams,
    "text": TextParams,
    "glove": GloveParams,
    "video": VideoParams,
    "train": TrainParams,
    "report": ReportParams,
}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def default_params() -> dict[str, Any]:
    """Every section of params.yaml with its dataclass defaults (plain YAML types)."""
    params = {name: to_dict(cls()) for name, cls in SECTIONS.items()}
    params["models"] = {name: to_dict(cls.params_type()) for name, cls in MODELS.items()}
    params["cache"] = {"dir": str(DEFAULT_CACHE_DIR)}
    return _plain(params)


def write_default_params(path: Path, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write :func:`default_params` with dotted-key ``changes`` applied to ``path``; return it."""
    params = default_params()
    for dotted, value in (changes or {}).items():
        *parents, last = dotted.split(".")
        node = params
        for part in parents:
            node = node[part]
        assert last in node, f"no params key {dotted}"
        node[last] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    return params
