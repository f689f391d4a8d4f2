"""The train/evaluate stages in dvc.yaml: a model's params change reruns that model only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from models.zoo import MODELS
from tests.params import write_default_params

ROOT = Path(__file__).resolve().parents[2]
DVC_BIN = shutil.which("dvc", path=str(ROOT / ".venv/bin")) or shutil.which("dvc")
STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def _expanded(stage: dict, key: str, item: dict) -> dict:
    text = yaml.safe_dump(stage["do"]).replace("${key}", key)
    for field, value in item.items():
        text = text.replace(f"${{item.{field}}}", value)
    return yaml.safe_load(text)


def test_every_model_has_train_and_evaluate_stages_on_its_own_params() -> None:
    for kind in ("train", "evaluate"):
        assert set(STAGES[kind]["foreach"]) == set(MODELS)
    for key, item in STAGES["train"]["foreach"].items():
        train = _expanded(STAGES["train"], key, item)
        model_keys = [p for p in train["params"] if p.startswith("models.")]
        assert model_keys == [f"models.{key}"]
        assert f"models/{key}.py" in train["deps"]
        assert item["data"] == ("data/datasets/amh" if key == "amh" else "data/datasets/r1")
        evaluate = _expanded(STAGES["evaluate"], key, item)
        assert f"data/models/{key}" in evaluate["deps"]


def _paths(entries: list) -> list[str]:
    return [e if isinstance(e, str) else next(iter(e)) for e in entries]


@pytest.mark.slow
@pytest.mark.skipif(DVC_BIN is None, reason="dvc not installed")
def test_dvc_reruns_only_the_model_whose_params_changed(tmp_path: Path) -> None:
    stages = {k: STAGES[k] for k in ("train", "evaluate")}
    (tmp_path / "dvc.yaml").write_text(yaml.safe_dump({"stages": stages}))
    write_default_params(tmp_path / "params.yaml", {"models.mdrea.attention_mask": True})
    for key, item in STAGES["train"]["foreach"].items():  # placeholder deps and outputs
        for kind in ("train", "evaluate"):
            stage = _expanded(STAGES[kind], key, item)
            for path in _paths(stage["deps"]) + _paths(
                stage.get("outs", []) + stage.get("metrics", []) + stage.get("plots", [])
            ):
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

    dvc("init", "--no-scm", "-q")
    dvc("commit", "-f", "-q")
    assert json.loads(dvc("status", "--json")) == {}
    write_default_params(tmp_path / "params.yaml", {"models.mdrea.attention_mask": False})
    assert set(json.loads(dvc("status", "--json"))) == {"train@mdrea"}
