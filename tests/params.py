"""Test helper: params that do not come from the live params.yaml (which a user may tune, or
``dvc exp run -S`` may change): the dataclass defaults, or the committed file's text."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from pipeline.config import Params
from pipeline.params import to_dict

ROOT = Path(__file__).resolve().parents[1]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def default_params() -> dict[str, Any]:
    """Every section of params.yaml with its dataclass defaults (plain YAML types)."""
    return _plain(to_dict(Params()))


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


def committed_params_text() -> str:
    """params.yaml as committed (its layout and comments, the defaults), else the file itself
    outside a git checkout."""
    shown = subprocess.run(
        ["git", "show", "HEAD:params.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode == 0:
        return shown.stdout
    return (ROOT / "params.yaml").read_text(encoding="utf-8")
