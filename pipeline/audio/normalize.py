"""Per-dimension z-scoring of features, fitted on a group of rows, applied to any rows.

The stored features are raw, as the originals'. The dataset stage calls :func:`fit_zscore` on
the rows of each statistics group (``audio.normalize: speaker_zscore``, the default: each
speaker's rows; ``train_zscore``: the training partition's; ``none`` feeds the models raw
values, as the originals) and :func:`apply_zscore` to every partition:

    stats = fit_zscore(mfcc, seq_n, train_rows)          # mfcc [N, 750, 39]: read in chunks
    block = apply_zscore(mfcc[rows], seq_n[rows], stats)  # any chunk of rows, any partition

Frame-level arrays (``mfcc``, ``amh_audio``) use only their valid frames (``t < lengths``) for
the statistics and keep padded frames at exactly 0 after normalisation; utterance-level arrays
(``prosody``) pass ``lengths=None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.errors import MmserError

MIN_STD = 1e-8  # dimensions with a smaller spread (constant on train) are only centred
CHUNK_BYTES = 32 << 20  # float64 bytes per read of fit_zscore (a chunk's values and squares)


@dataclass(frozen=True)
class ZScore:
    """Per-dimension mean and standard deviation (1 for constant dimensions), float32."""

    mean: np.ndarray
    std: np.ndarray

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "std": self.std.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ZScore:
        return cls(np.asarray(data["mean"], np.float32), np.asarray(data["std"], np.float32))


def _valid_mask(frames: int, lengths: np.ndarray) -> np.ndarray:
    """``[rows, frames]`` True where ``t < min(length, frames)``."""
    return np.arange(frames)[None, :] < np.minimum(np.asarray(lengths), frames)[:, None]


def fit_zscore(
    array: Any,
    lengths: np.ndarray | None,
    train_rows: Sequence[int] | np.ndarray,
    chunk: int | None = None,
) -> ZScore:
    """Mean and population std per last-axis dimension over the training rows.

    Args:
        array: ``[N, T, D]`` frame features (with ``lengths``) or ``[N, D]`` (``lengths=None``):
            a numpy array, memory map or :class:`pipeline.io.NpyRows`, read ``chunk`` rows at a
            time (of frame features only the frames up to the chunk's longest valid length), so
            a file is never loaded whole.
        lengths: ``[N]`` valid frames per row, or ``None``.
        train_rows: Row indices of the training partition.
        chunk: Rows per read; default: as many as make :data:`CHUNK_BYTES` in float64.

    Raises:
        MmserError: if there is no training value, or a training value is not finite (a failed
            utterance that was not excluded).
    """
    rows = np.asarray(train_rows, dtype=np.int64)
    dim = array.shape[-1]
    if chunk is None:
        chunk = max(1, CHUNK_BYTES // (8 * int(np.prod(array.shape[1:], dtype=np.int64))))
    total, squares, count = np.zeros(dim), np.zeros(dim), 0
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        if lengths is None:
            values = np.asarray(array[part], dtype=np.float64)
        else:
            valid = np.minimum(np.asarray(lengths)[part], array.shape[1])
            block = np.asarray(array[part, : int(valid.max(initial=0))], dtype=np.float64)
            values = block[_valid_mask(block.shape[1], valid)]
        values = values.reshape(-1, dim)
        if not np.isfinite(values).all():
            raise MmserError("cannot fit normalisation: training features contain NaN/inf")
        total += values.sum(axis=0)
        squares += (values**2).sum(axis=0)
        count += len(values)
    if count == 0:
        raise MmserError("cannot fit normalisation: no training frames")
    mean = total / count
    std = np.sqrt(np.maximum(squares / count - mean**2, 0.0))
    return ZScore(mean.astype(np.float32), np.where(std > MIN_STD, std, 1.0).astype(np.float32))


def apply_zscore(block: np.ndarray, lengths: np.ndarray | None, stats: ZScore) -> np.ndarray:
    """``(block - mean) / std`` as float32; frames at or past ``lengths`` stay exactly 0."""
    out = ((np.asarray(block, dtype=np.float32) - stats.mean) / stats.std).astype(np.float32)
    if lengths is not None:
        out[~_valid_mask(out.shape[1], lengths)] = 0.0
    return out
