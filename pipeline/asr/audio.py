"""Read an utterance wav as the 16 kHz mono 16-bit PCM every recogniser here expects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from pipeline.errors import MmserError

SAMPLE_RATE = 16000


def read_pcm16(path: str | Path) -> np.ndarray:
    """The file's samples as int16 at 16 kHz: channels averaged, resampled if needed.

    Raises:
        MmserError: naming the file if it cannot be read as audio.
    """
    try:
        samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise MmserError(f"cannot read audio: {exc}", file=path) from None
    mono = samples.mean(axis=1)
    if rate != SAMPLE_RATE and mono.size:
        mono = soxr.resample(mono, rate, SAMPLE_RATE)
    return to_pcm16(mono)


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] → int16 (clipped)."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype(np.int16)


def duration(pcm: np.ndarray) -> float:
    """Seconds of 16 kHz audio."""
    return len(pcm) / SAMPLE_RATE
