"""Figures: each PNG shows its title above the plot and carries it as its ``Title`` text chunk
(read back with Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.figures import png_bytes, run_label, write_png
from pipeline.figures.confusion import confusion_figure, confusion_title
from pipeline.figures.curves import curves_figure, curves_title
from tests.report.fakes import FOUR

CM = np.array([[5, 1, 0, 0], [0, 6, 0, 0], [1, 0, 4, 1], [0, 0, 0, 7]])


def _ink_above_the_plot(png: bytes) -> int:
    """Dark pixels above the first row that is mostly dark (the plot's top border)."""
    dark = (np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128).sum(axis=1)
    border = int(np.argmax(dark > 0.5 * dark.max()))
    return int(dark[:border].sum())


def test_a_run_is_named_by_model_setting_scheme_and_fold() -> None:
    dataset = {"setting": "r1", "scheme": "4class", "fold": 1, "split": "original"}
    assert run_label("mdrea", dataset) == "mdrea, r1 (4class), fold 1"
    assert run_label("are", {}) == "are, ? (?), fold ?"


def test_the_confusion_png_is_titled_with_the_run_and_its_test_wa_and_ua(tmp_path: Path) -> None:
    title = confusion_title("mdrea, r1 (4class), fold 1", 77 / 93, 0.81879)
    assert title == "mdrea, r1 (4class), fold 1: test WA 0.828, UA 0.819"
    write_png(tmp_path / "confusion.png", confusion_figure(CM, FOUR), title)
    png = (tmp_path / "confusion.png").read_bytes()
    assert Image.open(io.BytesIO(png)).text["Title"] == title
    assert _ink_above_the_plot(png) > 0  # drawn above the matrix
    assert _ink_above_the_plot(png_bytes(confusion_figure(CM, FOUR), "")) == 0  # untitled


def test_training_curves_draw_dev_loss_and_wa_per_validation() -> None:
    log = [  # train_log.csv rows, as read (strings)
        {"step": "2", "train_loss": "1.2", "dev_loss": "1.5", "dev_wa": "0.3", "dev_ua": "0.25"},
        {"step": "4", "train_loss": "0.9", "dev_loss": "1.1", "dev_wa": "0.5", "dev_ua": "0.45"},
        {"step": "6", "train_loss": "0.7", "dev_loss": "1.3", "dev_wa": "0.4", "dev_ua": "0.4"},
    ]
    fig = curves_figure(log, best_step=4)
    loss, accuracy = fig.axes
    assert list(loss.lines[0].get_ydata()) == [1.5, 1.1, 1.3]  # dev loss
    assert list(accuracy.lines[0].get_xdata()) == [2, 4, 6]
    assert list(accuracy.lines[0].get_ydata()) == [0.3, 0.5, 0.4]  # dev WA
    assert list(accuracy.lines[2].get_xdata()) == [4, 4]  # the step of the model kept
    title = curves_title("are, r2 (7class), fold 3", 4)
    assert title == "are, r2 (7class), fold 3: training, model kept at step 4"
    png = png_bytes(fig, title)
    assert Image.open(io.BytesIO(png)).text["Title"] == title and _ink_above_the_plot(png) > 0
