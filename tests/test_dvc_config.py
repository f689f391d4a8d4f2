"""dvc.yaml, the params and the code agree: stages exist, declared params exist, deps exist."""

from __future__ import annotations

import re

import pytest

from tests.dvcfile import ROOT, STAGES, entry_path, interpolate, lookup


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
            lookup(interpolate(key))


def _outputs() -> set[str]:
    outs = set()
    for stage in STAGES.values():
        for kind in ("outs", "metrics", "plots"):
            for entry in stage.get(kind, []):
                outs.add(entry_path(entry))
    return outs


@pytest.mark.parametrize("name", sorted(STAGES))
def test_deps_exist_or_are_produced(name: str) -> None:
    outs = _outputs()
    for dep in STAGES[name].get("deps", []):
        path = entry_path(dep)
        produced = any(path == o or path.startswith(o.rstrip("/") + "/") for o in outs)
        assert produced or (ROOT / path).exists(), (
            f"{name}: dep {path} neither exists nor is produced"
        )


def test_stage_modules_are_declared_as_deps() -> None:
    for name, stage in STAGES.items():
        module = re.search(r"python -m stages\.(\w+)", stage["cmd"]).group(1)
        assert f"stages/{module}.py" in stage.get("deps", []), f"{name} must depend on its module"
