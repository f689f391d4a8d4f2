"""dvc.yaml, params.yaml and the code agree: stages exist, declared params exist, deps exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DVC = yaml.safe_load((ROOT / "dvc.yaml").read_text())
PARAMS = yaml.safe_load((ROOT / "params.yaml").read_text())


def _stages() -> dict[str, dict[str, Any]]:
    """Stages with ``foreach`` expanded over their items (``${item}`` / ``${key}`` substituted)."""
    out: dict[str, dict[str, Any]] = {}
    for name, stage in DVC["stages"].items():
        if "foreach" in stage:
            items = stage["foreach"]
            keys = items if isinstance(items, list) else list(items)
            for key in keys:
                text = yaml.safe_dump(stage["do"]).replace("${item}", str(key))
                out[f"{name}@{key}"] = yaml.safe_load(text.replace("${key}", str(key)))
        else:
            out[name] = stage
    return out


STAGES = _stages()


def _lookup(dotted: str) -> Any:
    node: Any = PARAMS
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"params.yaml lacks {dotted}"
        node = node[part]
    return node


def _interpolate(text: str) -> str:
    return re.sub(r"\$\{([^}]+)\}", lambda m: str(_lookup(m.group(1))), text)


@pytest.mark.parametrize("name", sorted(STAGES))
def test_stage_command_module_exists(name: str) -> None:
    match = re.search(r"python -m (stages\.\w+)", STAGES[name]["cmd"])
    assert match, f"{name}: cmd must run python -m stages.<name>"
    assert (ROOT / (match.group(1).replace(".", "/") + ".py")).is_file()


@pytest.mark.parametrize("name", sorted(STAGES))
def test_declared_params_exist(name: str) -> None:
    for entry in STAGES[name].get("params", []):
        keys = entry if isinstance(entry, str) else next(iter(entry.values()))
        for key in [keys] if isinstance(keys, str) else keys:
            _lookup(_interpolate(key))


def _outputs() -> set[str]:
    outs = set()
    for stage in STAGES.values():
        for kind in ("outs", "metrics", "plots"):
            for entry in stage.get(kind, []):
                outs.add(_interpolate(entry if isinstance(entry, str) else next(iter(entry))))
    return outs


@pytest.mark.parametrize("name", sorted(STAGES))
def test_deps_exist_or_are_produced(name: str) -> None:
    outs = _outputs()
    for dep in STAGES[name].get("deps", []):
        path = _interpolate(dep)
        produced = any(path == o or path.startswith(o.rstrip("/") + "/") for o in outs)
        assert produced or (ROOT / path).exists(), (
            f"{name}: dep {path} neither exists nor is produced"
        )


def test_stage_modules_are_declared_as_deps() -> None:
    for name, stage in STAGES.items():
        module = re.search(r"python -m stages\.(\w+)", stage["cmd"]).group(1)
        assert f"stages/{module}.py" in stage.get("deps", []), f"{name} must depend on its module"
