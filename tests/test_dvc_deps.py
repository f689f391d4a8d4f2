"""Each stage's code deps in dvc.yaml are exactly what its module needs: the files of the stage
module's in-repo import closure and the data files they read (:mod:`pipeline.fingerprint`, the
same closure the cache keys fingerprint), so editing any of them reruns the stage and nothing
else."""

from __future__ import annotations

import re

import pytest

from models.zoo import MODELS, model_choice
from pipeline.fingerprint import module_closure, packages
from tests.dvcfile import ROOT, STAGES, entry_path

CODE_FOLDERS = tuple(f"{name}/" for name in sorted(packages()))


def declared_code(stage: dict) -> set[str]:
    """The in-repo code and data files a stage's deps cover (folders expanded)."""
    files: set[str] = set()
    for entry in stage.get("deps", []):
        path = entry_path(entry)
        if not path.startswith(CODE_FOLDERS):
            continue
        full = ROOT / path
        if full.is_dir():
            files.update(
                f.relative_to(ROOT).as_posix()
                for f in full.rglob("*")
                if f.is_file() and "__pycache__" not in f.parts
            )
        else:
            files.add(path)
    return files


def stage_module(stage: dict) -> str:
    return re.search(r"python -m (stages\.\w+)", stage["cmd"]).group(1)


def stage_choice(stage: dict) -> frozenset[str]:
    """A training or evaluation stage runs one model (its command's last word): only that
    model's module counts."""
    last = stage["cmd"].split()[-1]
    return (
        model_choice(last)
        if stage_module(stage) in MODEL_STAGES and last in MODELS
        else frozenset()
    )


MODEL_STAGES = ("stages.train", "stages.evaluate")


ALWAYS_RUN = {name for name, stage in STAGES.items() if stage.get("always_changed")}


@pytest.mark.parametrize("name", sorted(set(STAGES) - ALWAYS_RUN))
def test_code_deps_are_the_closure_of_the_stage_module(name: str) -> None:
    """(A stage that always runs needs no code deps.)"""
    module = stage_module(STAGES[name])
    choice = stage_choice(STAGES[name])
    needed = set(module_closure(module, choice=choice).files)
    declared = declared_code(STAGES[name])
    missing, unused = sorted(needed - declared), sorted(declared - needed)
    command = " ".join([module, *(f"--choose {c}" for c in sorted(choice))])
    assert not missing and not unused, (
        f"dvc.yaml stage {name}: deps lack {missing}, list {unused} that {module} never imports "
        f"or reads (`python -m pipeline.fingerprint {command}` prints the list)"
    )


def test_a_model_stage_depends_on_its_own_model_only() -> None:
    train = set(module_closure("stages.train", choice=model_choice("mdrea")).modules)
    assert "models/mdrea.py" in train and "models/mdre.py" not in train
    assert {f"models/{m}.py" for m in MODELS.names()} <= set(module_closure("stages.train").modules)


def test_the_closure_follows_imports_inside_functions_and_package_inits() -> None:
    closure = module_closure("stages.audio")
    # create_backend gets either backend from the registry; pipeline/audio/__init__.py runs
    assert "pipeline/audio/librosa_backend.py" in closure.modules
    assert "pipeline/audio/__init__.py" in closure.modules
    assert "pipeline/audio/opensmile/all_features.conf" in closure.data
    assert {"opensmile", "librosa", "numpy"} <= set(closure.libraries)
    assert "torch" not in closure.libraries
    assert not any(m.startswith("models/") for m in closure.modules)


def test_a_registry_listed_but_never_asked_imports_nothing() -> None:
    # the dataset stage reads audio.backend's registry to validate names, never a backend
    assert "pipeline/audio/opensmile_backend.py" not in module_closure("stages.dataset").modules
