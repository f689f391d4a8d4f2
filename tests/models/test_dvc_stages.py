"""The train/evaluate stages in dvc.yaml: one per setting, model and fold, each reading its own
model's params and the dataset layout its model reads, so a change reruns only what it affects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from dvc.parsing import DataResolver
from dvc.repo import Repo

from models.zoo import MODELS

ROOT = Path(__file__).resolve().parents[2]
DVC_BIN = shutil.which("dvc", path=str(ROOT / ".venv/bin")) or shutil.which("dvc")


def _resolved() -> dict[str, dict[str, Any]]:
    with Repo(str(ROOT)) as repo:
        dvc_yaml = yaml.safe_load((ROOT / "dvc.yaml").read_text())
        return DataResolver(repo, repo.root_dir, dvc_yaml).resolve()["stages"]


STAGES = _resolved()
RUNS = {name: stage for name, stage in STAGES.items() if name.startswith(("train-", "evaluate-"))}


def _run_of(name: str) -> tuple[str, str, str]:
    """``train-r2base@mdre-1`` → (``train``, ``mdre``, ``1``)."""
    group, key = name.split("@")
    model, fold = key.rsplit("-", 1)
    return group.split("-")[0], model, fold


def test_each_run_reads_its_own_params_and_its_models_dataset_layout() -> None:
    assert RUNS
    for name, stage in RUNS.items():
        kind, model, fold = _run_of(name)
        setting = "r1" if "-r1@" in name else "r2"
        folder = f"data/datasets/{setting}/fold{fold}/{MODELS[model].family}"
        assert folder in stage["deps"], name
        assert f"models/{model}.py" in stage["deps"], name
        assert f"python -m stages.{kind} {setting} {fold} {model}" == stage["cmd"]
        model_keys = [p for p in stage.get("params", []) if p.startswith("models.")]
        assert model_keys == ([f"models.{model}"] if kind == "train" else []), name


def _paths(entries: list) -> list[str]:
    return [e if isinstance(e, str) else next(iter(e)) for e in entries]


@pytest.mark.slow
@pytest.mark.skipif(DVC_BIN is None, reason="dvc not installed")
def test_dvc_reruns_only_the_runs_of_the_model_whose_params_changed(tmp_path: Path) -> None:
    # resolved stages as plain ones ("@" is reserved for generated names)
    plain = {name.replace("@", "__"): stage for name, stage in RUNS.items()}
    (tmp_path / "dvc.yaml").write_text(yaml.safe_dump({"stages": plain}))
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    for stage in RUNS.values():  # placeholder deps and outputs
        outs = stage.get("outs", []) + stage.get("metrics", []) + stage.get("plots", [])
        for path in _paths(stage["deps"]) + _paths(outs):
            target = tmp_path / path
            if path.startswith(("data/datasets", "data/models")):
                target.mkdir(parents=True, exist_ok=True)
                (target / "x").write_text(path)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(path)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}

    def dvc(*args: str) -> str:
        result = subprocess.run(
            [DVC_BIN, *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def changed_after(old: str, new: str) -> set[str]:
        params = tmp_path / "params.yaml"
        params.write_text(params.read_text().replace(old, new, 1))
        return {name.replace("__", "@") for name in json.loads(dvc("status", "--json"))}

    dvc("init", "--no-scm", "-q")
    dvc("commit", "-f", "-q")
    assert json.loads(dvc("status", "--json")) == {}
    mdrea = {"train-r1@mdrea-1"}
    assert changed_after("attention_mask: true", "attention_mask: false") == mdrea
    amh = {"train-r2@amh-1"}
    assert changed_after("hops: 7", "hops: 6") == mdrea | amh
    mdre = "use_prosody: true           # concatenate prosody to the audio state"
    # MDRE runs in R1's setting and as R2's baseline
    both = {"train-r1@mdre-1", "train-r2base@mdre-1"}
    assert changed_after(mdre, mdre.replace("true", "false")) == mdrea | amh | both
