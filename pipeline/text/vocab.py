"""Vocabulary and token-index arrays.

Index 0 is ``_PAD_`` and 1 is ``_UNK_``, as the original; words follow by descending count, ties
alphabetically (the original used Python-2 dict order: arbitrary, so any fixed order is as
faithful). Rows are right-padded with PAD; an utterance longer than ``max_len`` keeps its first
``max_len`` tokens. The valid length of a row is the position of its first PAD.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from pipeline import paths
from pipeline.errors import MmserError
from pipeline.io import load_npy, read_json

PAD, UNK = "_PAD_", "_UNK_"
PAD_ID, UNK_ID = 0, 1
SPECIALS = (PAD, UNK)

Vocabulary = dict[str, int]


def build_vocabulary(token_lists: Iterable[Sequence[str]]) -> Vocabulary:
    """Every distinct token (no minimum count), after PAD=0 and UNK=1.

    Example:
        >>> build_vocabulary([["b", "a"], ["a"]])
        {'_PAD_': 0, '_UNK_': 1, 'a': 2, 'b': 3}
    """
    counts = Counter(t for tokens in token_lists for t in tokens if t not in SPECIALS)
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return {PAD: PAD_ID, UNK: UNK_ID} | {w: i for i, w in enumerate(words, start=2)}


def encode(
    token_lists: Sequence[Sequence[str]], vocab: Mapping[str, int], max_len: int
) -> np.ndarray:
    """Token lists → ``[N, max_len]`` int32 indices, right-padded with PAD, truncated to max_len.

    Tokens missing from ``vocab`` (and the literal strings ``_PAD_``/``_UNK_``) become UNK.
    """
    out = np.full((len(token_lists), max_len), PAD_ID, dtype=np.int32)
    for row, tokens in enumerate(token_lists):
        ids = [UNK_ID if t in SPECIALS else vocab.get(t, UNK_ID) for t in tokens[:max_len]]
        out[row, : len(ids)] = ids
    return out


def sequence_lengths(tokens: np.ndarray) -> np.ndarray:
    """Valid length of each row: the position of its first PAD, or the row width if none."""
    is_pad = tokens == PAD_ID
    first = np.argmax(is_pad, axis=1)
    return np.where(is_pad.any(axis=1), first, tokens.shape[1]).astype(np.int64)


def decode(row: np.ndarray, vocab: Mapping[str, int]) -> list[str]:
    """The tokens of one index row up to its first PAD (the inverse of :func:`encode`)."""
    words = inverse(vocab)
    length = int(sequence_lengths(np.asarray(row)[None, :])[0])
    return [words[int(i)] for i in row[:length]]


def inverse(vocab: Mapping[str, int]) -> list[str]:
    """Index → token list; checks that the indices are exactly ``0..V-1`` with PAD=0, UNK=1."""
    words = [""] * len(vocab)
    for word, index in vocab.items():
        if not 0 <= index < len(vocab) or words[index]:
            raise MmserError(f"vocabulary indices are not 0..{len(vocab) - 1} (at {word!r})")
        words[index] = word
    if words[:2] != [PAD, UNK]:
        raise MmserError(f"vocabulary must start with {PAD}=0, {UNK}=1, got {words[:2]}")
    return words


def restrict_vocabulary(
    tokens: np.ndarray,
    vocab: Mapping[str, int],
    embedding: np.ndarray,
    train_rows: Sequence[int] | np.ndarray,
) -> tuple[np.ndarray, Vocabulary, np.ndarray]:
    """Keep only the words that occur in the training rows (``text.vocab_scope: train``).

    Every other word becomes UNK in all rows and loses its vocabulary entry and embedding row;
    the kept words are renumbered ``2..`` in their previous order, PAD and UNK stay 0 and 1.

    Args:
        tokens: ``[N, L]`` indices into ``vocab`` (any integer dtype; returned in the same dtype).
        vocab: Token → index, as written by the text stage (``vocab.json``).
        embedding: ``[V, D]`` rows aligned with ``vocab``.
        train_rows: Row numbers (or a boolean mask over N) of the training utterances.

    Returns:
        ``(tokens, vocab, embedding)`` restricted to the training vocabulary.

    Example:
        >>> t = np.array([[2, 3, 0], [4, 2, 0]])
        >>> v = {"_PAD_": 0, "_UNK_": 1, "a": 2, "b": 3, "c": 4}
        >>> new_t, new_v, _ = restrict_vocabulary(t, v, np.zeros((5, 2)), [0])
        >>> new_t.tolist(), new_v
        ([[2, 3, 0], [1, 2, 0]], {'_PAD_': 0, '_UNK_': 1, 'a': 2, 'b': 3})
    """
    words = inverse(vocab)
    if embedding.shape[0] != len(words):
        raise MmserError(
            f"embedding has {embedding.shape[0]} rows but the vocabulary {len(words)} entries"
        )
    seen = np.zeros(len(words), dtype=bool)
    seen[np.unique(tokens[np.asarray(train_rows)])] = True
    seen[[PAD_ID, UNK_ID]] = True
    mapping = np.full(len(words), UNK_ID, dtype=np.int64)
    kept = np.flatnonzero(seen)
    mapping[kept] = np.arange(len(kept))
    new_vocab = {words[old]: new for new, old in enumerate(kept)}
    return mapping[tokens].astype(tokens.dtype), new_vocab, embedding[kept]


def load_text_features(
    folder: str | Path,
) -> tuple[np.ndarray, Vocabulary, np.ndarray]:
    """The text stage's ``(tokens [N, L] int32, vocab, embedding [V, D] f32)`` in ``folder``,
    checked to agree with each other."""
    folder = Path(folder)
    tokens = load_npy(folder / paths.TEXT_TOKENS.name, shape=[None, None])
    vocab = read_json(folder / paths.TEXT_VOCAB.name)
    embedding = load_npy(folder / paths.TEXT_EMBEDDING.name, shape=[len(vocab), None])
    if tokens.size and (int(tokens.min()) < 0 or int(tokens.max()) >= len(vocab)):
        raise MmserError(
            f"token indices {int(tokens.min())}..{int(tokens.max())} are outside the vocabulary "
            f"of {len(vocab)}",
            file=folder / paths.TEXT_TOKENS.name,
        )
    return tokens, vocab, embedding
