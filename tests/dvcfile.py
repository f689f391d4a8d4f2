"""Test helper: the stages of dvc.yaml as DVC resolves them with the default params (not the
repository's params.yaml, which a user may tune)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from dvc.parsing import DataResolver
from dvc.repo import Repo

from tests.params import default_params, write_default_params

ROOT = Path(__file__).resolve().parents[1]
DVC = yaml.safe_load((ROOT / "dvc.yaml").read_text())
PARAMS = default_params()


def expand_stages(dvc: dict[str, Any] = DVC) -> dict[str, dict[str, Any]]:
    """Every stage as DVC itself resolves it against the default params: ``foreach`` and
    ``matrix`` expanded (``train-r1@are-1``), ``vars`` and ``${...}`` filled in."""
    with tempfile.TemporaryDirectory() as folder:
        write_default_params(Path(folder) / "params.yaml")
        with Repo(str(ROOT)) as repo:
            return DataResolver(repo, folder, dvc).resolve()["stages"]


STAGES = expand_stages()


def lookup(dotted: str, params: dict[str, Any] = PARAMS) -> Any:
    """The params value at a dotted key (an assertion names a missing one)."""
    node: Any = params
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"params lack {dotted}"
        node = node[part]
    return node


def interpolate(text: str) -> str:
    """``text`` with every ``${dotted.key}`` replaced by its default params value."""
    return re.sub(r"\$\{([^}]+)\}", lambda m: str(lookup(m.group(1))), text)


def entry_path(entry: str | dict[str, Any]) -> str:
    """The path of a deps/outs/metrics/plots entry (``path`` or ``{path: options}``)."""
    return interpolate(entry if isinstance(entry, str) else next(iter(entry)))
