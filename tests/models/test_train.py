"""Tiny end-to-end training and evaluation on fake datasets with complementary cues."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from models.evaluate import evaluate
from models.params import (
    AMHParams,
    AREParams,
    EncoderParams,
    MDREAParams,
    MDREParams,
    OptimParams,
    TextEncoderParams,
    TrainParams,
    TREParams,
)
from models.train import train_model

AUDIO = EncoderParams(hidden_dim=16, keep_prob=0.7, encoder_size=750)
TEXT = TextEncoderParams(hidden_dim=16, keep_prob=0.7, encoder_size=128)
R1 = OptimParams(lr=0.01, batch_size=32, early_stop_count=15)
SMALL = {
    "are": AREParams(audio=AUDIO, optim=R1),
    "tre": TREParams(text=TEXT, optim=R1),
    "mdre": MDREParams(audio=AUDIO, text=TEXT, optim=R1),
    "mdrea": MDREAParams(audio=AUDIO, text=TEXT, optim=R1),
    "amh": AMHParams(
        audio=AUDIO,
        text=TEXT,
        video=EncoderParams(hidden_dim=16, keep_prob=0.7, encoder_size=25),
        hops=3,
        optim=replace(AMHParams().optim, lr=0.01, batch_size=32),
    ),
}
TRAIN = TrainParams(seed=3, max_steps=300, min_steps=0, threads=1, device="cpu")


def _run(name: str, datasets: Path, out: Path, train: TrainParams = TRAIN, **kw) -> dict:
    result = train_model(
        name, SMALL[name], train, datasets, out / "model", out / "results", out / "cache",
        progress=False, **kw,
    )  # fmt: skip
    metrics = evaluate(name, out / "model/model.pt", datasets, out / "results", torch.device("cpu"))
    return {"train": result, "metrics": metrics}


@pytest.fixture(scope="module")
def trained(datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("runs")
    return {name: _run(name, datasets, out / name) | {"dir": out / name} for name in SMALL}


def _predictions(run: dict) -> tuple[np.ndarray, np.ndarray]:
    classes = run["metrics"]["test"]["classes"]
    rows = list(csv.DictReader((run["dir"] / "results/predictions.csv").open()))
    actual = np.array([classes.index(r["actual"]) for r in rows])
    return actual, np.array([classes.index(r["predicted"]) for r in rows])


def test_unimodal_models_learn_their_modality_cue(trained: dict[str, dict]) -> None:
    y, pred = _predictions(trained["are"])
    assert np.mean(pred // 2 == y // 2) >= 0.8  # the audio carries y // 2
    y, pred = _predictions(trained["tre"])
    assert np.mean(pred % 2 == y % 2) >= 0.8  # the text carries y % 2


def test_multimodal_models_beat_unimodal_ones(trained: dict[str, dict]) -> None:
    wa = {name: run["metrics"]["test"]["wa"] for name, run in trained.items()}
    best_unimodal = max(wa["are"], wa["tre"])
    assert best_unimodal < 0.7
    for name in ("mdre", "mdrea", "amh"):
        assert wa[name] >= 0.8 and wa[name] > best_unimodal + 0.15, wa


def test_result_files(trained: dict[str, dict]) -> None:
    run = trained["mdrea"]
    results = run["dir"] / "results"
    metrics = json.loads((results / "metrics.json").read_text())
    assert metrics["test"]["n"] == 32 and metrics["dev"]["n"] == 32
    assert sum(map(sum, metrics["test"]["confusion"])) == 32
    assert set(metrics["test"]["per_class"]) == {"ang", "hap", "sad", "neu"}
    assert metrics["best_step"] == run["train"]["best_step"] > 0
    rows = list(csv.DictReader((results / "predictions.csv").open()))
    assert len(rows) == 32 and rows[0]["utterance_id"].startswith("Ses")
    assert (results / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    log = list(csv.DictReader((results / "train_log.csv").open()))
    assert int(log[-1]["step"]) == run["train"]["steps"]


def test_early_stopping_after_count_plus_one_stale_validations(trained: dict[str, dict]) -> None:
    for run in trained.values():
        log = list(csv.DictReader((run["dir"] / "results/train_log.csv").open()))
        last_best = max(i for i, row in enumerate(log) if row["best"] == "1")
        assert int(log[last_best]["step"]) == run["train"]["best_step"]
        if run["train"]["stopped"] == "early_stop":
            assert (
                len(log) - 1 - last_best == SMALL[run["train"]["model"]].optim.early_stop_count + 1
            )


def test_same_seed_same_numbers(datasets: Path, trained: dict[str, dict], tmp_path: Path) -> None:
    again = _run("are", datasets, tmp_path / "again")
    assert again["metrics"]["test"] == trained["are"]["metrics"]["test"]
    assert again["train"]["best_step"] == trained["are"]["train"]["best_step"]
    model = (tmp_path / "again/model/model.pt").read_bytes()
    assert model == (trained["are"]["dir"] / "model/model.pt").read_bytes()  # byte-identical
    _run("are", datasets, tmp_path / "other", replace(TRAIN, seed=4))
    first = (trained["are"]["dir"] / "results/train_log.csv").read_text()
    assert (tmp_path / "other/results/train_log.csv").read_text() != first


def test_interrupted_training_resumes_to_the_same_result(
    datasets: Path, trained: dict[str, dict], tmp_path: Path
) -> None:
    seen = []

    def interrupt(row: dict) -> None:
        seen.append(row["step"])
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run("tre", datasets, tmp_path, on_validation=interrupt)
    assert not (tmp_path / "model/model.pt").exists()
    assert list((tmp_path / "cache/train/tre").glob("*.pt"))  # the resume checkpoint
    resumed_from = []
    resumed = _run(
        "tre", datasets, tmp_path, on_validation=lambda r: resumed_from.append(r["step"])
    )
    assert resumed_from[0] > seen[-1]  # continued after the checkpoint, not from the start
    reference = trained["tre"]
    assert resumed["metrics"]["test"] == reference["metrics"]["test"]
    assert (tmp_path / "results/train_log.csv").read_text() == (
        reference["dir"] / "results/train_log.csv"
    ).read_text()
    model = (tmp_path / "model/model.pt").read_bytes()
    assert model == (reference["dir"] / "model/model.pt").read_bytes()
    assert not list((tmp_path / "cache/train/tre").glob("*.pt"))  # removed once finished


def test_min_steps_postpones_early_stopping(datasets: Path, tmp_path: Path) -> None:
    quick = replace(SMALL["tre"], optim=replace(SMALL["tre"].optim, early_stop_count=0))
    common = (datasets, tmp_path / "m", tmp_path / "r", tmp_path / "c")
    first = train_model("tre", quick, replace(TRAIN, max_steps=60), *common, progress=False)
    later = train_model(
        "tre", quick, replace(TRAIN, max_steps=60, min_steps=40), *common, progress=False
    )
    assert first["stopped"] == "early_stop" and first["steps"] < 40
    assert later["steps"] >= 40
