"""Every classification metric the project reports, computed from one confusion matrix.

- WA (weighted accuracy) = overall accuracy = trace / N: R1's only metric and R2's revised "WA".
- UA (unweighted accuracy) = mean per-class recall over the classes present in the truth
  (balanced accuracy): R2's revised "UA" (its 1/n_class sample weights give the same number).
- ``precision_weighted`` / ``precision_macro``: sklearn's weighted / macro precision — what R2
  published as "WA"/"UA" before its authors found the mistake (``USE_PRECISION=True``). Reported
  beside WA/UA so numbers compare like for like with the papers.
- Per-class precision, recall and F1 (0 where undefined, as sklearn ``zero_division=0``).

Rows of the confusion matrix are true classes, columns predicted classes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], num_classes: int) -> np.ndarray:
    """``[C, C]`` counts, ``cm[i, j]`` = samples of class i predicted as j."""
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)), 1)
    return cm


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(len(num), dtype=np.float64), where=den > 0)


def per_class(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class ``precision``, ``recall``, ``f1`` and ``support`` (true count)."""
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    precision = _ratio(tp, cm.sum(axis=0))
    recall = _ratio(tp, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def summarize(cm: np.ndarray, classes: Sequence[str]) -> dict:
    """WA, UA, R2's precision figures, per-class P/R/F1 and the matrix, JSON-ready."""
    n = int(cm.sum())
    stats = per_class(cm)
    present = stats["support"] > 0
    seen = present | (cm.sum(axis=0) > 0)  # sklearn's macro averages over labels seen anywhere
    weights = stats["support"] / max(n, 1)
    return {
        "n": n,
        "wa": float(np.trace(cm) / n) if n else 0.0,
        "ua": float(stats["recall"][present].mean()) if present.any() else 0.0,
        "precision_weighted": float((weights * stats["precision"]).sum()),
        "precision_macro": float(stats["precision"][seen].mean()) if seen.any() else 0.0,
        "f1_macro": float(stats["f1"][seen].mean()) if seen.any() else 0.0,
        "per_class": {
            name: {
                "precision": float(stats["precision"][i]),
                "recall": float(stats["recall"][i]),
                "f1": float(stats["f1"][i]),
                "support": int(stats["support"][i]),
            }
            for i, name in enumerate(classes)
        },
        "confusion": cm.tolist(),
        "classes": list(classes),
    }
