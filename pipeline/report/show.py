"""``python -m pipeline.report.show``: where the report is, and its table in the terminal.

Read from the report's own files (``results/summary.csv``, ``summary.md``); ``make repro``
ends with it. Prints one compact table per setting (test WA and UA: the mean ± std over the
folds that ran, and the setting's paper; ⚠ marks a model below chance + margin) and the checks
that fail.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline import paths
from pipeline.io import read_csv
from pipeline.report.summary import TITLES, fmt

HEAD = ("model", "modalities", "test WA", "test UA", "paper WA", "paper UA")


def _stat(row: Mapping[str, str], mean: str, std: str) -> tuple[float, float | None] | None:
    mean, std = row.get(mean, ""), row.get(std, "")
    if not mean:
        return None
    return float(mean), float(std) if std else None


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def tables(rows: Sequence[Mapping[str, str]]) -> list[str]:
    """One aligned table per setting of ``summary.csv``'s rows, with a title line each."""
    lines: list[str] = []
    for setting in dict.fromkeys(r["setting"] for r in rows):
        mine = [r for r in rows if r["setting"] == setting]
        folds = mine[0]["folds"].split()
        which = f"fold {folds[0]}" if len(folds) == 1 else f"mean ± std over {len(folds)} folds"
        lines += ["", f"{TITLES.get(setting, setting)}: {mine[0]['scheme']}, {which}"]
        cells = [
            (r["model"] + (" ⚠" if r.get("below_chance_margin") == "True" else ""),
             r["modalities"], fmt(_stat(r, "wa_mean", "wa_std")),
             fmt(_stat(r, "ua_mean", "ua_std")), fmt(_stat(r, "paper_wa", "paper_wa_std")),
             fmt(_stat(r, "paper_ua", "paper_ua_std")))
            for r in mine
        ]  # fmt: skip
        lines += ["  " + line for line in _aligned([HEAD, *cells])]
    return lines


def failed_checks(summary_md: str) -> list[str]:
    """The check lines of ``summary.md`` that fail."""
    return [line[2:] for line in summary_md.splitlines() if line.startswith("- FAIL ")]


def show(results: Path = paths.RESULTS) -> str:
    """The text printed: where the files are, the tables, the failing checks."""
    md, csv = results / paths.SUMMARY_MD.name, results / paths.SUMMARY_CSV.name
    rows = read_csv(csv, ("setting", "model", "scheme", "folds", "wa_mean", "ua_mean"))
    failed = failed_checks(md.read_text(encoding="utf-8"))
    lines = [
        f"Summary: {md} (tables, checks, links to every run's files)",
        f"Figures: {results / paths.REPORT_HTML.name} (training curves, confusion matrices)",
        *tables(rows),
        "",
        f"Checks: {len(failed)} failed" if failed else "Checks: all passed",
        *(f"  {line}" for line in failed),
    ]
    return "\n".join(lines)


def main() -> None:
    try:
        print(show())
    except OSError as exc:
        sys.exit(f"error: {exc.filename}: {exc.strerror} (run `dvc repro` first)")


if __name__ == "__main__":
    main()
