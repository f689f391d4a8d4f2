"""WER/CER and the original's edit-distance metric on hand-computed cases."""

from __future__ import annotations

import pytest

from pipeline.asr.report import error_rates, mean_edit_distance, wer_report, word_edit_distance

PAIRS = [
    ("u1", "Hello, there! [LAUGHTER]", "hello there"),
    ("u2", "I don't know.", "i do not know"),
    ("u3", "yes", ""),
]
SESSIONS = {"u1": "Session1", "u2": "Session1", "u3": "Session2"}


def test_hand_computed_report() -> None:
    report = wer_report(PAIRS, SESSIONS)
    overall = report["overall"]
    # normalised: "hello there" = ok; "i dont know" vs "i do not know": 1 S + 1 I; "yes" vs "": 1 D
    assert overall["reference_words"] == 6
    assert (overall["substitutions"], overall["insertions"], overall["deletions"]) == (1, 1, 1)
    assert overall["wer"] == pytest.approx(3 / 6)
    # characters (spaces included): 0 + 2 insertions ("do" + " " + "n" + "o" + "t") + 3 deletions
    assert overall["cer"] == pytest.approx(5 / 25)
    assert report["per_session"]["Session1"]["wer"] == pytest.approx(2 / 5)
    assert report["per_session"]["Session2"]["wer"] == pytest.approx(1.0)
    original = report["original_metric"]
    # raw whitespace split: u1 2 S + 1 D, u2 3 S + 1 I, u3 1 D
    assert original["mean_word_edit_distance"] == pytest.approx(8 / 3)
    # lower-cased: u1 still 3 ("hello," "there!"), u2 2 S + 1 I, u3 1
    assert original["mean_word_edit_distance_lowercased"] == pytest.approx(7 / 3)


def test_word_edit_distance_cases() -> None:
    assert word_edit_distance("a b c", "a b c") == 0
    assert word_edit_distance("a b c", "a x c d") == 2
    assert word_edit_distance("", "a b") == 2
    assert word_edit_distance("A", "a") == 1
    assert word_edit_distance("A", "a", lowercase=True) == 0


def test_empty_inputs() -> None:
    assert error_rates([], []) == {"utterances": 0, "wer": None, "cer": None, "reference_words": 0}
    assert mean_edit_distance([], []) is None
    assert wer_report([])["overall"]["wer"] is None
