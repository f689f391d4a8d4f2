"""Tokenisation as the original: NLTK ``word_tokenize`` then lower-casing.

``nltk.word_tokenize(text, preserve_line=True)`` is the Treebank tokenizer without the Punkt
sentence splitter, so it needs no downloaded NLTK data (one utterance is one line anyway).
Punctuation becomes separate tokens, contractions split Treebank-style (``don't`` → ``do``,
``n't``); nothing is removed and numbers stay as written.

IEMOCAP markers such as ``[LAUGHTER]`` are tokenised like any text by default (``[``,
``laughter``, ``]``), as the original did; ``markers: token`` keeps one token per marker and
``markers: drop`` removes them.
"""

from __future__ import annotations

import re
import unicodedata

from nltk.tokenize import word_tokenize

from pipeline.text.params import MarkerMode

#: A bracketed non-verbal marker, e.g. ``[LAUGHTER]``, ``[BREATHING]``, ``[GARBAGE]``.
MARKER_RE = re.compile(r"\[[A-Za-z][A-Za-z _-]*\]")


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space (no other change)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def tokenize(text: str, *, lowercase: bool = True, markers: MarkerMode = "keep") -> list[str]:
    """Split one utterance into tokens.

    Args:
        text: The transcript (any Unicode).
        lowercase: Lower-case every token.
        markers: ``keep``, ``token`` or ``drop`` for ``[LAUGHTER]``-style markers.

    Returns:
        The tokens; an empty list for empty text.

    Example:
        >>> tokenize("Yes, I didn't [LAUGHTER]")
        ['yes', ',', 'i', 'did', "n't", '[', 'laughter', ']']
        >>> tokenize("Yes, I didn't [LAUGHTER]", markers="token")
        ['yes', ',', 'i', 'did', "n't", '[laughter]']
    """
    text = normalize_text(text)
    if markers == "keep":
        tokens = _words(text)
    else:
        tokens = []
        position = 0
        for match in MARKER_RE.finditer(text):
            tokens.extend(_words(text[position : match.start()]))
            if markers == "token":
                tokens.append(match.group(0).replace(" ", "_"))
            position = match.end()
        tokens.extend(_words(text[position:]))
    return [t.lower() for t in tokens] if lowercase else tokens


def _words(text: str) -> list[str]:
    return word_tokenize(text, preserve_line=True) if text.strip() else []
