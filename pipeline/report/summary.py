"""``results/summary.md`` and ``summary.csv``: a table per setting, our numbers beside its paper's.

Each setting (:mod:`pipeline.settings`) gets its own table: one row per model with test WA and UA
— the mean ± std over the folds of ``split.folds`` and, beside it, the first fold alone with its
95 % interval — R2's precision-as-accuracy figures, and the numbers of the setting's own paper
where its labels match (:mod:`pipeline.report.papers`). Above the tables: the features used;
below them: the checks (:mod:`pipeline.report.checks`), every run and fold with links to its
figures in ``report.html`` and to its files, the data reports, and how to read the numbers. The
page is a list of :mod:`~pipeline.report.blocks`, which ``report.html`` renders too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import paths
from pipeline.io import write_csv, write_text
from pipeline.report.blocks import Block, Bullets, Heading, Paragraph, Table, markdown
from pipeline.report.checks import ReportParams, below_chance, checks
from pipeline.report.features import Metas, features_used, random_video_weights, text_source
from pipeline.report.papers import Paper, paper_numbers
from pipeline.report.runs import Run, Stat, Summary, class_names, summarize

TITLES = {"r1": "R1 setting (SLT 2018)", "r2": "R2 setting (ICASSP 2020, AMH)"}


def fmt(value: Stat | None) -> str:
    """``0.718 ± 0.019``, or ``0.593`` where there is no spread, or ``–`` for no value."""
    if value is None:
        return "–"
    mean, std = value
    return f"{mean:.3f}" if std is None else f"{mean:.3f} ± {std:.3f}"


def _paper(summary: Summary, metas: Metas) -> tuple[Paper | None, Paper | None, str]:
    run = summary.run
    return paper_numbers(
        run.setting,
        run.model,
        run.dataset.get("scheme", "?"),
        text_source(metas),
        reads_text="T" in run.modalities,
    )


def _folds(folds: Sequence[int]) -> str:
    return (
        f"fold {folds[0]}"
        if len(folds) == 1
        else f"{len(folds)} folds ({', '.join(map(str, folds))})"
    )


def setting_blocks(
    setting: str, rows: Sequence[Summary], metas: Metas, params: ReportParams
) -> list[Block]:
    """The section of one setting: what it ran on, then its table."""
    first = rows[0].run
    data, folds = first.dataset, first.folds
    sizes = data.get("sizes", {})
    counts = " / ".join(f"{sizes.get(p, '?')} {p}" for p in ("train", "dev", "test"))
    classes = ", ".join(class_names(first.metrics[0]["test"]))
    about = (
        f"labels: {data.get('scheme', '?')} ({classes}); protocol: "
        f"{data.get('protocol', '?')}, {_folds(folds)}",
        f"fold {folds[0]}, {data.get('split', '?')}: {counts} utterances; "
        f"{data.get('excluded', 0)} excluded as failed",
    )
    many = len(folds) > 1
    head = ["model", "modalities"]
    if many:
        head += [f"test WA ({len(folds)} folds)", f"test UA ({len(folds)} folds)"]
    head += [f"test WA, fold {folds[0]} (95 % CI ±)", f"test UA, fold {folds[0]}"]
    head += ["precision W / U (R2-style)", "paper WA", "paper UA", "paper"]
    table = []
    for s in rows:
        accuracy, _, note = _paper(s, metas)
        cells = [s.run.model + (" ⚠" if below_chance(s, params) else ""), s.run.modalities]
        if many:
            cells += [fmt(s.wa), fmt(s.ua)]
        cells += [f"{s.first_wa:.3f} (±{s.first_ci95:.2f})", f"{s.first_ua:.3f}"]
        cells += [
            f"{s.precision_weighted[0]:.3f} / {s.precision_macro[0]:.3f}",
            fmt(accuracy.wa if accuracy else None),
            fmt(accuracy.ua if accuracy else None),
            note,
        ]
        table.append(tuple(cells))
    title = f"{TITLES.get(setting, setting)}: {data.get('scheme', '?')}"
    return [Heading(2, title, anchor=setting), Bullets(about), Table(tuple(head), tuple(table))]


def link(path: Path) -> str:
    """``path`` (relative to the repository root) as seen from ``results/``, where the report
    files lie."""
    return Path(os.path.relpath(path, paths.RESULTS)).as_posix()


def run_anchor(setting: str, model: str, fold: int) -> str:
    """The id of a run's section in ``report.html``: ``r1-mdrea-fold1``."""
    return f"{setting}-{model}-fold{fold}"


RUN_FILES = (
    ("metrics", "metrics.json"),
    ("predictions", "predictions.csv"),
    ("training log", "train_log.csv"),
    ("confusion matrix", "confusion.png"),
)


def run_files(setting: str, model: str, fold: int) -> str:
    """Links to a run's result files."""
    folder = paths.results_dir(setting, fold, model)
    return ", ".join(f"[{label}]({link(folder / name)})" for label, name in RUN_FILES)


def runs_blocks(summaries: Mapping[str, Sequence[Summary]]) -> list[Block]:
    """A table of every run and fold with links to its figures and files."""
    rows = tuple(
        (
            s.run.setting,
            s.run.model,
            str(fold),
            f"[curves, confusion matrix]({link(paths.REPORT_HTML)}"
            f"#{run_anchor(s.run.setting, s.run.model, fold)})",
            run_files(s.run.setting, s.run.model, fold),
        )
        for rows in summaries.values()
        for s in rows
        for fold in s.run.folds
    )
    head = ("setting", "model", "fold", "figures", "files")
    return [Heading(2, "Runs"), Table(head, rows)] if rows else []


def files_blocks(files: Sequence[tuple[str, Path]]) -> list[Block]:
    """Links to the data reports (counts, exclusions, statistics) behind the results."""
    if not files:
        return []
    return [Heading(2, "Data reports"), Bullets(tuple(f"[{t}]({link(p)})" for t, p in files))]


NOTES: list[Block] = [
    Heading(2, "How to read this"),
    Bullets(
        (
            "WA = overall accuracy on the test set; UA = mean per-class recall. R1 (SLT 2018) "
            "reported WA only. R2 (AMH) first published weighted/macro *precision* as WA/UA; its "
            "README's revised table is accuracy. We show accuracy-based WA/UA as the headline and "
            "the precision figures beside them.",
            "Each setting is compared only with its own paper, and only where the labels match: "
            "R1's numbers are 4-class, R2's 7-class (AMH and the MDRE A+T baseline R2 re-ran in "
            "that setting).",
            "The papers' numbers come from the real IEMOCAP; on the synthetic corpus they are "
            "context only.",
            "± is the standard deviation over folds (the papers': over their five folds); a paper "
            "number without ± was published without one. The 95 % interval is the binomial "
            "half-width 1.96·sqrt(WA(1−WA)/N) over the N test utterances of the fold: on a "
            "100-utterance test set it is about ±0.08, so compare models over all five folds: "
            "`dvc exp run -S 'split.folds=[1,2,3,4,5]'` (docs/results.md, \"Cross-validation\").",
        )
    ),
]


@dataclass(frozen=True)
class Report:
    """Everything the report files show: the runs summarised per setting, and the checks."""

    summaries: dict[str, list[Summary]]
    checks: list[str]
    metas: Metas  # the feature metas plus the first run's dataset provenance ("dataset")
    params: ReportParams
    files: tuple[tuple[str, Path], ...] = ()  # data reports linked: (title, path)


def build_report(
    runs: Sequence[Run], metas: Metas, params: ReportParams, files: Sequence[tuple[str, Path]] = ()
) -> Report:
    """Summarise every run and check each setting's.

    Args:
        runs: Every (setting, model) run with its folds (``runs.collect_runs``).
        metas: The feature folders' meta.json (:func:`~pipeline.report.features.read_metas`).
        params: Report thresholds.
        files: The data reports to link, as ``(title, path)``.
    """
    summaries: dict[str, list[Summary]] = {}
    for run in runs:
        summaries.setdefault(run.setting, []).append(summarize(run))
    first = next(iter(summaries.values()), [])
    metas = {**metas, "dataset": first[0].run.dataset if first else {}}
    check_lines = [c for setting, rows in summaries.items() for c in checks(setting, rows, params)]
    return Report(summaries, check_lines, metas, params, tuple(files))


def summary_blocks(report: Report, figures: Sequence[Block] = ()) -> list[Block]:
    """``summary.md``: features used, one table per setting, the checks, links to every run's
    figures and files and to the data reports, then ``figures`` and how to read the numbers."""
    blocks: list[Block] = [Heading(1, "Results"), Paragraph("Features used by every setting:")]
    blocks.append(Bullets(tuple(f"{k}: {v}" for k, v in features_used(report.metas))))
    for setting, rows in report.summaries.items():
        if rows:
            blocks += setting_blocks(setting, rows, report.metas, report.params)
    blocks += [Heading(2, "Checks"), Bullets(tuple(report.checks))]
    blocks += runs_blocks(report.summaries) + files_blocks(report.files)
    return [*blocks, *figures, *NOTES]


CONTEXT_COLUMNS = ("audio", "text", "video")
CSV_COLUMNS = (
    "setting", "model", "modalities", "scheme", "split", "folds", "wa_mean", "wa_std",
    "ua_mean", "ua_std", "first_fold_wa", "first_fold_ua", "precision_weighted_mean",
    "precision_macro_mean", "chance_wa", "below_chance_margin", "paper_wa", "paper_wa_std",
    "paper_ua", "paper_ua_std", "paper_precision_wa", "paper_precision_ua", "paper_note",
    *CONTEXT_COLUMNS, "random_video_weights",
)  # fmt: skip


def _num(value: float | None) -> str:
    """A number at full precision: readers round it once, as ``summary.md`` does."""
    return "" if value is None else repr(float(value))


def csv_rows(report: Report) -> list[dict[str, Any]]:
    """Flat rows for ``summary.csv`` (one per setting and model)."""
    metas, params = report.metas, report.params
    context = dict(features_used(metas))
    out = []
    for rows in report.summaries.values():
        for s in rows:
            accuracy, precision, note = _paper(s, metas)
            out.append({
                "setting": s.run.setting, "model": s.run.model, "modalities": s.run.modalities,
                "scheme": s.run.dataset.get("scheme", "?"),
                "split": s.run.dataset.get("split", "?"),
                "folds": " ".join(map(str, s.run.folds)),
                "wa_mean": _num(s.wa[0]), "wa_std": _num(s.wa[1]),
                "ua_mean": _num(s.ua[0]), "ua_std": _num(s.ua[1]),
                "first_fold_wa": _num(s.first_wa), "first_fold_ua": _num(s.first_ua),
                "precision_weighted_mean": _num(s.precision_weighted[0]),
                "precision_macro_mean": _num(s.precision_macro[0]),
                "chance_wa": _num(s.chance), "below_chance_margin": below_chance(s, params),
                "paper_wa": accuracy.wa[0] if accuracy else "",
                "paper_wa_std": accuracy.wa[1] if accuracy and accuracy.wa[1] is not None else "",
                "paper_ua": accuracy.ua[0] if accuracy and accuracy.ua else "",
                "paper_ua_std": accuracy.ua[1] if accuracy and accuracy.ua else "",
                "paper_precision_wa": precision.wa[0] if precision else "",
                "paper_precision_ua": precision.ua[0] if precision and precision.ua else "",
                "paper_note": note,
                **{k: context.get(k, "") for k in CONTEXT_COLUMNS},
                "random_video_weights": random_video_weights(metas),
            })  # fmt: skip
    return out


def write_summary(report: Report, md_path: Path, csv_path: Path) -> None:
    """Write ``summary.md`` (:func:`summary_blocks`) and ``summary.csv`` (:func:`csv_rows`)."""
    write_text(md_path, markdown(summary_blocks(report)))
    write_csv(csv_path, csv_rows(report), CSV_COLUMNS)


def write_report(
    runs: Sequence[Run], metas: Metas, params: ReportParams, md_path: Path, csv_path: Path
) -> list[str]:
    """:func:`build_report` and :func:`write_summary`; return the check messages."""
    report = build_report(runs, metas, params)
    write_summary(report, md_path, csv_path)
    return report.checks
