"""Scoring ASR output against the gold transcripts: WER/CER (jiwer) and real-time factor.

WER and CER are computed on normalised text: ``[LAUGHTER]``-style markers removed, lower-cased,
punctuation removed, whitespace collapsed (an ASR system never outputs markers or the corpus'
punctuation). For comparison with the original (R1 ``analysis/WER_calculator.ipynb``) the report
also gives its metric: the mean per-utterance word edit distance, not
normalised by length, on raw whitespace-split text (case-sensitive, and lower-cased).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import jiwer

from pipeline.text.normalize import MARKER_RE

_CLEAN = [
    jiwer.SubstituteRegexes({MARKER_RE.pattern: " "}),
    jiwer.ToLowerCase(),
    jiwer.RemovePunctuation(),
    jiwer.RemoveMultipleSpaces(),
    jiwer.Strip(),
]
WORDS = jiwer.Compose([*_CLEAN, jiwer.ReduceToListOfListOfWords()])
CHARS = jiwer.Compose([*_CLEAN, jiwer.ReduceToListOfListOfChars()])
_SPLIT = [jiwer.RemoveMultipleSpaces(), jiwer.Strip(), jiwer.ReduceToListOfListOfWords()]
RAW_WORDS = jiwer.Compose(_SPLIT)
RAW_LOWER_WORDS = jiwer.Compose([jiwer.ToLowerCase(), *_SPLIT])

NORMALISATION = "markers removed, lower-cased, punctuation removed, whitespace collapsed"
ORIGINAL_NOTE = (
    "R1's ASR 'WER' is this mean per-utterance word edit distance on raw text, not a rate: "
    "5.537 (case-sensitive) and 4.924 (lower-cased) for Google Cloud Speech on the release"
)


def error_rates(references: Sequence[str], hypotheses: Sequence[str]) -> dict[str, Any]:
    """Corpus-level WER and CER with their counts (``None`` rates for an empty list)."""
    if not references:
        return {"utterances": 0, "wer": None, "cer": None, "reference_words": 0}
    words = jiwer.process_words(
        list(references), list(hypotheses), reference_transform=WORDS, hypothesis_transform=WORDS
    )
    chars = jiwer.process_characters(
        list(references), list(hypotheses), reference_transform=CHARS, hypothesis_transform=CHARS
    )
    return {
        "utterances": len(references),
        "wer": words.wer,
        "cer": chars.cer,
        "reference_words": sum(len(r) for r in words.references),
        "substitutions": words.substitutions,
        "deletions": words.deletions,
        "insertions": words.insertions,
    }


def word_edit_distance(reference: str, hypothesis: str, *, lowercase: bool = False) -> int:
    """Word-level Levenshtein distance on whitespace-split text (the original's measure)."""
    transform = RAW_LOWER_WORDS if lowercase else RAW_WORDS
    out = jiwer.process_words(
        reference, hypothesis, reference_transform=transform, hypothesis_transform=transform
    )
    return out.substitutions + out.deletions + out.insertions


def mean_edit_distance(
    references: Sequence[str], hypotheses: Sequence[str], *, lowercase: bool = False
) -> float | None:
    """Mean of :func:`word_edit_distance` over the pairs (``None`` for no pairs)."""
    pairs = list(zip(references, hypotheses, strict=True))
    if not pairs:
        return None
    return sum(word_edit_distance(r, h, lowercase=lowercase) for r, h in pairs) / len(pairs)


def wer_report(
    pairs: Sequence[tuple[str, str, str]], sessions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Scores of ``(utterance_id, reference, hypothesis)`` triples, overall and per session.

    Args:
        pairs: The recognised utterances with their gold and ASR text.
        sessions: Utterance id → session name (e.g. ``Session1``) for the breakdown.
    """
    refs = [r for _, r, _ in pairs]
    hyps = [h for _, _, h in pairs]
    by_group: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for triple in pairs:
        if sessions is not None:
            by_group[sessions[triple[0]]].append(triple)
    return {
        "normalisation": NORMALISATION,
        "overall": error_rates(refs, hyps),
        "per_session": {
            name: error_rates([r for _, r, _ in rows], [h for _, _, h in rows])
            for name, rows in sorted(by_group.items())
        },
        "original_metric": {
            "mean_word_edit_distance": mean_edit_distance(refs, hyps),
            "mean_word_edit_distance_lowercased": mean_edit_distance(refs, hyps, lowercase=True),
            "note": ORIGINAL_NOTE,
        },
    }
