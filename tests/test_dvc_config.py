"""dvc.yaml, the params and the code agree: stages exist, declared params exist, deps exist,
outputs are the paths the stages write (:mod:`pipeline.paths`)."""

from __future__ import annotations

import re
import subprocess

import pytest

from pipeline import paths
from pipeline.params import load_section
from pipeline.settings import SettingsParams
from pipeline.splits import SplitParams
from tests.dvcfile import PARAMS, ROOT, STAGES, entry_path, interpolate, lookup


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


def _outs(stage: dict) -> set[str]:
    return {entry_path(e) for kind in ("outs", "metrics", "plots") for e in stage.get(kind, [])}


def _outputs() -> set[str]:
    return set().union(*(_outs(stage) for stage in STAGES.values()))


@pytest.mark.parametrize("name", sorted(STAGES))
def test_deps_exist_or_are_produced(name: str) -> None:
    outs = _outputs()
    for dep in STAGES[name].get("deps", []):
        path = entry_path(dep)
        # a dep is an output, lies inside one, or is a folder of outputs (the report's results/runs)
        produced = any(
            path == o or path.startswith(o.rstrip("/") + "/") or o.startswith(path + "/")
            for o in outs
        )
        assert produced or (ROOT / path).exists(), (
            f"{name}: dep {path} neither exists nor is produced"
        )


def test_stage_modules_are_declared_as_deps() -> None:
    for name, stage in STAGES.items():
        module = re.search(r"python -m stages\.(\w+)", stage["cmd"]).group(1)
        assert f"stages/{module}.py" in stage.get("deps", []), f"{name} must depend on its module"


def _expected_outputs() -> dict[str, set[str]]:
    """Stage name → outputs, from params (settings, folds) and pipeline.paths alone."""
    settings = load_section(SettingsParams, "settings", PARAMS)
    groups = {  # stage group suffix → (setting, the models it trains)
        "r1": ("r1", settings.r1.models),
        "r2": ("r2", settings.r2.models),
        "r2base": ("r2", settings.r2.baselines),
    }
    report = (paths.SUMMARY_MD, paths.SUMMARY_CSV, paths.METRICS, paths.REPORT_HTML)
    out: dict[str, set[str]] = {"report": set(map(str, report))}
    for fold in load_section(SplitParams, "split", PARAMS).folds:
        for setting in ("r1", "r2"):
            split = (paths.split_csv(setting, fold), paths.split_report(setting, fold))
            data = (paths.datasets_dir(setting, fold), paths.datasets_report(setting, fold))
            out[f"split@{setting}-{fold}"] = set(map(str, split))
            out[f"dataset@{setting}-{fold}"] = set(map(str, data))
        for group, (setting, models) in groups.items():
            for model in models:
                results = paths.results_dir(setting, fold, model)
                trained = (
                    paths.model_dir(setting, fold, model),
                    *(results / f for f in ("train_metrics.json", "train_log.csv")),
                )
                scored = (results / f for f in ("metrics.json", "predictions.csv", "confusion.png"))
                out[f"train-{group}@{model}-{fold}"] = set(map(str, trained))
                out[f"evaluate-{group}@{model}-{fold}"] = set(map(str, scored))
    return out


def test_one_stage_per_setting_model_and_fold_writing_the_paths_the_code_uses() -> None:
    expected = _expected_outputs()
    kinds = ("split@", "dataset@", "train-", "evaluate-", "report")
    actual = {name: _outs(s) for name, s in STAGES.items() if name.startswith(kinds)}
    assert actual == expected


def test_the_only_dvc_metrics_are_the_reports_curated_file() -> None:
    declared = {entry_path(e) for stage in STAGES.values() for e in stage.get("metrics", [])}
    assert declared == {str(paths.METRICS)}


def _uncached(stage: dict) -> list[str]:
    entries = [e for kind in ("outs", "metrics") for e in stage.get(kind, [])]
    return [
        entry_path(e)
        for e in entries
        if isinstance(e, dict) and not next(iter(e.values()))["cache"]
    ]


def test_git_tracks_the_report_files_dvc_does_not_cache() -> None:
    # `dvc exp run` commits an uncached output with the experiment unless git ignores it, and
    # `dvc exp show` reads an experiment's metrics from that commit
    files = _uncached(STAGES["report"])
    assert str(paths.METRICS) in files and str(paths.SUMMARY_MD) in files
    for path in files:
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0
        assert not ignored, f"git ignores {path}: experiments would not record it"
