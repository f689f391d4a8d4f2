"""A run's training curves: dev loss and dev WA/UA at every validation (``train_log.csv``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipeline.figures import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


LOG_COLUMNS = ("step", "train_loss", "dev_loss", "dev_wa", "dev_ua")  # the columns drawn


def curves_title(run: str, best_step: int) -> str:
    """``mdrea, r1 (4class), fold 1: training, model kept at step 120`` for ``run`` (a
    :func:`~pipeline.figures.run_label`)."""
    return f"{run}: training, model kept at step {best_step}"


def curves_figure(log: Sequence[Mapping[str, Any]], best_step: int) -> Figure:
    """Two panels over the training steps: train and dev loss; dev WA and UA.

    Args:
        log: The rows of ``train_log.csv`` (``step``, ``train_loss``, ``dev_loss``, ``dev_wa``,
            ``dev_ua``), one per validation.
        best_step: The step of the model kept (a dotted vertical line on both panels).
    """
    steps = [int(row["step"]) for row in log]

    def column(name: str) -> list[float]:
        return [float(row[name]) for row in log]

    fig, (loss, accuracy) = new_figure(10, 3.6, ncols=2)
    loss.plot(steps, column("dev_loss"), marker=".", label="dev loss")
    train_label = "train loss (mean since the last validation)"
    loss.plot(steps, column("train_loss"), alpha=0.6, label=train_label)
    loss.set_ylabel("loss")
    accuracy.plot(steps, column("dev_wa"), marker=".", label="dev WA")
    accuracy.plot(steps, column("dev_ua"), marker=".", alpha=0.7, label="dev UA")
    accuracy.set_ylabel("accuracy")
    accuracy.set_ylim(0, 1)
    for ax in (loss, accuracy):
        ax.axvline(best_step, color="grey", linestyle=":", label=f"kept (step {best_step})")
        ax.set_xlabel("training step")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    return fig
