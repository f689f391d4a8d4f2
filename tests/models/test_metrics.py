"""WA, UA, R2's precision figures and per-class scores on hand-computed confusion matrices."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    precision_score,
    recall_score,
)

from models.metrics import confusion_matrix, summarize

CLASSES = ("ang", "hap", "sad")


def test_hand_computed_case() -> None:
    # truth: 4 ang, 2 hap, 2 sad
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 2, 2]
    cm = confusion_matrix(y_true, y_pred, 3)
    assert cm.tolist() == [[3, 1, 0], [1, 1, 0], [0, 0, 2]]
    m = summarize(cm, CLASSES)
    assert m["wa"] == pytest.approx(6 / 8)
    assert m["ua"] == pytest.approx((3 / 4 + 1 / 2 + 2 / 2) / 3)
    # precision: ang 3/4, hap 1/2, sad 2/2; weighted by true counts 4, 2, 2
    assert m["precision_weighted"] == pytest.approx((4 * 0.75 + 2 * 0.5 + 2 * 1.0) / 8)
    assert m["precision_macro"] == pytest.approx((0.75 + 0.5 + 1.0) / 3)
    assert m["per_class"]["ang"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4}
    assert m["per_class"]["hap"]["f1"] == pytest.approx(0.5)


def test_never_predicted_class_has_zero_precision_and_ua_differs_from_wa() -> None:
    cm = confusion_matrix([0, 0, 0, 1], [0, 0, 0, 0], 2)
    m = summarize(cm, CLASSES[:2])
    assert m["wa"] == 0.75 and m["ua"] == 0.5
    assert m["per_class"]["hap"]["precision"] == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, 60)
    y_pred = np.where(rng.random(60) < 0.6, y_true, rng.integers(0, 3, 60))  # class 3 rarely
    m = summarize(confusion_matrix(y_true, y_pred, 4), ("a", "b", "c", "d"))
    kw = {"zero_division": 0}
    assert m["wa"] == pytest.approx(accuracy_score(y_true, y_pred))
    assert m["ua"] == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    # R2's revised UA: accuracy with per-sample weight 1 / n_class
    weights = 1 / np.bincount(y_true)[y_true]
    assert m["ua"] == pytest.approx(accuracy_score(y_true, y_pred, sample_weight=weights))
    assert m["precision_weighted"] == pytest.approx(
        precision_score(y_true, y_pred, average="weighted", **kw)
    )
    assert m["precision_macro"] == pytest.approx(
        precision_score(y_true, y_pred, average="macro", **kw)
    )
    assert m["f1_macro"] == pytest.approx(f1_score(y_true, y_pred, average="macro", **kw))
    recalls = recall_score(y_true, y_pred, average=None, **kw)
    assert [m["per_class"][c]["recall"] for c in "abcd"] == pytest.approx(list(recalls))
