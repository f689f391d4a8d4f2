"""Vocabulary, index arrays (padding, truncation, round trip) and the train-only restriction."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import MmserError
from pipeline.text import restrict_vocabulary
from pipeline.text.vocab import (
    PAD,
    UNK,
    build_vocabulary,
    decode,
    encode,
    inverse,
    sequence_lengths,
)


def test_vocabulary_pad_unk_then_by_count_then_alphabetical() -> None:
    vocab = build_vocabulary([["b", "a", "c"], ["a", "c", "a"], ["d"]])
    # counts: a 3, c 2, b 1, d 1
    assert vocab == {PAD: 0, UNK: 1, "a": 2, "c": 3, "b": 4, "d": 5}


def test_special_strings_in_text_never_become_words() -> None:
    vocab = build_vocabulary([["_PAD_", "x"]])
    assert vocab == {PAD: 0, UNK: 1, "x": 2}
    assert encode([["_PAD_", "x"]], vocab, 3).tolist() == [[1, 2, 0]]


def test_encode_right_pads_and_maps_unknown_to_unk() -> None:
    vocab = {PAD: 0, UNK: 1, "hi": 2, "there": 3}
    out = encode([["hi", "there"], ["there", "you"], []], vocab, 4)
    assert out.dtype == np.int32
    assert out.tolist() == [[2, 3, 0, 0], [3, 1, 0, 0], [0, 0, 0, 0]]


def test_truncation_keeps_the_first_max_len_tokens() -> None:
    # more than 128 tokens -> the first 128; exactly 128 -> all, no PAD left.
    vocab = build_vocabulary([[f"w{i}" for i in range(200)]])
    long = [f"w{i}" for i in range(200)]
    exact = long[:128]
    out = encode([long, exact, long[:127]], vocab, 128)
    assert out.shape == (3, 128)
    assert out[0].tolist() == [vocab[w] for w in long[:128]]
    assert (out[1] != 0).all()
    assert out[2, 127] == 0 and (out[2, :127] != 0).all()
    assert sequence_lengths(out).tolist() == [128, 128, 127]


def test_index_round_trip() -> None:
    sentences = [["yes", ",", "i", "did", "."], ["i", "did", "n't"], []]
    vocab = build_vocabulary(sentences)
    tokens = encode(sentences, vocab, 8)
    assert [decode(row, vocab) for row in tokens] == sentences


def test_inverse_rejects_a_broken_vocabulary() -> None:
    with pytest.raises(MmserError, match=r"0\.\.2"):
        inverse({PAD: 0, UNK: 1, "a": 5})
    with pytest.raises(MmserError, match="must start"):
        inverse({"a": 0, PAD: 1, UNK: 2})


def test_restrict_vocabulary_to_training_rows() -> None:
    vocab = {PAD: 0, UNK: 1, "a": 2, "b": 3, "c": 4, "d": 5}
    embedding = np.arange(12, dtype=np.float32).reshape(6, 2)
    tokens = np.array([[2, 3, 0], [4, 2, 0], [5, 5, 3], [1, 4, 0]], dtype=np.int32)
    # train rows 0 and 2 contain a, b, d; c (index 4) occurs only in rows 1 and 3
    new_tokens, new_vocab, new_embedding = restrict_vocabulary(tokens, vocab, embedding, [0, 2])
    assert new_vocab == {PAD: 0, UNK: 1, "a": 2, "b": 3, "d": 4}
    assert new_tokens.dtype == np.int32
    assert new_tokens.tolist() == [[2, 3, 0], [1, 2, 0], [4, 4, 3], [1, 1, 0]]
    # rows follow their words: a -> old row 2, b -> 3, d -> 5
    assert new_embedding.tolist() == embedding[[0, 1, 2, 3, 5]].tolist()
    # a boolean mask means the same
    again = restrict_vocabulary(tokens, vocab, embedding, np.array([1, 0, 1, 0], dtype=bool))
    assert again[1] == new_vocab and (again[0] == new_tokens).all()


def test_restrict_vocabulary_with_all_rows_changes_nothing() -> None:
    sentences = [["x", "y"], ["z", "x"]]
    vocab = build_vocabulary(sentences)
    tokens = encode(sentences, vocab, 4)
    embedding = np.random.default_rng(0).normal(size=(len(vocab), 3)).astype(np.float32)
    out = restrict_vocabulary(tokens, vocab, embedding, [0, 1])
    assert (out[0] == tokens).all() and out[1] == vocab and (out[2] == embedding).all()


def test_restrict_vocabulary_checks_embedding_rows() -> None:
    vocab = {PAD: 0, UNK: 1, "a": 2}
    with pytest.raises(MmserError, match="embedding has 2 rows"):
        restrict_vocabulary(np.zeros((1, 2), np.int32), vocab, np.zeros((2, 4)), [0])
