"""dvc.yaml declares the output paths that pipeline/paths.py defines (the stages write there),
and every file pipeline/paths.py defines is some stage's output."""

from __future__ import annotations

import inspect
import itertools
from pathlib import Path

from models.zoo import MODELS
from pipeline import paths
from pipeline.settings import FOLDS, SETTINGS
from tests.dvcfile import STAGES, entry_path, lookup

CONSTANTS = {v.as_posix() for v in vars(paths).values() if isinstance(v, Path)}
FUNCTIONS = [
    f for _, f in inspect.getmembers(paths, inspect.isfunction) if f.__module__ == paths.__name__
]
BACKEND = lookup("asr.backend")


# The values a path function's argument takes, by its name.
DOMAINS = {"setting": SETTINGS, "fold": FOLDS, "model": MODELS.names(), "backend": [BACKEND]}


def _function_values() -> dict[str, str]:
    """Value → how paths.py spells it, for every path function on every argument value."""
    values = {}
    for function in FUNCTIONS:
        names = list(inspect.signature(function).parameters)
        for args in itertools.product(*(DOMAINS[n] for n in names)):
            values[function(*args).as_posix()] = f"paths.{function.__name__}{args!r}"
    return values


def _declared() -> dict[str, str]:
    """Every output path dvc.yaml declares → the stage declaring it."""
    out = {}
    for name, stage in STAGES.items():
        for kind in ("outs", "metrics", "plots"):
            for entry in stage.get(kind, []):
                out[entry_path(entry)] = name
    return out


def test_every_dvc_output_is_a_path_of_pipeline_paths() -> None:
    functions = _function_values()
    folders = set(functions) | CONSTANTS
    for path, stage in _declared().items():
        known = path in CONSTANTS or path in functions
        in_model_folder = Path(path).parent.as_posix() in folders and stage.startswith(
            ("train-", "evaluate-")
        )
        assert known or in_model_folder, (
            f"dvc.yaml stage {stage} declares {path}, which pipeline/paths.py does not define"
        )


def test_every_file_of_pipeline_paths_is_declared_by_a_stage() -> None:
    declared = _declared()
    files = {p for p in CONSTANTS if Path(p).suffix} | {
        v for v in _function_values() if Path(v).suffix and BACKEND in Path(v).name
    }
    for path in sorted(files):
        covered = any(path == d or path.startswith(d + "/") for d in declared)
        assert covered, f"pipeline/paths.py defines {path}, which no dvc.yaml stage declares"
