"""Place a dialog's turns on its recording's time axis.

Every boundary is a multiple of :data:`GRID` samples (0.5 ms at 16 kHz), so a time printed with
four decimals (``6.2905``) is exact and the sentence wav is exactly the samples
``[start * 16000, end * 16000)`` of the dialog wav.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.corpus.synthetic.plan import DialogPlan, Turn
from pipeline.corpus.synthetic.tts import SAMPLE_RATE

GRID = 8  # samples; 8 / 16000 s = 0.0005 s
TAIL = 1.0  # seconds of room tone after the last turn


@dataclass(frozen=True)
class TimedTurn:
    """A turn with its utterance span and speech onset, in samples of the dialog recording."""

    turn: Turn
    start: int
    speech_start: int
    end: int

    @property
    def start_s(self) -> float:
        return round(self.start / SAMPLE_RATE, 4)

    @property
    def end_s(self) -> float:
        return round(self.end / SAMPLE_RATE, 4)


def _on_grid(seconds: float) -> int:
    return int(np.ceil(seconds * SAMPLE_RATE / GRID)) * GRID


def place_turns(plan: DialogPlan, speech: Sequence[np.ndarray]) -> tuple[list[TimedTurn], int]:
    """Lay the turns out one after another; return them with the recording length in samples.

    Args:
        plan: The dialog (its ``lead_in`` and each turn's pads and gap are used).
        speech: The synthesized samples of each turn, in turn order.
    """
    cursor = _on_grid(plan.lead_in)
    timed = []
    for turn, samples in zip(plan.turns, speech, strict=True):
        speech_start = cursor + _on_grid(turn.pre_pad)
        end = _on_grid((speech_start + len(samples)) / SAMPLE_RATE + turn.post_pad)
        timed.append(TimedTurn(turn, cursor, speech_start, end))
        cursor = end + _on_grid(turn.gap)
    return timed, cursor + _on_grid(TAIL)


def active_turns(timed: Sequence[TimedTurn], times: np.ndarray) -> np.ndarray:
    """Index of the turn whose span contains each time (seconds), or -1 between turns."""
    starts = np.array([t.start for t in timed]) / SAMPLE_RATE
    ends = np.array([t.end for t in timed]) / SAMPLE_RATE
    index = np.searchsorted(starts, times, side="right") - 1
    inside = (index >= 0) & (times < ends[np.clip(index, 0, None)])
    return np.where(inside, index, -1)
