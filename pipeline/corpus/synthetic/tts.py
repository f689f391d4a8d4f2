"""Offline text-to-speech with espeak-ng, through the ``espeakng-loader`` wheel and ctypes.

The wheel ships ``libespeak-ng.so`` and its data, so no system package is needed. espeak-ng keeps
state between calls (a pitch "flutter" phase) and seeds its noise from the clock, so the same
request can give slightly different samples depending on what was spoken before. To be exactly
reproducible whatever order a worker process synthesizes in, every call loads the library
afresh, fixes its random seed, synthesizes, and unloads it again (about 7 ms per call).
"""

from __future__ import annotations

import _ctypes
import ctypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import espeakng_loader
import numpy as np
import soxr

from pipeline.errors import MmserError

SAMPLE_RATE = 16000
AUDIO_OUTPUT_SYNCHRONOUS = 2
CHARS_UTF8 = 1
POS_CHARACTER = 1
RATE, VOLUME, PITCH, RANGE = 1, 2, 3, 4  # espeak_PARAMETER values
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_TAG = re.compile(r"\[[A-Z]+\]")


def spoken_text(transcript: str) -> str:
    """The words a transcript is spoken as: non-verbal tags such as ``[LAUGHTER]`` removed."""
    return " ".join(_TAG.sub(" ", transcript).split())


@dataclass(frozen=True)
class Voice:
    """espeak-ng settings for one utterance.

    Attributes:
        name: espeak-ng voice, e.g. ``en-us+f3`` (language + variant).
        pitch, pitch_range: 0-100 (50 = the voice's default; range 0 = monotone).
        rate: Words per minute (80-450).
        volume: Amplitude, 100 = default.
    """

    name: str
    pitch: int
    pitch_range: int
    rate: int
    volume: int


@contextmanager
def _espeak() -> Iterator[tuple[ctypes.CDLL, int]]:
    """A freshly loaded and initialized espeak-ng and its sample rate, unloaded on exit."""
    path = espeakng_loader.get_library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise MmserError(f"cannot load espeak-ng: {exc}", file=path) from None
    try:
        data = espeakng_loader.get_data_path().encode()
        native_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if native_rate <= 0:
            raise MmserError("espeak-ng failed to initialize", file=data.decode())
        lib.espeak_ng_SetRandSeed(1)
        yield lib, native_rate
        lib.espeak_Terminate()
    finally:
        _ctypes.dlclose(lib._handle)


def synthesize(text: str, voice: Voice) -> np.ndarray:
    """Speak ``text`` and return float32 mono samples at 16 kHz, leading/trailing silence trimmed.

    Args:
        text: What to say (UTF-8; bracketed tags are not removed here, see :func:`spoken_text`).
        voice: Voice and prosody.

    Raises:
        MmserError: if espeak-ng cannot be loaded, rejects the voice, or produces no audio.
    """
    chunks: list[np.ndarray] = []

    def collect(wav: ctypes.Array, count: int, _events: ctypes.c_void_p) -> int:
        if count > 0:
            chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    callback = _CALLBACK(collect)
    with _espeak() as (lib, native_rate):
        lib.espeak_SetSynthCallback(callback)
        if lib.espeak_SetVoiceByName(voice.name.encode()) != 0:
            raise MmserError(f"espeak-ng has no voice {voice.name!r}")
        settings = {RATE: voice.rate, PITCH: voice.pitch, RANGE: voice.pitch_range}
        settings[VOLUME] = voice.volume
        for parameter, value in settings.items():
            lib.espeak_SetParameter(parameter, int(value), 0)
        encoded = text.encode("utf-8")
        lib.espeak_Synth(encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
    if not chunks:
        raise MmserError(f"espeak-ng produced no audio for {text!r}")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    return _trim(soxr.resample(samples, native_rate, SAMPLE_RATE).astype(np.float32))


def _trim(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Drop leading and trailing samples quieter than ``threshold``."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples
    return samples[loud[0] : loud[-1] + 1]
