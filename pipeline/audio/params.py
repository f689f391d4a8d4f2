"""``audio:`` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pipeline.audio.backends import BACKENDS
from pipeline.failures import OnError
from pipeline.params import check

Normalize = Literal["none", "train_zscore", "speaker_zscore"]


@dataclass(frozen=True)
class AudioParams:
    """How the ``audio`` stage extracts features (and how the dataset stage normalises them).

    Attributes:
        backend: ``opensmile`` (the originals' tool, default) or ``librosa`` (same definitions).
        on_error: ``fail``: stop after writing ``failed.csv`` if any wav is unusable; ``skip``:
            write the rest (failed rows NaN) and let the dataset stage exclude them.
        workers: Processes for extraction; 0 = all cores. Changes no output.
        normalize: Read by the dataset stage: ``speaker_zscore`` (per-dimension z-score with each
            speaker's own statistics over all their utterances, labels unused; default),
            ``train_zscore`` (one z-score fitted on the training partition) or ``none`` (the
            originals: raw features).
    """

    backend: Annotated[str, BACKENDS] = "opensmile"
    on_error: OnError = "fail"
    workers: int = 0
    normalize: Normalize = "speaker_zscore"

    def __post_init__(self) -> None:
        check(self.workers >= 0, "workers", f"must be >= 0 (0: all cores), got {self.workers}")
