"""Z-scoring fitted on training rows: valid frames only, padding stays zero."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio.normalize import ZScore, apply_zscore, fit_zscore
from pipeline.errors import MmserError


def _frames() -> tuple[np.ndarray, np.ndarray]:
    array = np.zeros((3, 4, 2), np.float32)
    array[0, :2] = [[1, 10], [3, 10]]  # 2 valid frames
    array[1, :3] = [[5, 10], [7, 10], [9, 10]]  # 3 valid frames
    array[2, :4] = 100.0  # a test row: must not influence the statistics
    return array, np.array([2, 3, 4])


def test_fit_uses_training_rows_and_valid_frames_only() -> None:
    array, lengths = _frames()
    stats = fit_zscore(array, lengths, [0, 1], chunk=1)
    np.testing.assert_allclose(stats.mean, [5.0, 10.0])
    np.testing.assert_allclose(stats.std, [np.sqrt(8.0), 1.0])  # constant dimension → 1


def test_apply_keeps_padding_zero() -> None:
    array, lengths = _frames()
    stats = fit_zscore(array, lengths, [0, 1])
    out = apply_zscore(array, lengths, stats)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[0, :2, 0], [-4 / np.sqrt(8), -2 / np.sqrt(8)], rtol=1e-6)
    assert not out[0, 2:].any() and not out[1, 3:].any()
    np.testing.assert_allclose(out[1, :3, 1], 0.0)


def test_utterance_level_and_json_round_trip() -> None:
    prosody = np.array([[1.0, 2.0], [3.0, 2.0], [50.0, 50.0]])
    stats = fit_zscore(prosody, None, np.array([0, 1]))
    np.testing.assert_allclose(apply_zscore(prosody[:2], None, stats), [[-1, 0], [1, 0]])
    again = ZScore.from_json(stats.to_json())
    np.testing.assert_array_equal(again.mean, stats.mean)


def test_nan_in_training_rows_is_an_error() -> None:
    array, lengths = _frames()
    array[1, 0, 0] = np.nan
    with pytest.raises(MmserError, match="NaN"):
        fit_zscore(array, lengths, [0, 1])
    with pytest.raises(MmserError, match="no training frames"):
        fit_zscore(array, lengths, [])
