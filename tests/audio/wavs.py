"""Small signals and wav files for the audio tests (numpy + soundfile, and espeak-ng speech)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import soundfile as sf

from pipeline.corpus.synthetic.tts import Voice, synthesize

SR = 16000


def quantized(signal: np.ndarray) -> np.ndarray:
    """Rounded to the 16-bit grid, as every wav file (and both backends) see it."""
    return (np.round(np.asarray(signal, np.float64) * 32768) / 32768).astype(np.float32)


def harmonic_tone(f0: float, seconds: float, sr: int = SR, harmonics: int = 10) -> np.ndarray:
    """A steady voiced-like tone: harmonics k*f0 with amplitude 1/k, peak about 0.5."""
    t = np.arange(int(seconds * sr)) / sr
    tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, harmonics + 1))
    return quantized(0.3 * tone)


def chirp(seconds: float, seed: int = 0) -> np.ndarray:
    """A 200 → 800 Hz linear chirp with a little noise (every mel band gets energy)."""
    t = np.arange(int(seconds * SR)) / SR
    noise = 0.01 * np.random.default_rng(seed).standard_normal(t.size)
    return quantized(0.3 * np.sin(2 * np.pi * (200 + 150 * t) * t) + noise)


@cache
def speech() -> np.ndarray:
    """About 3.5 s of espeak-ng speech at 16 kHz (float32, 16-bit grid)."""
    voice = Voice("en-us+f3", pitch=60, pitch_range=60, rate=150, volume=100)
    return quantized(synthesize("I am very happy to see you again today, it is wonderful.", voice))


def write_wav(path: Path, samples: np.ndarray, sr: int = SR, subtype: str = "PCM_16") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples, sr, subtype=subtype, format="WAV")
    return path
