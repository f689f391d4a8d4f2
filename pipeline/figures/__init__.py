"""PNG figures drawn with matplotlib's non-interactive Agg backend.

Every figure carries its title twice: drawn above the plot, and as the PNG's ``Title`` text
chunk, so a tool can tell what a file shows without looking at it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.io import write_bytes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def run_label(model: str, dataset: Mapping[str, Any]) -> str:
    """``mdrea, r1 (4class), fold 1``: a run named by its model and its dataset's provenance
    (the ``dataset`` of ``metrics.json``; ``?`` for what it does not record)."""
    setting, scheme, fold = (dataset.get(k, "?") for k in ("setting", "scheme", "fold"))
    return f"{model}, {setting} ({scheme}), fold {fold}"


def new_figure(width: float, height: float, ncols: int = 1) -> tuple[Figure, list]:
    """A figure of ``width`` × ``height`` inches with ``ncols`` axes side by side (Agg)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def png_bytes(fig: Figure, title: str, dpi: int = 100) -> bytes:
    """``fig`` with ``title`` drawn on top, as PNG bytes whose ``Title`` chunk is ``title``."""
    fig.suptitle(title)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Title": title, "Software": None})
    return buffer.getvalue()


def write_png(path: Path, fig: Figure, title: str) -> None:
    """Write :func:`png_bytes` to ``path`` atomically."""
    write_bytes(path, png_bytes(fig, title))
