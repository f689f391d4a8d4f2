"""The train/evaluate stages in dvc.yaml: one per setting, model and fold, each reading its own
model's params and the dataset layout its model reads, so a change reruns only what it affects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from models.zoo import MODELS
from tests.dvcfile import STAGES, entry_path
from tests.params import write_default_params

ROOT = Path(__file__).resolve().parents[2]
DVC_BIN = shutil.which("dvc", path=str(ROOT / ".venv/bin")) or shutil.which("dvc")
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
        folder = f"data/datasets/{setting}/fold{fold}/{MODELS.get(model).family}"
        assert folder in stage["deps"], name
        assert f"models/{model}.py" in stage["deps"], name
        assert f"python -m stages.{kind} {setting} {fold} {model}" == stage["cmd"]
        model_keys = [p for p in stage.get("params", []) if p.startswith("models.")]
        assert model_keys == ([f"models.{model}"] if kind == "train" else []), name


def _paths(entries: list) -> list[str]:
    return [entry_path(e) for e in entries]


@pytest.mark.slow
@pytest.mark.skipif(DVC_BIN is None, reason="dvc not installed")
def test_dvc_reruns_only_the_runs_of_the_model_whose_params_changed(tmp_path: Path) -> None:
    # resolved stages as plain ones ("@" is reserved for generated names)
    plain = {name.replace("@", "__"): stage for name, stage in RUNS.items()}
    (tmp_path / "dvc.yaml").write_text(yaml.safe_dump({"stages": plain}))
    params = tmp_path / "params.yaml"
    write_default_params(params)
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

    def changed_after(**changes: object) -> set[str]:
        dotted = {k.replace("__", "."): v for k, v in changes.items()}
        write_default_params(params, dotted)
        return {name.replace("__", "@") for name in json.loads(dvc("status", "--json"))}

    dvc("init", "--no-scm", "-q")
    dvc("commit", "-f", "-q")
    assert json.loads(dvc("status", "--json")) == {}
    assert changed_after(models__mdrea__attention_mask=False) == {"train-r1@mdrea-1"}
    assert changed_after(models__amh__hops=6) == {"train-r2@amh-1"}
    # TRE runs in R1's setting and as R2's baseline
    both = {"train-r1@tre-1", "train-r2base@tre-1"}
    assert changed_after(models__tre__text__hidden_dim=100) == both
