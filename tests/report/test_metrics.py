"""results/metrics.json: the curated DVC metrics, and the terminal table `make repro` prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.report.checks import ReportParams
from pipeline.report.metrics import curated_metrics, write_metrics
from pipeline.report.show import show
from pipeline.report.summary import Report, build_report, write_report
from tests.report.fakes import METAS, SEVEN, fake_run

ASR = {"overall": {"wer": 0.432, "cer": 0.284, "utterances": 98}, "failed": 1, "empty": 3}
MANIFEST = {"listed": 50, "utterances": 48, "skipped": 2}
FEATURE_METAS = {
    **METAS,
    "audio": {"counts": {"ok": 48, "failed": 0}},
    "text": {"failed_rows": 1, "rows": 48},
    "video": {"failed": 4},
}


def test_curated_keys_values_and_order() -> None:
    runs = [fake_run("r1", "are", 0.5, 0.6), fake_run("r2", "amh", 0.6, classes=SEVEN)]
    report = build_report(runs, FEATURE_METAS, ReportParams())
    report = Report(report.summaries, ["ok a", "FAIL b", "FAIL c"], report.metas, report.params)
    metrics = curated_metrics(report, MANIFEST, ASR)
    assert list(metrics) == [
        "r1.are.wa", "r1.are.ua", "r1.are.wa_std", "r1.are.ua_std",  # two folds: ± as well
        "r2.amh.wa", "r2.amh.ua",
        "asr.wer", "asr.cer",
        "failed.manifest", "failed.audio", "failed.asr", "failed.text", "failed.video",
        "checks.failed",
    ]  # fmt: skip
    assert metrics["r1.are.wa"] == pytest.approx(0.55) and metrics["r1.are.ua"] == pytest.approx(
        0.5
    )
    assert metrics["r1.are.wa_std"] == pytest.approx(0.0707107)  # stdev(0.5, 0.6), by hand
    assert metrics["r2.amh.wa"] == 0.6 and metrics["r2.amh.ua"] == pytest.approx(0.55)
    assert (metrics["asr.wer"], metrics["asr.cer"]) == (0.432, 0.284)
    failed = [metrics[f"failed.{k}"] for k in ("manifest", "audio", "asr", "text", "video")]
    assert failed == [2, 0, 1, 1, 4] and metrics["checks.failed"] == 2


def test_what_a_stage_did_not_report_is_left_out(tmp_path: Path) -> None:
    report = build_report([fake_run("r1", "tre", 0.7)], METAS, ReportParams())
    metrics = curated_metrics(report, {}, {"overall": {"wer": None}})
    assert list(metrics) == ["r1.tre.wa", "r1.tre.ua", "checks.failed"]
    write_metrics(tmp_path / "metrics.json", metrics)
    assert list(json.loads((tmp_path / "metrics.json").read_text())) == list(metrics)


def test_the_terminal_table(tmp_path: Path) -> None:
    runs = [
        fake_run("r1", "are", 0.6, 0.7, 0.8),
        fake_run("r1", "tre", 0.3, 0.3, 0.3),  # below chance 0.25 + 0.15: ⚠ and a failed check
        fake_run("r2", "amh", 0.6, 0.6, 0.6, classes=SEVEN),
    ]
    write_report(runs, METAS, ReportParams(), tmp_path / "summary.md", tmp_path / "summary.csv")
    lines = show(tmp_path).splitlines()
    assert lines[0].startswith(f"Summary: {tmp_path / 'summary.md'} (tables, checks")
    assert lines[3:] == [
        "R1 setting (SLT 2018): 4class, mean ± std over 3 folds",
        "  model  modalities  test WA        test UA        paper WA       paper UA",
        "  are    A           0.700 ± 0.100  0.650 ± 0.100  0.546 ± 0.009  –",
        "  tre ⚠  T           0.300 ± 0.000  0.250 ± 0.000  0.635 ± 0.018  –",
        "",
        "R2 setting (ICASSP 2020, AMH): 7class, mean ± std over 3 folds",
        "  model  modalities  test WA        test UA        paper WA       paper UA",
        "  amh    A+T+V       0.600 ± 0.000  0.550 ± 0.000  0.617 ± 0.016  0.547 ± 0.025",
        "",
        # fake runs: 5 test utterances per class, the correct ones filling the classes in order
        "Checks: 3 failed",
        "  FAIL r1/tre: test WA 0.300 is not above chance 0.250 + 0.15",
        "  FAIL r1: no model recalls neu (best 0.07, are) above 1/4 = 0.250",  # 0+0+1 of 15
        "  FAIL r2: no model recalls sur (best 0.00, amh), neu (best 0.00, amh) above 1/7 = 0.143",
    ]


def test_the_terminal_table_rounds_as_the_summary_does(tmp_path: Path) -> None:
    """summary.csv keeps full precision, so 0.84946 prints 0.849 in both places (rounding it to
    4 places first would print 0.850 in the terminal)."""
    runs = [fake_run("r1", "mdrea", 0.84946)]
    write_report(runs, METAS, ReportParams(), tmp_path / "summary.md", tmp_path / "summary.csv")
    assert "| mdrea | A+T | 0.849 (±" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    row = next(line for line in show(tmp_path).splitlines() if "mdrea" in line)
    assert row.split()[2:4] == ["0.849", "0.799"]  # UA: 0.84946 - 0.05
