"""Z-scoring fitted on training rows: valid frames only, padding stays zero."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio.normalize import CHUNK_BYTES, ZScore, apply_zscore, fit_zscore
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


class _Recorder:
    """A frame array that records what each read asks for: (rows, frames)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array, self.shape, self.reads = array, array.shape, []

    def __getitem__(self, index: tuple) -> np.ndarray:
        rows, frames = index
        self.reads.append((len(rows), frames.stop))
        return self.array[rows, frames]


def test_fit_reads_chunks_of_rows_and_only_up_to_their_longest_valid_frame() -> None:
    array = np.zeros((5, 10, 2), np.float32)
    lengths = np.array([2, 4, 1, 3, 10])
    for row, length in enumerate(lengths[:4]):
        array[row, :length] = [[row + 1, 7.0]] * length  # row r's valid frames are r + 1
    array[4] = 99.0  # not a training row
    recorder = _Recorder(array)
    stats = fit_zscore(recorder, lengths, [0, 1, 2, 3], chunk=2)
    assert recorder.reads == [(2, 4), (2, 3)]  # rows 0-1: up to 4 frames; rows 2-3: 3
    # values 1,1 | 2,2,2,2 | 3 | 4,4,4: mean 25/10; squares 2 + 16 + 9 + 48 = 75, mean 7.5
    np.testing.assert_allclose(stats.mean, [2.5, 7.0])
    np.testing.assert_allclose(stats.std, [np.sqrt(7.5 - 6.25), 1.0], rtol=1e-6)


def test_default_chunk_is_a_bounded_number_of_bytes() -> None:
    array = np.ones((40, 1000, 120), np.float32)  # 0.96 MB per row in float64
    recorder = _Recorder(array)
    fit_zscore(recorder, np.full(40, 1000), np.arange(40))
    assert max(rows for rows, _ in recorder.reads) * 1000 * 120 * 8 <= CHUNK_BYTES
    assert sum(rows for rows, _ in recorder.reads) == 40
