"""results/report.html from fake runs, without DVC: self-contained, every run's curves and
confusion matrix embedded."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from pipeline import paths
from pipeline.errors import MmserError
from pipeline.io import write_csv, write_json
from pipeline.report.checks import ReportParams
from pipeline.report.html import write_html
from pipeline.report.summary import build_report
from tests.report.fakes import METAS, SEVEN, fake_run

RUNS = [fake_run("r1", "are", 0.6, 0.7), fake_run("r2", "amh", 0.6, 0.5, classes=SEVEN)]
LOG = [
    {"step": 2, "train_loss": 1.0, "dev_loss": 1.4, "dev_wa": 0.4, "dev_ua": 0.3},
    {"step": 4, "train_loss": 0.8, "dev_loss": 1.2, "dev_wa": 0.5, "dev_ua": 0.4},
]


def _write_run_files(root: Path) -> dict[str, bytes]:
    """A run folder per run and fold (its confusion.png distinct); anchor → the png's bytes."""
    pngs = {}
    for run in RUNS:
        for fold, metrics in zip(run.folds, run.metrics, strict=True):
            folder = root / paths.results_dir(run.setting, fold, run.model)
            folder.mkdir(parents=True)
            write_json(folder / "metrics.json", metrics)
            (folder / "predictions.csv").write_text("utterance_id,actual,predicted\n")
            write_csv(folder / "train_log.csv", LOG, list(LOG[0]))
            png = io.BytesIO()
            Image.new("RGB", (4 + fold, 3), (fold, 0, 0)).save(png, format="PNG")
            (folder / "confusion.png").write_bytes(png.getvalue())
            pngs[f"{run.setting}-{run.model}-fold{fold}"] = png.getvalue()
    return pngs


def _page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, bytes]]:
    monkeypatch.chdir(tmp_path)
    pngs = _write_run_files(tmp_path)
    report = build_report(RUNS, METAS, ReportParams())
    write_html(report, paths.REPORT_HTML)
    return paths.REPORT_HTML.read_text(encoding="utf-8"), pngs


def _images(section: str) -> list[tuple[bytes, str]]:
    found = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)">', section)
    return [(base64.b64decode(data), alt) for data, alt in found]


def test_the_page_needs_nothing_but_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, _ = _page(tmp_path, monkeypatch)
    assert not re.search(r"https?://", page) and "<script" not in page.lower()
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert all(s.startswith("data:image/png;base64,") for s in re.findall(r'src="([^"]*)"', page))
    for href in re.findall(r'href="([^"]*)"', page):
        assert not re.match(r"[a-z]+:", href), href  # links are relative
        target = href.split("#")[0]
        if target.startswith("runs/"):
            assert (tmp_path / "results" / target).is_file(), href
    assert "<table>" in page and "0.650 ± 0.071" in page  # r1/are: WA 0.6, 0.7
    assert '<li class="ok">ok r1: every model beats chance by 0.15</li>' in page


def test_every_run_and_fold_shows_its_curves_and_confusion_matrix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, pngs = _page(tmp_path, monkeypatch)
    sections = re.split(r'(?=<h3 id=")', page.split("<h2>Figures per run</h2>")[1])[1:]
    anchors = [re.match(r'<h3 id="([^"]+)"', s).group(1) for s in sections]
    assert anchors == ["r1-are-fold1", "r1-are-fold2", "r2-amh-fold1", "r2-amh-fold2"]
    for anchor, section in zip(anchors, sections, strict=True):
        setting, model, fold = anchor.split("-")
        scheme = "4class" if setting == "r1" else "7class"
        label = f"{model}, {setting} ({scheme}), fold {fold[-1]}"
        (curves, curves_alt), (confusion, confusion_alt) = _images(section)
        title = Image.open(io.BytesIO(curves)).text["Title"]
        assert title == f"{label}: training, model kept at step 4"
        assert curves_alt == f"training curves: {label}" and confusion_alt == f"confusion: {label}"
        assert confusion == pngs[anchor]  # the evaluate stage's file, as it is
        assert f'href="report.html#{anchor}"' in page  # linked from the runs table


def test_a_missing_confusion_matrix_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write_run_files(tmp_path)
    missing = paths.results_dir("r2", 2, "amh") / "confusion.png"
    missing.unlink()
    with pytest.raises(MmserError, match=re.escape(str(missing))):
        write_html(build_report(RUNS, METAS, ReportParams()), paths.REPORT_HTML)
