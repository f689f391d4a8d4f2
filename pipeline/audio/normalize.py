"""Per-dimension z-scoring of audio features, fitted on the training partition only.

The stored features are raw, as the originals'. With ``audio.normalize:
train_zscore`` (the default; ``none`` feeds the models raw values, as the originals) the dataset
stage calls :func:`fit_zscore` on the training rows of each array and
:func:`apply_zscore` to every partition:

    stats = fit_zscore(mfcc, seq_n, train_rows)          # mfcc may be a memmap [N, 750, 39]
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
    array: np.ndarray,
    lengths: np.ndarray | None,
    train_rows: Sequence[int] | np.ndarray,
    chunk: int = 256,
) -> ZScore:
    """Mean and population std per last-axis dimension over the training rows.

    Args:
        array: ``[N, T, D]`` frame features (with ``lengths``) or ``[N, D]`` (``lengths=None``);
            read ``chunk`` rows at a time, so a memory map is never loaded whole.
        lengths: ``[N]`` valid frames per row, or ``None``.
        train_rows: Row indices of the training partition.
        chunk: Rows per read.

    Raises:
        MmserError: if there is no training value, or a training value is not finite (a failed
            utterance that was not excluded).
    """
    rows = np.asarray(train_rows, dtype=np.int64)
    dim = array.shape[-1]
    total, squares, count = np.zeros(dim), np.zeros(dim), 0
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        block = np.asarray(array[part], dtype=np.float64)
        values = block if lengths is None else block[_valid_mask(block.shape[1], lengths[part])]
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
