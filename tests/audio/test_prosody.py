"""Contour smoothing and functionals on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio.features import PROSODY_FUNCTIONALS
from pipeline.audio.prosody import functionals, smooth


def test_moving_average_repeats_edges() -> None:
    np.testing.assert_allclose(smooth(np.array([3.0, 6.0, 0.0, 9.0])), [4.0, 3.0, 5.0, 6.0])


def test_moving_average_over_nonzero_frames_keeps_zeros() -> None:
    result = smooth(np.array([0.0, 4.0, 8.0, 0.0, 2.0]), skip_zeros=True)
    np.testing.assert_allclose(result, [0.0, 6.0, 6.0, 0.0, 2.0])


def test_functionals_of_a_line() -> None:
    x = np.array([2.0, 4.0, 6.0, 8.0, 10.0])
    got = dict(zip(PROSODY_FUNCTIONALS, functionals(x), strict=True))
    assert got["amean"] == 6.0
    assert got["stddev"] == pytest.approx(np.sqrt(8.0))  # population
    assert got["linregc1"] == pytest.approx(2.0)  # per frame
    assert got["centroid"] == pytest.approx((0 * 2 + 4 + 12 + 24 + 40) / 30 / 5)
    assert got["percentile10.0"] == pytest.approx(2.8)  # 2 + 0.4 * (4 - 2)
    assert got["percentile90.0"] == pytest.approx(9.2)
    assert got["pctlrange0-1"] == pytest.approx(6.4)


def test_nonzero_functionals_drop_unvoiced_frames() -> None:
    x = np.array([0.0, 100.0, 0.0, 0.0, 200.0, 0.0])
    got = dict(zip(PROSODY_FUNCTIONALS, functionals(x, nonzero=True), strict=True))
    assert got["amean"] == 150.0 and got["linregc1"] == 100.0
    assert not functionals(np.zeros(5), nonzero=True).any()
