"""``results/report.html``: the summary and, per run and fold, its training curves and its
confusion matrix, in one file that needs nothing else (images embedded, no script, no network).
"""

from __future__ import annotations

from pathlib import Path

from pipeline import paths
from pipeline.errors import MmserError
from pipeline.figures import png_bytes, run_label
from pipeline.figures.curves import LOG_COLUMNS, curves_figure, curves_title
from pipeline.io import read_csv, write_text
from pipeline.report.blocks import Block, Heading, Images, Paragraph, html_page
from pipeline.report.summary import Report, run_anchor, run_files, summary_blocks

TITLE = "mmser results"


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise MmserError("result file missing", file=path, hint="run `dvc repro`")
    return path.read_bytes()


def figure_blocks(report: Report) -> list[Block]:
    """A section per run and fold: its files, its training curves and its confusion matrix.

    The curves are drawn from ``train_log.csv``; the confusion matrix is the evaluate stage's
    ``confusion.png`` as it is.
    """
    blocks: list[Block] = [Heading(2, "Figures per run")]
    for setting, rows in report.summaries.items():
        for s in rows:
            for fold, metrics in zip(s.run.folds, s.run.metrics, strict=True):
                folder = paths.results_dir(setting, fold, s.run.model)
                label = run_label(s.run.model, metrics.get("dataset", {}))
                best = int(metrics.get("best_step", 0))
                log = read_csv(folder / "train_log.csv", LOG_COLUMNS)
                curves = png_bytes(curves_figure(log, best), curves_title(label, best))
                confusion = _read_bytes(folder / "confusion.png")
                blocks += [
                    Heading(3, label, anchor=run_anchor(setting, s.run.model, fold)),
                    Paragraph(run_files(setting, s.run.model, fold)),
                    Images(
                        ((curves, f"training curves: {label}"), (confusion, f"confusion: {label}"))
                    ),
                ]
    return blocks


def write_html(report: Report, path: Path) -> None:
    """Write the page: :func:`~pipeline.report.summary.summary_blocks` with
    :func:`figure_blocks` before its notes."""
    write_text(path, html_page(TITLE, summary_blocks(report, figure_blocks(report))))
