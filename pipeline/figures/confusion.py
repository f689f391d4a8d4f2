"""The confusion matrix of a run's test predictions, titled with the run and its WA/UA."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from pipeline.figures import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def confusion_title(run: str, wa: float, ua: float) -> str:
    """``mdrea, r1 (4class), fold 1: test WA 0.828, UA 0.819`` for ``run`` (a
    :func:`~pipeline.figures.run_label`)."""
    return f"{run}: test WA {wa:.3f}, UA {ua:.3f}"


def confusion_figure(cm: np.ndarray, classes: Sequence[str]) -> Figure:
    """Row-normalised confusion matrix (colour) with the counts and rates in each cell.

    Args:
        cm: ``[C, C]`` counts, rows = actual class, columns = predicted, in ``classes`` order.
        classes: The class names in class-id order.
    """
    cm = np.asarray(cm)
    rates = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    size = 1.0 * len(classes)
    fig, (ax,) = new_figure(max(size + 2, 5.5), size + 1.6)
    ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes)
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("actual")
    for i in range(len(classes)):
        for j in range(len(classes)):
            color = "white" if rates[i, j] > 0.5 else "black"
            ax.text(j, i, f"{cm[i, j]}\n{rates[i, j]:.2f}", ha="center", va="center", color=color)
    return fig
