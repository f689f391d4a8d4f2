"""The release-scale benchmark's arithmetic: a least-squares line, R², the log-log exponent and
the projection, against values computed by hand."""

from __future__ import annotations

import math

import pytest

from benchmarks.scaling import linear_fit, project


def test_line_r2_and_projection_by_hand() -> None:
    # x = 1, 2, 3; y = 2, 4, 7: mean x 2, mean y 13/3; Sxy = (-1)(-7/3) + 0 + (1)(8/3) = 5,
    # Sxx = 2 -> slope 5/2, intercept 13/3 - 5 = -2/3. Residuals 1/6, -1/3, 1/6: SSres = 1/6;
    # SStot = (49 + 1 + 64) / 9 = 114/9 -> R² = 1 - (1/6) / (114/9) = 1 - 9/684.
    fit = linear_fit([1, 2, 3], [2, 4, 7])
    assert fit.slope == pytest.approx(2.5)
    assert fit.intercept == pytest.approx(-2 / 3)
    assert fit.r2 == pytest.approx(1 - 9 / 684)
    assert fit.points == 3
    assert project(fit, 10) == pytest.approx(25 - 2 / 3)
    assert project(fit, 10, cores=2) == pytest.approx((25 - 2 / 3) / 2)


def test_exponent_tells_linear_from_quadratic() -> None:
    xs = [100, 200, 400, 800]
    assert linear_fit(xs, [3 * x + 5 for x in xs]).exponent == pytest.approx(1.0, abs=0.01)
    quadratic = linear_fit(xs, [x * x for x in xs])
    assert quadratic.exponent == pytest.approx(2.0)
    # the line through a parabola can still look good: y = x² at 100..800 gives R² ≈ 0.96
    assert quadratic.r2 is not None and quadratic.r2 > 0.95


def test_exact_line_and_degenerate_inputs() -> None:
    fit = linear_fit([10, 20], [1.0, 3.0])  # two points: on the line, R² = 1
    assert (fit.slope, fit.intercept, fit.r2) == pytest.approx((0.2, -1.0, 1.0))
    assert math.isclose(fit.at(10_039), 0.2 * 10_039 - 1)
    assert linear_fit([1, 2], [5.0, 5.0]).r2 is None  # no variance to explain
    assert linear_fit([1, 2], [-1.0, 1.0]).exponent is None  # no logarithm of a negative
    with pytest.raises(ValueError, match="two different x"):
        linear_fit([3, 3], [1, 2])
    with pytest.raises(ValueError, match="cores"):
        project(fit, 1, cores=0)
