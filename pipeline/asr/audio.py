"""Read an utterance wav as the 16 kHz mono 16-bit PCM every recogniser here expects.

Decoding, channel mixing and resampling are the audio features' (:mod:`pipeline.audio.signal`),
so recognisers and feature extractors see exactly the same samples.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.audio.signal import SAMPLE_RATE, read_signal, to_pcm16

__all__ = ["SAMPLE_RATE", "duration", "read_pcm16"]


def read_pcm16(path: str | Path) -> np.ndarray:
    """The file's samples as int16 at 16 kHz: channels averaged, resampled if needed.

    Raises:
        MmserError: naming the file if it cannot be read as audio.
    """
    signal, _ = read_signal(path)
    return to_pcm16(signal)


def duration(pcm: np.ndarray) -> float:
    """Seconds of 16 kHz audio."""
    return len(pcm) / SAMPLE_RATE
