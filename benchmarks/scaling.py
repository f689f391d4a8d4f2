"""How a measured cost grows with the corpus: a least-squares line, its R², and projections.

A stage measured at a few corpus sizes gives points ``(x, y)`` (x: utterances, seconds of
audio or video crops; y: seconds or MB). :func:`linear_fit` fits ``y = slope · x + intercept``
and reports R² (1 = every point on the line) and the log-log exponent (1 = linear, 2 =
quadratic), so a stage that grows faster than linearly shows up even when R² looks good over a
short range. :func:`project` extrapolates the line to the release's size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LinearFit:
    """``y = slope · x + intercept`` fitted to ``points`` points; ``r2`` and ``exponent`` are
    ``None`` where they are undefined (fewer than 2 points; a non-positive value for the
    exponent)."""

    slope: float
    intercept: float
    r2: float | None
    exponent: float | None
    points: int

    def at(self, x: float) -> float:
        return self.slope * x + self.intercept

    def to_json(self, digits: int = 6) -> dict[str, float | int | None]:
        def rounded(v: float | None) -> float | None:
            return None if v is None else float(f"{v:.{digits}g}")

        return {
            "slope": rounded(self.slope),
            "intercept": rounded(self.intercept),
            "r2": rounded(self.r2),
            "exponent": rounded(self.exponent),
            "points": self.points,
        }


def _least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("a line needs at least two different x values")
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> LinearFit:
    """Least-squares line through ``(xs, ys)``, its R² and the log-log slope.

    Raises:
        ValueError: fewer than two different ``x`` values, or ``xs`` and ``ys`` differ in length.
    """
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} x values but {len(ys)} y values")
    slope, intercept = _least_squares(xs, ys)
    mean_y = sum(ys) / len(ys)
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    r2 = 1.0 - residual / total if total > 0 else None
    exponent = None
    if all(v > 0 for v in (*xs, *ys)):
        exponent, _ = _least_squares([math.log(x) for x in xs], [math.log(y) for y in ys])
    return LinearFit(slope, intercept, r2, exponent, len(xs))


def project(fit: LinearFit, x: float, cores: int = 1) -> float:
    """The fitted value at ``x`` divided over ``cores`` (CPU seconds → seconds on ``cores``
    cores when the work spreads over them perfectly)."""
    if cores < 1:
        raise ValueError(f"cores must be at least 1, got {cores}")
    return fit.at(x) / cores
