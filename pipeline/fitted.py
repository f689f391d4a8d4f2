"""What the dataset stage fits on the training partition only, resolved from the feature modules.

Feature arrays never depend on the split; whatever must be learnt from training data (audio
normalisation statistics, the ``text.vocab_scope: train`` vocabulary) is applied when the
per-split datasets are assembled. The audio and text modules own these computations; this module
is the one seam through which :mod:`pipeline.datasets` calls them.

Until ``pipeline.audio`` / ``pipeline.text`` provide them, the small reference implementations
below are used (same contract): z-scoring per feature dimension over the valid frames of the
training rows, and a vocabulary restricted to the tokens seen in training rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

AudioNormalize = Literal["none", "train_zscore"]
VocabScope = Literal["all", "train"]
PAD, UNK = 0, 1


@dataclass(frozen=True)
class ZScore:
    """Per-dimension mean and standard deviation (std of constant dimensions is 1)."""

    mean: np.ndarray
    std: np.ndarray

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "std": self.std.tolist()}


def _valid(chunk: np.ndarray, lengths: np.ndarray | None) -> np.ndarray:
    """The valid rows (frame-level arrays: the valid frames) of a chunk as ``[n, D]``."""
    if lengths is None:
        return chunk.reshape(-1, chunk.shape[-1])
    steps = np.arange(chunk.shape[1])
    return chunk[steps[None, :] < np.minimum(lengths, chunk.shape[1])[:, None]]


def fit_zscore(
    array: np.ndarray, lengths: np.ndarray | None, train_rows: np.ndarray, chunk: int = 256
) -> ZScore:
    """Mean/std per last-axis dimension over the training rows (valid frames only), streamed."""
    dim = array.shape[-1]
    total, sq, count = np.zeros(dim), np.zeros(dim), 0
    for start in range(0, len(train_rows), chunk):
        rows = train_rows[start : start + chunk]
        values = _valid(
            np.asarray(array[rows], np.float64), None if lengths is None else lengths[rows]
        )
        total += values.sum(0)
        sq += (values**2).sum(0)
        count += len(values)
    mean = total / max(count, 1)
    std = np.sqrt(np.maximum(sq / max(count, 1) - mean**2, 0.0))
    return ZScore(mean.astype(np.float32), np.where(std > 1e-8, std, 1.0).astype(np.float32))


def apply_zscore(chunk: np.ndarray, lengths: np.ndarray | None, stats: ZScore) -> np.ndarray:
    """Normalise a chunk; padded frames stay exactly zero."""
    out = ((chunk - stats.mean) / stats.std).astype(np.float32)
    if lengths is not None:
        steps = np.arange(chunk.shape[1])
        out[steps[None, :] >= np.minimum(lengths, chunk.shape[1])[:, None]] = 0.0
    return out


def restrict_vocabulary(
    tokens: np.ndarray, vocab: dict[str, int], embedding: np.ndarray, train_rows: Sequence[int]
) -> tuple[np.ndarray, dict[str, int], np.ndarray]:
    """Keep only the tokens that occur in training rows; the others become UNK.

    Returns:
        ``(tokens, vocab, embedding)`` re-indexed (PAD=0, UNK=1, then training tokens in their
        old index order); the embedding keeps the rows of the kept tokens.
    """
    seen = np.unique(tokens[np.asarray(train_rows, dtype=np.int64)])
    keep = sorted({PAD, UNK} | {int(i) for i in seen})
    old_to_new = np.full(len(embedding), UNK, dtype=np.int64)
    old_to_new[keep] = np.arange(len(keep))
    names = {index: token for token, index in vocab.items()}
    new_vocab = {names[i]: n for n, i in enumerate(keep) if i in names}
    return old_to_new[tokens].astype(tokens.dtype), new_vocab, embedding[keep]
