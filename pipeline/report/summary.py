"""``results/summary.md`` and ``summary.csv``: a table per setting, our numbers beside its paper's.

Each setting (:mod:`pipeline.settings`) gets its own table: one row per model with test WA and UA
— the mean ± std over the folds of ``split.folds`` and, beside it, the first fold alone with its
95 % interval — R2's precision-as-accuracy figures, and the numbers of the setting's own paper
where its labels match (:mod:`pipeline.report.papers`). Above the tables: the features used;
below them: the checks (:mod:`pipeline.report.checks`) and how to read the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.io import write_csv, write_text
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


def setting_table(
    setting: str, rows: Sequence[Summary], metas: Metas, params: ReportParams
) -> list[str]:
    """The markdown section of one setting: what it ran on, then its table."""
    first = rows[0].run
    data, folds = first.dataset, first.folds
    sizes = data.get("sizes", {})
    counts = " / ".join(f"{sizes.get(p, '?')} {p}" for p in ("train", "dev", "test"))
    classes = ", ".join(class_names(first.metrics[0]["test"]))
    lines = [
        f"## {TITLES.get(setting, setting)}: {data.get('scheme', '?')}",
        "",
        f"- labels: {data.get('scheme', '?')} ({classes}); protocol: "
        f"{data.get('protocol', '?')}, {_folds(folds)}",
        f"- fold {folds[0]}, {data.get('split', '?')}: {counts} utterances; "
        f"{data.get('excluded', 0)} excluded as failed",
        "",
    ]
    many = len(folds) > 1
    head = ["model", "modalities"]
    if many:
        head += [f"test WA ({len(folds)} folds)", f"test UA ({len(folds)} folds)"]
    head += [f"test WA, fold {folds[0]} (95 % CI ±)", f"test UA, fold {folds[0]}"]
    head += ["precision W / U (R2-style)", "paper WA", "paper UA", "paper"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
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
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(
    summaries: Mapping[str, Sequence[Summary]],
    check_lines: Sequence[str],
    metas: Metas,
    params: ReportParams,
) -> str:
    """``summary.md``: features used, one table per setting, the checks, how to read them."""
    lines = ["# Results", "", "Features used by every setting:", ""]
    lines += [f"- {label}: {text}" for label, text in features_used(metas)]
    for setting, rows in summaries.items():
        if rows:
            lines += ["", *setting_table(setting, rows, metas, params)]
    lines += ["", "## Checks", "", *(f"- {c}" for c in check_lines), "", NOTES]
    return "\n".join(lines) + "\n"


NOTES = """## How to read this

- WA = overall accuracy on the test set; UA = mean per-class recall. R1 (SLT 2018) reported WA
  only. R2 (AMH) first published weighted/macro *precision* as WA/UA; its README's revised table
  is accuracy. We show accuracy-based WA/UA as the headline and the precision figures beside them.
- Each setting is compared only with its own paper, and only where the labels match: R1's
  numbers are 4-class, R2's 7-class (AMH and the MDRE A+T baseline R2 re-ran in that setting).
- The papers' numbers come from the real IEMOCAP; on the synthetic corpus they are context only.
- ± is the standard deviation over folds (the papers': over their five folds); a paper number
  without ± was published without one. The 95 % interval is the binomial half-width
  1.96·sqrt(WA(1−WA)/N) over the N test utterances of the fold: on a 100-utterance test set it
  is about ±0.08, so compare models over all five folds:
  `dvc exp run -S 'split.folds=[1,2,3,4,5]'` (README, "Cross-validation").
"""

CONTEXT_COLUMNS = ("audio", "text", "video")
CSV_COLUMNS = (
    "setting", "model", "modalities", "scheme", "split", "folds", "wa_mean", "wa_std",
    "ua_mean", "ua_std", "first_fold_wa", "first_fold_ua", "precision_weighted_mean",
    "precision_macro_mean", "chance_wa", "below_chance_margin", "paper_wa", "paper_wa_std",
    "paper_ua", "paper_ua_std", "paper_precision_wa", "paper_precision_ua", "paper_note",
    *CONTEXT_COLUMNS, "random_video_weights",
)  # fmt: skip


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def csv_rows(
    summaries: Mapping[str, Sequence[Summary]], metas: Metas, params: ReportParams
) -> list[dict[str, Any]]:
    """Flat rows for ``summary.csv`` (one per setting and model)."""
    context = dict(features_used(metas))
    out = []
    for rows in summaries.values():
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


def write_report(
    runs: Sequence[Run], metas: Metas, params: ReportParams, md_path: Path, csv_path: Path
) -> list[str]:
    """Write ``summary.md`` and ``summary.csv``; return the check messages.

    Args:
        runs: Every (setting, model) run with its folds (``runs.collect_runs``).
        metas: The feature folders' meta.json (:func:`~pipeline.report.features.read_metas`).
        params: Report thresholds.
        md_path: Where ``summary.md`` goes.
        csv_path: Where ``summary.csv`` goes.
    """
    summaries: dict[str, list[Summary]] = {}
    for run in runs:
        summaries.setdefault(run.setting, []).append(summarize(run))
    first = next(iter(summaries.values()), [])
    metas = {**metas, "dataset": first[0].run.dataset if first else {}}
    check_lines = [c for setting, rows in summaries.items() for c in checks(setting, rows, params)]
    write_text(md_path, markdown(summaries, check_lines, metas, params))
    write_csv(csv_path, csv_rows(summaries, metas, params), CSV_COLUMNS)
    return check_lines
