"""Tokenisation as the original: ``nltk.word_tokenize`` then lower-casing.

``nltk.word_tokenize(text)`` splits the text into sentences (Punkt) and runs NLTK's Treebank
word tokenizer on each: punctuation becomes separate tokens (``Yeah. Okay.`` → ``Yeah``, ``.``,
``Okay``, ``.``), contractions split Treebank-style (``don't`` → ``do``, ``n't``; ``gonna`` →
``gon``, ``na``), nothing is removed and numbers stay as written. Which sentence splitter runs is
``text.sentence_split`` (:mod:`pipeline.text.sentences`): ``punkt_tab`` is exactly
``word_tokenize``; the default ``punkt_untrained`` differs from it only after abbreviations.

IEMOCAP markers such as ``[LAUGHTER]`` are tokenised like any text by default (``[``,
``laughter``, ``]``), as the original did; ``markers: token`` keeps one token per marker and
``markers: drop`` removes them. Sentences are split on the whole text, markers included, in
every mode.
"""

from __future__ import annotations

from nltk.tokenize import word_tokenize

from pipeline.text.normalize import MARKER_RE, normalize_text
from pipeline.text.params import MarkerMode, SentenceSplit
from pipeline.text.sentences import split_sentences


def tokenize(
    text: str,
    *,
    lowercase: bool = True,
    markers: MarkerMode = "keep",
    sentence_split: SentenceSplit = "punkt_untrained",
) -> list[str]:
    """Split one utterance into tokens.

    Args:
        text: The transcript (any Unicode; NFC-normalised, whitespace collapsed first).
        lowercase: Lower-case every token.
        markers: ``keep``, ``token`` or ``drop`` for ``[LAUGHTER]``-style markers.
        sentence_split: ``punkt_untrained``, ``punkt_tab`` or ``none``
            (see :mod:`pipeline.text.sentences`).

    Returns:
        The tokens; an empty list for empty text.

    Example:
        >>> tokenize("Yeah. Yes, I didn't [LAUGHTER]")
        ['yeah', '.', 'yes', ',', 'i', 'did', "n't", '[', 'laughter', ']']
        >>> tokenize("Yes, I didn't [LAUGHTER]", markers="token")
        ['yes', ',', 'i', 'did', "n't", '[laughter]']
    """
    text = normalize_text(text)
    tokens: list[str] = []
    for sentence in split_sentences(text, sentence_split) if text else []:
        tokens.extend(_sentence_tokens(sentence, markers))
    return [t.lower() for t in tokens] if lowercase else tokens


def _sentence_tokens(sentence: str, markers: MarkerMode) -> list[str]:
    if markers == "keep":
        return _words(sentence)
    tokens = []
    position = 0
    for match in MARKER_RE.finditer(sentence):
        tokens.extend(_words(sentence[position : match.start()]))
        if markers == "token":
            tokens.append(match.group(0).replace(" ", "_"))
        position = match.end()
    tokens.extend(_words(sentence[position:]))
    return tokens


def _words(text: str) -> list[str]:
    """The Treebank tokens of one sentence (``word_tokenize`` without its own sentence split)."""
    return word_tokenize(text, preserve_line=True) if text.strip() else []
