"""WA, UA, R2's precision figures and per-class scores against hand-computed values."""

from __future__ import annotations

import pytest

from models.metrics import summarize

CLASSES = ("ang", "hap", "sad")


def test_hand_computed_case() -> None:
    # truth: 4 ang, 2 hap, 2 sad
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 2, 2]
    m = summarize(y_true, y_pred, CLASSES)
    assert m["confusion"] == [[3, 1, 0], [1, 1, 0], [0, 0, 2]]
    assert m["n"] == 8 and m["classes"] == list(CLASSES)
    assert m["wa"] == pytest.approx(6 / 8)
    assert m["ua"] == pytest.approx((3 / 4 + 1 / 2 + 2 / 2) / 3)
    # precision: ang 3/4, hap 1/2, sad 2/2; weighted by true counts 4, 2, 2
    assert m["precision_weighted"] == pytest.approx((4 * 0.75 + 2 * 0.5 + 2 * 1.0) / 8)
    assert m["precision_macro"] == pytest.approx((0.75 + 0.5 + 1.0) / 3)
    assert m["f1_macro"] == pytest.approx((0.75 + 0.5 + 1.0) / 3)
    assert m["per_class"]["ang"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4}
    assert m["per_class"]["hap"]["f1"] == pytest.approx(0.5)


def test_never_predicted_class_has_zero_precision_and_ua_differs_from_wa() -> None:
    m = summarize([0, 0, 0, 1], [0, 0, 0, 0], CLASSES[:2])
    assert m["wa"] == 0.75 and m["ua"] == 0.5
    assert m["per_class"]["hap"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert m["precision_macro"] == pytest.approx((0.75 + 0.0) / 2)
    assert m["precision_weighted"] == pytest.approx((3 * 0.75 + 1 * 0.0) / 4)


def test_ua_over_classes_in_the_truth_and_macro_over_classes_seen_anywhere() -> None:
    # truth has a (2) and b (2); c is only predicted (once, wrongly); d never appears.
    m = summarize([0, 0, 1, 1], [0, 2, 1, 1], ("a", "b", "c", "d"))
    assert m["confusion"] == [[1, 0, 1, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    assert m["wa"] == pytest.approx(3 / 4)
    assert m["ua"] == pytest.approx((1 / 2 + 2 / 2) / 2)  # recall of a and b only
    # precision a 1/1, b 2/2, c 0/1; d is neither true nor predicted and is left out
    assert m["precision_macro"] == pytest.approx((1 + 1 + 0) / 3)
    assert m["precision_weighted"] == pytest.approx((2 * 1 + 2 * 1) / 4)
    # F1 a: 2 * 1 * 0.5 / 1.5, b: 1, c: 0
    assert m["f1_macro"] == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert m["per_class"]["d"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_no_samples_scores_zero() -> None:
    m = summarize([], [], CLASSES)
    assert (m["n"], m["wa"], m["ua"], m["precision_macro"]) == (0, 0.0, 0.0, 0.0)
    assert m["confusion"] == [[0, 0, 0]] * 3
