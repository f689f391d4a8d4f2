"""The report's checks, per setting: each line starts with ``ok`` or ``FAIL``.

- chance: every model's test WA (mean over folds) beats chance — the larger of uniform guessing
  and the test set's majority class — by ``report.min_wa_over_chance``;
- fusion: every multimodal model beats the best unimodal model of its own setting (both
  papers' central claim), saying when the difference is inside the test set's 95 % interval;
- learnable: the setting's best model recalls every class above uniform chance (1/C), pooled
  over the folds, so no label of the scheme is left unlearnt.
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
    """Whether the setting's best model recalls every class above 1/C (pooled over folds)."""
    if not rows:
        return []
    best = max(rows, key=lambda s: s.wa[0])
    recall = recalls(best.run)
    floor = 1 / len(recall)
    missed = {c: r for c, r in recall.items() if not r > floor}
    lowest = min(recall, key=lambda c: recall[c])
    name = f"{setting}: the best model, {best.run.model},"
    if missed:
        listed = ", ".join(f"{c} {r:.2f}" for c, r in missed.items())
        return [f"FAIL {name} recalls {listed}: not above 1/{len(recall)} = {floor:.3f}"]
    return [
        f"ok {name} recalls every one of the {len(recall)} classes above 1/{len(recall)} "
        f"(lowest: {lowest} {recall[lowest]:.2f})"
    ]


def checks(setting: str, rows: Sequence[Summary], params: ReportParams) -> list[str]:
    """Every check of one setting's runs."""
    return [
        *chance_checks(setting, rows, params),
        *fusion_checks(setting, rows),
        *learnable_checks(setting, rows),
    ]
