"""Every classification metric the project reports, computed by scikit-learn.

- WA (weighted accuracy) = overall accuracy: R1's only metric and R2's revised "WA".
- UA (unweighted accuracy) = mean per-class recall over the classes present in the truth
  (balanced accuracy): R2's revised "UA" (its 1/n_class sample weights give the same number).
- ``precision_weighted`` / ``precision_macro``: weighted / macro precision — what R2 published
  as "WA"/"UA" before its authors found the mistake (``USE_PRECISION=True``). Reported beside
  WA/UA so numbers compare like for like with the papers. Macro averages (and ``f1_macro``) run
  over the classes seen in the truth or the predictions, scikit-learn's default.
- Per-class precision, recall and F1 (0 where undefined: ``zero_division=0``) and support.

Rows of the confusion matrix are true classes, columns predicted classes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn import metrics


def summarize(y_true: Sequence[int], y_pred: Sequence[int], classes: Sequence[str]) -> dict:
    """WA, UA, R2's precision figures, per-class P/R/F1 and the confusion matrix, JSON-ready.

    Args:
        y_true: True class ids (``0 .. len(classes) - 1``).
        y_pred: Predicted class ids, same length.
        classes: Class names in id order.
    """
    labels = list(range(len(classes)))
    truth, predicted = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    if len(truth) == 0:
        return _empty(classes)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    weighted, *_ = metrics.precision_recall_fscore_support(
        truth, predicted, average="weighted", zero_division=0
    )
    macro_p, _, macro_f1, _ = metrics.precision_recall_fscore_support(
        truth, predicted, average="macro", zero_division=0
    )
    present = np.unique(truth).tolist()
    return {
        "n": len(truth),
        "wa": float(metrics.accuracy_score(truth, predicted)),
        "ua": float(metrics.recall_score(truth, predicted, labels=present, average="macro")),
        "precision_weighted": float(weighted),
        "precision_macro": float(macro_p),
        "f1_macro": float(macro_f1),
        "per_class": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, name in enumerate(classes)
        },
        "confusion": metrics.confusion_matrix(truth, predicted, labels=labels).tolist(),
        "classes": list(classes),
    }


def _empty(classes: Sequence[str]) -> dict:
    """The metrics of no samples: every score 0 (scikit-learn refuses empty input)."""
    zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    scores = ("wa", "ua", "precision_weighted", "precision_macro", "f1_macro")
    return {
        "n": 0,
        **dict.fromkeys(scores, 0.0),
        "per_class": {name: dict(zero) for name in classes},
        "confusion": [[0] * len(classes) for _ in classes],
        "classes": list(classes),
    }
