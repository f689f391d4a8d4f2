"""Cross-validation driver: fold commands, archiving, aggregation, params restored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from models.crossval import crossval, fold_command
from models.zoo import MODELS


def test_fold_commands() -> None:
    assert fold_command("loso", 3) == [
        "dvc", "exp", "run", "-S", "split.protocol=loso", "-S", "split.test_session=3"
    ]  # fmt: skip
    assert fold_command("original", 2, ["text.source=asr"])[-4:] == [
        "-S", "split.fold=2", "-S", "text.source=asr"
    ]  # fmt: skip


def test_crossval_archives_folds_and_aggregates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    params = tmp_path / "params.yaml"
    params.write_text("report:\n  min_wa_over_chance: 0.1  # comment kept\n")
    original = params.read_text()
    calls: list[list[str]] = []

    def fake_dvc(command: list[str]) -> None:
        calls.append(command)
        if command[:3] != ["dvc", "exp", "run"]:
            return
        fold = int(command[-1].split("=")[1])
        params.write_text("changed by dvc exp run\n")
        for name in MODELS:
            wa = 0.5 + 0.1 * fold
            per_class = {c: {"support": 5} for c in "abcd"}
            test = {"wa": wa, "ua": wa - 0.1, "precision_weighted": wa, "precision_macro": wa,
                    "per_class": per_class}  # fmt: skip
            out = tmp_path / "results" / name / "metrics.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"test": test}))
        split = tmp_path / "data" / "split_report.json"
        split.parent.mkdir(exist_ok=True)
        split.write_text(json.dumps({"scheme": "4class", "protocol": f"loso(test=Session{fold})"}))

    checks = crossval("loso", [1, 2, 3], [], params, fake_dvc)
    assert [c[-1] for c in calls[:3]] == [f"split.test_session={k}" for k in (1, 2, 3)]
    assert calls[-1] == ["dvc", "repro"]  # workspace brought back to params.yaml's run
    assert params.read_text() == original
    cv = tmp_path / "results/cv/loso"
    assert json.loads((cv / "fold2/mdre/metrics.json").read_text())["test"]["wa"] == pytest.approx(
        0.7
    )
    rows = {r["model"]: r for r in csv.DictReader((cv / "summary.csv").open())}
    assert set(rows) == set(MODELS)
    assert float(rows["are"]["wa_mean"]) == pytest.approx(0.7)  # folds 0.6, 0.7, 0.8
    assert float(rows["are"]["wa_std"]) == pytest.approx(0.1)
    assert rows["are"]["runs"] == "3" and "3 folds" in rows["are"]["protocol"]
    assert "loso(test=Session3)" in (cv / "summary.md").read_text()
    assert any("every model beats chance" in c for c in checks)


def test_params_restored_when_a_fold_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    params = tmp_path / "params.yaml"
    params.write_text("a: 1\n")

    def failing(command: list[str]) -> None:
        params.write_text("a: 2\n")
        raise RuntimeError("dvc failed")

    with pytest.raises(RuntimeError):
        crossval("loso", [1], [], params, failing)
    assert params.read_text() == "a: 1\n"
