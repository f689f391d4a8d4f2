"""Tokenisation as ``nltk.word_tokenize``: Punkt sentences, Treebank words, lower-casing, markers.

Every expected token list is written by hand from the Treebank rules (punctuation and
contractions split, ``...`` one token, double quotes as `` and '') and Punkt's: a ``.``, ``?`` or
``!`` ending a word (or followed directly by a bracket or quote) ends a sentence, except after an
abbreviation the trained model knows, after an initial, or before a lower-case word following an
ellipsis.
"""

from __future__ import annotations

from pathlib import Path

import nltk
import pytest

from pipeline.errors import MmserError
from pipeline.text import sentences
from pipeline.text.normalize import normalize_text
from pipeline.text.sentences import describe, punkt_tab_dir, split_sentences
from pipeline.text.tokenize import tokenize

# Tokens that do not depend on whether Punkt has trained parameters (expected: space-separated).
COMMON = [
    ("Yes, I did it.", "yes , i did it ."),
    ("Yeah. Okay. What?", "yeah . okay . what ?"),
    ("yeah. okay.", "yeah . okay ."),
    ("Stop it! Why? Because.", "stop it ! why ? because ."),
    ("What?! Fine.", "what ? ! fine ."),
    ("Wow! Really? No...", "wow ! really ? no ..."),
    ("Wait... what? Okay.", "wait ... what ? okay ."),
    ("No... I mean, yes.", "no ... i mean , yes ."),
    ("We'll see -- maybe...", "we 'll see -- maybe ..."),
    ('She said "no." I left.', "she said `` no . '' i left ."),
    ('He said "hi"', "he said `` hi ''"),
    ("I don't know. I'm gonna go, you'll see.", "i do n't know . i 'm gon na go , you 'll see ."),
    ("I can't. It's true!", "i ca n't . it 's true !"),
    ("Gotta go. Wanna come?", "got ta go . wan na come ?"),
    ("It's 5 o'clock, 3.5 kg. Fine.", "it 's 5 o'clock , 3.5 kg . fine ."),
    ("", ""),
    ("   ", ""),
]

ABBREVIATIONS = "Mr. Smith met Dr. Jones in the U.S. yesterday."
# Untrained Punkt knows no abbreviation: each of these periods ends a sentence.
ABBREVIATIONS_UNTRAINED = "mr . smith met dr . jones in the u.s . yesterday ."
# NLTK's trained English model lists mr, dr and u.s as abbreviations: one sentence, and the
# Treebank tokenizer keeps a period inside a sentence with its word.
ABBREVIATIONS_TRAINED = "mr. smith met dr. jones in the u.s. yesterday ."


@pytest.mark.parametrize(("text", "expected"), COMMON)
def test_sentences_then_treebank_words(text: str, expected: str) -> None:
    assert tokenize(text) == expected.split()


def test_default_untrained_punkt_splits_after_abbreviations_not_initials() -> None:
    assert tokenize(ABBREVIATIONS) == ABBREVIATIONS_UNTRAINED.split()
    assert tokenize("It is 5 p.m. now.") == ["it", "is", "5", "p.m", ".", "now", "."]
    assert tokenize("J. K. Rowling wrote it.") == ["j.", "k.", "rowling", "wrote", "it", "."]


def test_no_sentence_split_keeps_inner_periods_on_their_words() -> None:
    assert tokenize("Yeah. Okay. What?", sentence_split="none") == [
        "yeah.", "okay.", "what", "?",
    ]  # fmt: skip
    assert tokenize(ABBREVIATIONS, sentence_split="none") == ABBREVIATIONS_TRAINED.split()


def test_case_is_kept_when_lowercase_is_off() -> None:
    assert tokenize("Hello World. Bye.", lowercase=False) == ["Hello", "World", ".", "Bye", "."]


MARKED = "Okay. [LAUGHTER] Fine.[BREATHING] What?"


def test_markers_keep_split_like_the_original() -> None:
    # Punkt also ends a sentence at a period directly followed by "[" (or "(", a quote, ...).
    assert tokenize(MARKED) == [
        "okay", ".", "[", "laughter", "]", "fine", ".", "[", "breathing", "]", "what", "?",
    ]  # fmt: skip
    assert tokenize("Fine.[BREATHING] What?", sentence_split="none") == [
        "fine.", "[", "breathing", "]", "what", "?",
    ]  # fmt: skip
    text = "Okay [LAUGHTER] fine [BREATHING]"
    assert tokenize(text) == ["okay", "[", "laughter", "]", "fine", "[", "breathing", "]"]


def test_markers_token_keeps_one_token_each() -> None:
    assert tokenize(MARKED, markers="token") == [
        "okay", ".", "[laughter]", "fine", ".", "[breathing]", "what", "?",
    ]  # fmt: skip
    text = "Okay [LAUGHTER] fine.[GARBAGE]"
    assert tokenize(text, markers="token") == ["okay", "[laughter]", "fine", ".", "[garbage]"]
    assert tokenize(text, markers="token", lowercase=False)[1] == "[LAUGHTER]"


def test_markers_drop_removes_them() -> None:
    assert tokenize(MARKED, markers="drop") == ["okay", ".", "fine", ".", "what", "?"]
    assert tokenize("[BREATHING] Okay [LAUGHTER] fine", markers="drop") == ["okay", "fine"]
    assert tokenize("[LAUGHTER]", markers="drop") == []


def test_brackets_that_are_not_markers_stay_text() -> None:
    assert tokenize("see [1]", markers="drop") == ["see", "[", "1", "]"]


def test_non_ascii_is_tokenised_and_nfc_normalised() -> None:
    decomposed = "Cafe\u0301 na\u00efve"  # "Café" written with a combining accent
    tokens = tokenize(decomposed)
    assert tokens == ["café", "naïve"]
    assert tokens[0] == "caf\u00e9"  # composed form, same token as a precomposed input
    assert tokenize("Übermäßig GROẞ") == ["übermäßig", "groß"]


def test_normalize_text_collapses_whitespace_only() -> None:
    assert normalize_text("  Hi,\tthere \n you ") == "Hi, there you"


def test_untrained_and_none_are_described_for_meta() -> None:
    assert describe("punkt_untrained")["name"] == "punkt_untrained"
    assert describe("none")["name"] == "none"


@pytest.fixture
def nltk_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An NLTK data folder that is the only one searched; the loaded model is forgotten after."""
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    sentences._tokenizer.cache_clear()
    yield tmp_path
    sentences._tokenizer.cache_clear()


def test_punkt_tab_missing_is_an_error_naming_the_key_and_the_download(nltk_data: Path) -> None:
    with pytest.raises(MmserError, match=r"text\.sentence_split is punkt_tab") as info:
        tokenize("Yeah. Okay.", sentence_split="punkt_tab")
    assert "python -m nltk.downloader punkt_tab" in str(info.value)
    with pytest.raises(MmserError, match="not installed"):
        describe("punkt_tab")


def test_punkt_tab_model_is_loaded_from_the_nltk_data_path(nltk_data: Path) -> None:
    """A hand-made model in the punkt_tab format (three abbreviations, nothing else) stands in
    for NLTK's: this checks that ``punkt_tab`` loads whatever model NLTK finds, not the model."""
    model = nltk_data / "tokenizers" / "punkt_tab" / "english"
    model.mkdir(parents=True)
    (model / "abbrev_types.txt").write_text("mr\ndr\nu.s\n", encoding="utf-8")
    for name in ("collocations.tab", "ortho_context.tab", "sent_starters.txt"):
        (model / name).write_text("", encoding="utf-8")
    assert punkt_tab_dir() == model
    assert split_sentences(ABBREVIATIONS + " Bye.", "punkt_tab") == [ABBREVIATIONS, "Bye."]
    assert tokenize(ABBREVIATIONS, sentence_split="punkt_tab") == ABBREVIATIONS_TRAINED.split()
    meta = describe("punkt_tab")
    assert meta["name"] == "punkt_tab" and meta["model"] == str(model)
    assert len(meta["model_sha256"]) == 64


@pytest.mark.skipif(punkt_tab_dir() is None, reason="NLTK's punkt_tab data are not installed")
@pytest.mark.parametrize(("text", "expected"), [*COMMON, (ABBREVIATIONS, ABBREVIATIONS_TRAINED)])
def test_trained_punkt_tab_is_nltk_word_tokenize(text: str, expected: str) -> None:
    assert tokenize(text, sentence_split="punkt_tab") == expected.split()
    assert [t.lower() for t in nltk.word_tokenize(normalize_text(text))] == expected.split()
