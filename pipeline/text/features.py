"""The ``text`` stage's work: transcripts → token indices ``[N, max_len]``, vocabulary, embedding.

One row per manifest utterance, in manifest order. The text is the gold transcript
(``text.source: gold``) or the ASR backend's (``asr``), tokenised, indexed and embedded the same
way. Each row has a status in ``index.csv``:

- ``ok``: tokens from the chosen source;
- ``empty``: no tokens (empty transcript, silence, nothing recognised): an all-PAD row;
- ``gold_filled``: the recogniser returned nothing and ``asr.empty: gold`` put the gold text in;
- ``failed``: the ASR backend could not process the utterance (listed in ``failed.csv``, all-PAD).

The vocabulary covers all rows (the original's choice); ``text.vocab_scope: train`` is applied
later by the ``dataset`` stage with :func:`pipeline.text.restrict_vocabulary`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline import paths
from pipeline.asr.params import AsrParams
from pipeline.errors import MmserError
from pipeline.failures import FailureRecord, write_failures
from pipeline.io import save_npy, write_csv, write_json
from pipeline.manifest import Utterance
from pipeline.text.glove import Vectors, embedding_matrix, load_vectors
from pipeline.text.params import GloveParams, TextParams
from pipeline.text.sentences import describe, note_unused_model
from pipeline.text.tokenize import tokenize
from pipeline.text.vocab import SPECIALS, Vocabulary, build_vocabulary, encode

log = logging.getLogger(__name__)

TOKENIZER = "nltk.word_tokenize: sentence split, then the Treebank tokenizer per sentence"
INDEX_COLUMNS = ("row", "utterance_id", "status", "n_tokens", "length")


@dataclass(frozen=True)
class TextRow:
    """The text chosen for one utterance and why."""

    utterance_id: str
    text: str
    status: str  # ok | empty | gold_filled | failed
    reason: str = ""  # for failed rows


@dataclass
class TextFeatures:
    """Everything the text stage writes."""

    tokens: np.ndarray
    vocab: Vocabulary
    embedding: np.ndarray
    index: list[dict[str, Any]]
    failures: list[FailureRecord]
    meta: dict[str, Any]


def choose_texts(
    utterances: Sequence[Utterance],
    source: str,
    asr_texts: Mapping[str, str] | None = None,
    empty: str = "keep",
    asr_name: str = "asr",
) -> list[TextRow]:
    """The text of every utterance from ``source`` (``gold`` or ``asr``).

    Args:
        utterances: Manifest rows.
        source: ``gold`` or ``asr``.
        asr_texts: Utterance id → recognised text (required for ``asr``); a missing id is a
            failed recognition.
        empty: ``keep`` or ``gold`` for utterances the recogniser returned nothing for.
        asr_name: Backend name, for failure reasons.
    """
    rows = []
    for u in utterances:
        if source == "gold":
            rows.append(TextRow(u.utterance_id, u.transcript, "ok"))
            continue
        if asr_texts is None:
            raise MmserError("text.source is asr but no ASR transcripts were given")
        if u.utterance_id not in asr_texts:
            reason = f"no {asr_name} transcript (see {paths.transcripts_failed(asr_name)})"
            rows.append(TextRow(u.utterance_id, "", "failed", reason))
        elif asr_texts[u.utterance_id].strip():
            rows.append(TextRow(u.utterance_id, asr_texts[u.utterance_id], "ok"))
        elif empty == "gold":
            rows.append(TextRow(u.utterance_id, u.transcript, "gold_filled"))
        else:
            rows.append(TextRow(u.utterance_id, "", "empty"))
    return rows


def build_text_features(
    rows: Sequence[TextRow],
    text: TextParams,
    glove: GloveParams,
    *,
    asr_backend: str | None = None,
    vectors: Vectors | None = None,
) -> TextFeatures:
    """Tokenise, build the vocabulary over all rows, index, and build the embedding matrix.

    Args:
        rows: One :class:`TextRow` per manifest utterance (see :func:`choose_texts`).
        text: Tokenizer and length settings.
        glove: Where word vectors come from (ignored when ``vectors`` is given).
        asr_backend: The backend for ``text.source: asr`` (recorded in ``meta.json``).
        vectors: Pretrained vectors to use instead of loading them from ``glove``.
    """
    sentence_split = describe(text.sentence_split)  # fails early when punkt_tab is missing
    token_lists = [
        tokenize(
            r.text,
            lowercase=text.lowercase,
            markers=text.markers,
            sentence_split=text.sentence_split,
        )
        for r in rows
    ]
    vocab = build_vocabulary(token_lists)
    tokens = encode(token_lists, vocab, text.max_len)
    words = [w for w in vocab if w not in SPECIALS]
    if vectors is None:
        vectors = load_vectors(glove, words)
    embedding = embedding_matrix(vocab, vectors, glove.seed)
    statuses = [
        "empty" if r.status == "ok" and not tokens_ else r.status
        for r, tokens_ in zip(rows, token_lists, strict=True)
    ]
    index = [
        {
            "row": i,
            "utterance_id": r.utterance_id,
            "status": status,
            "n_tokens": len(t),
            "length": min(len(t), text.max_len),
        }
        for i, (r, t, status) in enumerate(zip(rows, token_lists, statuses, strict=True))
    ]
    source_file = str(paths.transcripts_csv(asr_backend)) if asr_backend else ""
    failures = [
        FailureRecord(r.utterance_id, "text", source_file, r.reason)
        for r in rows
        if r.status == "failed"
    ]
    meta = _meta(text, glove, asr_backend, vocab, vectors, token_lists, statuses, sentence_split)
    return TextFeatures(tokens, vocab, embedding, index, failures, meta)


def _meta(
    text: TextParams,
    glove: GloveParams,
    asr_backend: str | None,
    vocab: Vocabulary,
    vectors: Vectors,
    token_lists: Sequence[Sequence[str]],
    statuses: Sequence[str],
    sentence_split: Mapping[str, Any],
) -> dict[str, Any]:
    words = [w for w in vocab if w not in SPECIALS]
    found = {w for w in words if w in vectors.by_word}
    counts = Counter(statuses)
    occurrences = Counter(t for tokens in token_lists for t in tokens)
    total = sum(occurrences.values())
    lengths = [len(t) for t in token_lists]
    return {
        "rows": len(token_lists),
        "source": text.source,
        "asr_backend": asr_backend if text.source == "asr" else None,
        "tokenizer": {
            "name": TOKENIZER,
            "sentence_split": dict(sentence_split),
            "lowercase": text.lowercase,
            "markers": text.markers,
        },
        "max_len": text.max_len,
        "padding": "right, PAD=0; UNK=1",
        "vocab_size": len(vocab),
        "vocab_scope": "all utterances (text.vocab_scope: train is applied by the dataset stage)",
        "status_counts": {s: counts.get(s, 0) for s in ("ok", "empty", "gold_filled", "failed")},
        "empty_rows": counts.get("empty", 0),
        "gold_filled_rows": counts.get("gold_filled", 0),
        "failed_rows": counts.get("failed", 0),
        "truncated_rows": sum(1 for n in lengths if n > text.max_len),
        "tokens_per_row": {
            "min": min(lengths, default=0),
            "max": max(lengths, default=0),
            "mean": float(np.mean(lengths)) if lengths else 0.0,
        },
        "embedding": {
            "source": vectors.source,
            "origin": vectors.origin,
            "dim": vectors.dim,
            "words": len(words),
            "words_with_vector": len(found),
            "words_without_vector": len(words) - len(found),
            "oov_rate": 1 - len(found) / len(words) if words else 0.0,
            "token_oov_rate": (
                sum(n for w, n in occurrences.items() if w not in found) / total if total else 0.0
            ),
            "oov_init": f"Uniform(-0.25, 0.25), seed {glove.seed}; PAD row zeros",
        },
    }


def write_text_features(features: TextFeatures, out_dir: str | Path = paths.TEXT_FEATURES) -> None:
    """Write tokens.npy, vocab.json, embedding.npy, index.csv, meta.json and failed.csv."""
    out = Path(out_dir)
    save_npy(out / paths.TEXT_TOKENS.name, features.tokens)
    write_json(out / paths.TEXT_VOCAB.name, features.vocab)
    save_npy(out / paths.TEXT_EMBEDDING.name, features.embedding)
    write_csv(out / paths.TEXT_INDEX.name, features.index, INDEX_COLUMNS)
    write_json(out / paths.TEXT_META.name, features.meta)
    write_failures(out / paths.TEXT_FAILED.name, features.failures)


def text_features(
    utterances: Sequence[Utterance],
    text: TextParams,
    asr: AsrParams,
    glove: GloveParams,
    asr_texts: Mapping[str, str] | None = None,
) -> TextFeatures:
    """:func:`choose_texts` then :func:`build_text_features`, logging the counts."""
    if text.source == "asr" and asr.backend == "gold":
        log.warning(
            "text.source is asr but asr.backend is gold: these ARE the gold transcripts; "
            "set asr.backend: pocketsphinx (offline) or google for recognised text"
        )
    note_unused_model(text.sentence_split)
    rows = choose_texts(utterances, text.source, asr_texts, asr.empty, asr.backend)
    features = build_text_features(
        rows, text, glove, asr_backend=asr.backend if text.source == "asr" else None
    )
    meta = features.meta
    log.info(
        "%d rows from %s, sentences split by %s: vocabulary %d, %d empty, %d gold-filled, "
        "%d failed, embedding %s %d-d (%.1f%% of words without a vector)",
        meta["rows"],
        text.source if text.source == "gold" else f"asr/{asr.backend}",
        text.sentence_split,
        meta["vocab_size"],
        meta["empty_rows"],
        meta["gold_filled_rows"],
        meta["failed_rows"],
        meta["embedding"]["source"],
        meta["embedding"]["dim"],
        100 * meta["embedding"]["oov_rate"],
    )
    return features
