"""Tokenisation as the original: NLTK Treebank rules, lower-casing, markers per text.markers."""

from __future__ import annotations

import pytest

from pipeline.text.tokenize import normalize_text, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes, I did it.", ["yes", ",", "i", "did", "it", "."]),
        ("I can't believe it's true!", ["i", "ca", "n't", "believe", "it", "'s", "true", "!"]),
        ("Don't you think so?", ["do", "n't", "you", "think", "so", "?"]),
        ("We'll see -- maybe...", ["we", "'ll", "see", "--", "maybe", "..."]),
        ('He said "hi"', ["he", "said", "``", "hi", "''"]),
        ("It's 5 o'clock, 3.5 kg", ["it", "'s", "5", "o'clock", ",", "3.5", "kg"]),
        ("", []),
        ("   ", []),
    ],
)
def test_treebank_rules_and_lowercase(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_case_is_kept_when_lowercase_is_off() -> None:
    assert tokenize("Hello World", lowercase=False) == ["Hello", "World"]


def test_markers_keep_split_like_the_original() -> None:
    text = "Okay [LAUGHTER] fine [BREATHING]"
    assert tokenize(text) == ["okay", "[", "laughter", "]", "fine", "[", "breathing", "]"]


def test_markers_token_keeps_one_token_each() -> None:
    text = "Okay [LAUGHTER] fine.[GARBAGE]"
    assert tokenize(text, markers="token") == ["okay", "[laughter]", "fine", ".", "[garbage]"]
    assert tokenize(text, markers="token", lowercase=False)[1] == "[LAUGHTER]"


def test_markers_drop_removes_them() -> None:
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
