"""Text features: choosing gold/ASR text, row statuses, meta counts, writing and reading back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.asr.params import AsrParams
from pipeline.errors import MmserError
from pipeline.io import read_csv, read_json
from pipeline.manifest import Utterance
from pipeline.text.features import (
    TextRow,
    build_text_features,
    choose_texts,
    text_features,
    write_text_features,
)
from pipeline.text.glove import Vectors
from pipeline.text.params import GloveParams, TextParams
from pipeline.text.vocab import PAD, UNK, decode, load_text_features


def utterance(uid: str, transcript: str) -> Utterance:
    return Utterance(uid, 1, "Ses01F_impro01", "impro", "F", 0.0, 1.0, "neu", 3.0, 3.0, 3.0,
                     transcript, f"{uid}.wav", "", "")  # fmt: skip


UTTERANCES = [
    utterance("u0", "Hello there."),
    utterance("u1", "I'm fine [LAUGHTER]"),
    utterance("u2", "Go home!"),
    utterance("u3", "Really?"),
]
ASR = {"u0": "hello there", "u1": "", "u2": "   "}  # u3 failed: no transcript


def test_gold_source_uses_the_manifest_transcripts() -> None:
    rows = choose_texts(UTTERANCES, "gold")
    assert [(r.text, r.status) for r in rows] == [(u.transcript, "ok") for u in UTTERANCES]


@pytest.mark.parametrize(
    ("empty", "expected"),
    [
        ("keep", [("hello there", "ok"), ("", "empty"), ("", "empty"), ("", "failed")]),
        (
            "gold",
            [
                ("hello there", "ok"),
                ("I'm fine [LAUGHTER]", "gold_filled"),
                ("Go home!", "gold_filled"),
                ("", "failed"),
            ],
        ),
    ],
)
def test_asr_source_statuses(empty: str, expected: list[tuple[str, str]]) -> None:
    rows = choose_texts(UTTERANCES, "asr", ASR, empty, "google")
    assert [(r.text, r.status) for r in rows] == expected
    assert "data/transcripts/google_failed.csv" in rows[3].reason


def test_asr_source_needs_transcripts() -> None:
    with pytest.raises(MmserError, match="no ASR transcripts"):
        choose_texts(UTTERANCES, "asr", None)


def test_features_arrays_meta_and_index() -> None:
    asr_rows = choose_texts(UTTERANCES, "asr", ASR, "keep", "google")
    rows = [*asr_rows, TextRow("u4", "[LAUGHTER]", "ok")]
    vectors = Vectors({"hello": np.ones(4, np.float32)}, 4, "glove-file", "g.txt")
    text = TextParams(source="asr", max_len=3, markers="drop")
    features = build_text_features(rows, text, GloveParams(), asr_backend="google", vectors=vectors)
    assert features.vocab == {PAD: 0, UNK: 1, "hello": 2, "there": 3}
    assert features.tokens.dtype == np.int32
    assert features.tokens.tolist() == [[2, 3, 0]] + [[0, 0, 0]] * 4
    assert features.embedding.shape == (4, 4) and features.embedding.dtype == np.float32
    assert features.embedding[2].tolist() == [1, 1, 1, 1] and (features.embedding[0] == 0).all()
    statuses = [r["status"] for r in features.index]
    assert statuses == ["ok", "empty", "empty", "failed", "empty"]  # u4: only a dropped marker
    assert [(f.utterance_id, f.file) for f in features.failures] == [
        ("u3", "data/transcripts/google.csv")
    ]
    meta = features.meta
    assert (meta["rows"], meta["source"], meta["asr_backend"]) == (5, "asr", "google")
    assert (meta["empty_rows"], meta["gold_filled_rows"], meta["failed_rows"]) == (3, 0, 1)
    assert meta["embedding"]["words_without_vector"] == 1
    assert meta["embedding"]["oov_rate"] == pytest.approx(0.5)
    assert meta["embedding"]["token_oov_rate"] == pytest.approx(0.5)  # "there" of 2 tokens
    assert meta["tokenizer"]["markers"] == "drop"


def test_truncated_rows_are_counted() -> None:
    rows = [TextRow("a", "one two three four five", "ok"), TextRow("b", "one two", "ok")]
    vectors = Vectors({}, 2, "random")
    features = build_text_features(rows, TextParams(max_len=4), GloveParams(), vectors=vectors)
    assert features.meta["truncated_rows"] == 1
    assert [(r["n_tokens"], r["length"]) for r in features.index] == [(5, 4), (2, 2)]
    assert features.meta["tokens_per_row"] == {"min": 2, "max": 5, "mean": 3.5}


def test_write_and_load_round_trip(tmp_path: Path) -> None:
    asr = AsrParams(backend="gold")
    features = text_features(UTTERANCES, TextParams(), asr, GloveParams(fallback="random"))
    write_text_features(features, tmp_path)
    tokens, vocab, embedding = load_text_features(tmp_path)
    assert tokens.shape == (4, 128) and tokens.dtype == np.int32
    assert vocab == features.vocab and embedding.shape == (len(vocab), 300)
    assert decode(tokens[1], vocab) == ["i", "'m", "fine", "[", "laughter", "]"]
    index = read_csv(tmp_path / "index.csv")
    assert [r["utterance_id"] for r in index] == ["u0", "u1", "u2", "u3"]
    assert read_json(tmp_path / "meta.json")["embedding"]["source"] == "random"
    assert read_csv(tmp_path / "failed.csv") == []


def test_load_rejects_indices_outside_the_vocabulary(tmp_path: Path) -> None:
    features = text_features(UTTERANCES, TextParams(), AsrParams(), GloveParams(fallback="random"))
    features.tokens[0, 0] = len(features.vocab)
    write_text_features(features, tmp_path)
    with pytest.raises(MmserError, match="outside the vocabulary"):
        load_text_features(tmp_path)
