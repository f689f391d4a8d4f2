"""Sentence splitting before word tokenisation (``text.sentence_split``).

``nltk.word_tokenize(text)``, which the original used, first splits the text into sentences with
NLTK's Punkt tokenizer and its trained English parameters (the ``punkt_tab`` data package), then
runs the Treebank word tokenizer on each sentence: ``Yeah. Okay.`` → ``Yeah . Okay .``. Without
the split the Treebank tokenizer only separates the period at the very end of the text and keeps
``Yeah.`` as one word. The choices:

- ``punkt_tab``: Punkt with NLTK's trained English parameters, exactly ``nltk.word_tokenize``.
  The data are not part of the nltk wheel; install them once with
  ``python -m nltk.downloader punkt_tab``. Missing data are an error, never a silent fallback.
- ``punkt_untrained`` (default): the same Punkt algorithm with empty parameters, needing no data.
  It splits after every ``.``, ``?`` and ``!`` that ends a word, except after initials and
  ordinals, so it also splits after abbreviations the trained model knows (``Mr.``, ``Dr.``,
  ``U.S.``, ``p.m.``): ``Mr. Smith`` → ``mr . smith`` instead of ``mr. smith``. Elsewhere they
  rarely differ: only after an ellipsis or an initial can the trained model's word statistics
  decide differently.
- ``none``: no split (``word_tokenize(text, preserve_line=True)``): ``yeah. okay .``.

The choice is a parameter rather than "trained when installed" so that the same params.yaml
gives the same tokens on every machine; ``meta.json`` of the text stage records it (and, for
``punkt_tab``, where the model was found and its checksum).
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path
from typing import Any

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTokenizer

from pipeline.errors import MmserError
from pipeline.text.params import SentenceSplit

log = logging.getLogger(__name__)

LANGUAGE = "english"
DOWNLOAD = "python -m nltk.downloader punkt_tab"
MODEL_FILES = ("abbrev_types.txt", "collocations.tab", "ortho_context.tab", "sent_starters.txt")


def punkt_tab_dir() -> Path | None:
    """Where NLTK finds the trained English Punkt model (``punkt_tab``), or ``None``."""
    from nltk.data import find

    try:
        return Path(find(f"tokenizers/punkt_tab/{LANGUAGE}/"))
    except LookupError:
        return None


@cache
def _tokenizer(mode: SentenceSplit) -> PunktSentenceTokenizer:
    if mode == "punkt_untrained":
        return PunktSentenceTokenizer()
    try:
        return PunktTokenizer(LANGUAGE)
    except LookupError:
        raise MmserError(
            "text.sentence_split is punkt_tab, but NLTK's trained English Punkt model "
            "(tokenizers/punkt_tab/english) is not installed",
            hint=f"run `{DOWNLOAD}` once, or set text.sentence_split: punkt_untrained",
        ) from None


def split_sentences(text: str, mode: SentenceSplit) -> list[str]:
    """The sentences of ``text`` under ``mode`` (``none``: the whole text as one sentence).

    Raises:
        MmserError: for ``punkt_tab`` when the model is not installed.
    """
    if mode == "none":
        return [text]
    return _tokenizer(mode).tokenize(text)


def describe(mode: SentenceSplit) -> dict[str, Any]:
    """What ``mode`` used, for ``meta.json``: the splitter and, for ``punkt_tab``, its model.

    Raises:
        MmserError: for ``punkt_tab`` when the model is not installed.
    """
    if mode == "punkt_untrained":
        return {"name": mode, "splitter": "nltk PunktSentenceTokenizer() without parameters"}
    if mode == "none":
        return {"name": mode, "splitter": "none (one sentence per utterance)"}
    _tokenizer(mode)  # raises when the model is missing
    folder = punkt_tab_dir()
    assert folder is not None  # the tokenizer just loaded it
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        digest.update((folder / name).read_bytes())
    return {
        "name": mode,
        "splitter": f"nltk PunktTokenizer({LANGUAGE!r}), trained parameters",
        "model": str(folder),
        "model_sha256": digest.hexdigest(),
    }


def note_unused_model(mode: SentenceSplit) -> None:
    """Log once that the trained model is installed but ``mode`` does not use it."""
    if mode != "punkt_tab" and punkt_tab_dir() is not None:
        log.info(
            "NLTK's trained punkt_tab model is installed; text.sentence_split: punkt_tab would "
            "tokenise exactly as nltk.word_tokenize (now: %s)",
            mode,
        )
