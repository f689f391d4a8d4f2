"""The results table: aggregation over runs, paper numbers by scheme, provenance and checks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from models.report import ReportParams, paper_numbers, run_context, summarize_runs, write_summary


def _metrics(wa: float, ua: float = 0.5, support: tuple[int, ...] = (5, 5, 5, 5)) -> dict:
    classes = ("ang", "hap", "sad", "neu")
    per_class = {c: {"support": n} for c, n in zip(classes, support, strict=True)}
    test = {"wa": wa, "ua": ua, "precision_weighted": wa + 0.01, "precision_macro": ua + 0.01,
            "per_class": per_class}  # fmt: skip
    return {"test": test}


CONTEXT = {
    "scheme": "4class", "protocol": "loso", "audio": "opensmile", "audio_normalize": "none",
    "text": "gold", "asr_backend": "", "sentence_split": "punkt_untrained",
    "embedding": "kumo (50-d)", "vocab_scope": "all",
    "video_weights": "random", "random_video_weights": True, "excluded": 2,
}  # fmt: skip


def test_paper_numbers_only_where_the_scheme_matches() -> None:
    wa, precision, _ = paper_numbers("mdre", "4class", "gold")
    assert wa.wa == (0.718, 0.019) and precision is None
    wa, _, note = paper_numbers("amh", "4class", "gold")
    assert wa is None and "7-class" in note
    wa, precision, _ = paper_numbers("amh", "7class", "gold")
    assert wa.wa == (0.617, 0.016) and wa.ua == (0.547, 0.025)
    assert precision.wa == (0.624, 0.022)  # what the paper published as accuracy
    assert paper_numbers("tre", "4class", "asr")[0].wa[0] == 0.593  # the ASR column
    assert paper_numbers("are", "4class", "asr")[0].wa[0] == 0.546  # audio only: unchanged
    assert paper_numbers("are", "7class", "gold")[0] is None


def test_mean_and_std_over_runs_and_checks() -> None:
    runs = {
        "are": [_metrics(0.50), _metrics(0.60)],
        "tre": [_metrics(0.30), _metrics(0.30)],  # chance 0.25 + 0.15 not reached
        "mdre": [_metrics(0.70), _metrics(0.80)],
        "amh": [_metrics(0.52), _metrics(0.56)],  # below the best unimodal (are 0.55)
    }
    rows, checks = summarize_runs(runs, CONTEXT, ReportParams(min_wa_over_chance=0.15))
    are = rows[0]
    assert are["wa"] == pytest.approx((0.55, 0.0707107), rel=1e-5) and are["runs"] == 2
    assert are["chance_wa"] == 0.25
    assert [r["below_chance_margin"] for r in rows] == [False, True, False, False]
    assert any(c.startswith("FAIL tre") for c in checks)
    assert any(c.startswith("ok mdre") and "beats the best unimodal model are" in c for c in checks)
    assert any(c.startswith("FAIL amh") for c in checks)


def test_chance_is_the_majority_class_when_larger() -> None:
    rows, _ = summarize_runs(
        {"are": [_metrics(0.6, support=(12, 4, 2, 2))]}, CONTEXT, ReportParams()
    )
    assert rows[0]["chance_wa"] == 0.6 and rows[0]["below_chance_margin"]


def test_written_summary_names_provenance_and_flags_random_video(tmp_path: Path) -> None:
    runs = {"are": [_metrics(0.5)], "amh": [_metrics(0.7)]}
    context = dict(CONTEXT, text="asr", asr_backend="pocketsphinx")
    write_summary(runs, context, ReportParams(), tmp_path / "s.md", tmp_path / "s.csv")
    md = (tmp_path / "s.md").read_text()
    assert "RANDOM ResNet-101 weights" in md and "ASR: pocketsphinx" in md
    assert "sentence split: punkt_untrained" in md
    assert "| are | A | 1 | 0.500 (±0.22) | 0.500 |" in md  # 1.96·sqrt(.25/20)
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert [r["model"] for r in rows] == ["are", "amh"]
    assert rows[0]["paper_wa"] == "0.546" and rows[1]["paper_wa"] == ""
    assert rows[1]["asr_backend"] == "pocketsphinx" and rows[1]["random_video_weights"] == "True"
    assert rows[0]["sentence_split"] == "punkt_untrained"


def test_run_context_reads_feature_meta(tmp_path: Path) -> None:
    for name, meta in {
        "audio": {"backend": "librosa"},
        "text": {
            "source": "asr",
            "asr_backend": "google",
            "embedding": {"source": "glove", "dim": 300},
            "tokenizer": {"sentence_split": {"name": "punkt_tab"}},
        },
        "video": {"random_weights": False, "weights": {"source": "imagenet"}},
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "meta.json").write_text(json.dumps(meta))
    (tmp_path / "split.json").write_text(json.dumps({"scheme": "7class", "protocol": "loso(5)"}))
    (tmp_path / "data.json").write_text(
        json.dumps({"excluded": {"total": 3}, "vocab_scope": "train"})
    )
    ctx = run_context(tmp_path, tmp_path / "split.json", tmp_path / "data.json")
    assert ctx["audio"] == "librosa" and ctx["asr_backend"] == "google"
    assert ctx["embedding"] == "glove (300-d)" and ctx["video_weights"] == "imagenet"
    assert ctx["sentence_split"] == "punkt_tab"
    assert ctx["random_video_weights"] is False and ctx["excluded"] == 3
    assert ctx["scheme"] == "7class" and ctx["vocab_scope"] == "train"


def test_multimodal_check_says_when_a_difference_is_within_noise() -> None:
    runs = {"tre": [_metrics(0.80)], "mdre": [_metrics(0.78)], "amh": [_metrics(0.99)]}
    _, checks = summarize_runs(runs, CONTEXT, ReportParams())
    mdre = next(c for c in checks if " mdre:" in c)
    assert mdre.startswith("FAIL") and "within the ±0.18" in mdre  # 1.96·sqrt(.78·.22/20)
    amh = next(c for c in checks if " amh:" in c)
    assert amh.startswith("ok") and "within" not in amh
