"""The report's checks, per setting: each line starts with ``ok`` or ``FAIL``.

- chance: every model's test WA (mean over folds) beats chance — the larger of uniform guessing
  and the test set's majority class — by ``report.min_wa_over_chance``;
- fusion: every multimodal model beats the best unimodal model of its own setting (both
  papers' central claim), saying when the difference is inside the test set's 95 % interval;
- learnable: every class of the scheme is recalled above uniform chance (1/C) by at least one
  model of the setting (test predictions pooled over the folds): no label is left unlearnt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.report.runs import Summary, recalls


@dataclass(frozen=True)
class ReportParams:
    """``report:`` section of params.yaml."""

    min_wa_over_chance: float = 0.15


def below_chance(summary: Summary, params: ReportParams) -> bool:
    """Whether a run's mean test WA misses chance + the margin."""
    return summary.wa[0] < summary.chance + params.min_wa_over_chance


def chance_checks(setting: str, rows: Sequence[Summary], params: ReportParams) -> list[str]:
    """One FAIL per model below chance + margin, or one ok line for the setting."""
    fails = [
        f"FAIL {setting}/{s.run.model}: test WA {s.wa[0]:.3f} is not above chance "
        f"{s.chance:.3f} + {params.min_wa_over_chance}"
        for s in rows
        if below_chance(s, params)
    ]
    return fails or [f"ok {setting}: every model beats chance by {params.min_wa_over_chance}"]


def fusion_checks(setting: str, rows: Sequence[Summary]) -> list[str]:
    """Each multimodal model against the best unimodal model of the same setting."""
    unimodal = [s for s in rows if "+" not in s.run.modalities]
    if not unimodal:
        return []
    best = max(unimodal, key=lambda s: s.wa[0])
    out = []
    for s in (s for s in rows if "+" in s.run.modalities):
        beats = s.wa[0] > best.wa[0]
        relation = "beats" if beats else "does not beat"
        noise = ""
        if abs(s.wa[0] - best.wa[0]) < s.ci95:
            noise = f" (within the ±{s.ci95:.3f} 95% interval of the test set)"
        out.append(
            f"{'ok' if beats else 'FAIL'} {setting}/{s.run.model}: test WA {s.wa[0]:.3f} "
            f"{relation} the best unimodal model {best.run.model} ({best.wa[0]:.3f}){noise}"
        )
    return out


def learnable_checks(setting: str, rows: Sequence[Summary]) -> list[str]:
    """Whether some model recalls each class above 1/C (test predictions pooled over folds)."""
    if not rows:
        return []
    per_model = {s.run.model: recalls(s.run) for s in rows}
    classes = list(next(iter(per_model.values())))
    best = {c: max(per_model, key=lambda m: per_model[m][c]) for c in classes}
    recall = {c: per_model[best[c]][c] for c in classes}
    n, floor = len(classes), 1 / len(classes)
    missed = [c for c in classes if not recall[c] > floor]
    if missed:
        listed = ", ".join(f"{c} (best {recall[c]:.2f}, {best[c]})" for c in missed)
        return [f"FAIL {setting}: no model recalls {listed} above 1/{n} = {floor:.3f}"]
    hardest = min(classes, key=lambda c: recall[c])
    return [
        f"ok {setting}: each of the {n} classes is recalled above 1/{n} by some model "
        f"(hardest: {hardest}, {recall[hardest]:.2f} by {best[hardest]})"
    ]


def checks(setting: str, rows: Sequence[Summary], params: ReportParams) -> list[str]:
    """Every check of one setting's runs."""
    return [
        *chance_checks(setting, rows, params),
        *fusion_checks(setting, rows),
        *learnable_checks(setting, rows),
    ]
