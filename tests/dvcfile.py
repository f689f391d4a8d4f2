"""Test helper: the stages of dvc.yaml with ``foreach`` expanded and ``${...}`` filled in from
the default params (not the repository's params.yaml, which a user may tune)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.params import default_params

ROOT = Path(__file__).resolve().parents[1]
DVC = yaml.safe_load((ROOT / "dvc.yaml").read_text())
PARAMS = default_params()


def expand_stages(dvc: dict[str, Any] = DVC) -> dict[str, dict[str, Any]]:
    """Stages with ``foreach`` expanded (``${item}``, ``${item.<field>}``, ``${key}`` filled in)."""
    out: dict[str, dict[str, Any]] = {}
    for name, stage in dvc["stages"].items():
        if "foreach" in stage:
            items = stage["foreach"]
            keys = items if isinstance(items, list) else list(items)
            for key in keys:
                text = yaml.safe_dump(stage["do"]).replace("${item}", str(key))
                fields = (
                    items[key] if isinstance(items, dict) and isinstance(items[key], dict) else {}
                )
                for field, value in fields.items():  # dict items: ${item.<field>}
                    text = text.replace(f"${{item.{field}}}", str(value))
                out[f"{name}@{key}"] = yaml.safe_load(text.replace("${key}", str(key)))
        else:
            out[name] = stage
    return out


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
