"""Mix a dialog's speech into its two-channel recording and cut the sentence wavs from it.

Channel 0 is the female actor's microphone, channel 1 the male actor's: each turn is loud on its
speaker's channel and faint (cross-talk) on the other, over low room noise. A sentence wav is the
speaker's channel between the utterance's start and end, sample for sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from pipeline.corpus.synthetic.timeline import TimedTurn
from pipeline.corpus.synthetic.tts import SAMPLE_RATE

CHANNEL = {"F": 0, "M": 1}
SPEECH_GAIN = 0.8
CROSSTALK_GAIN = 0.08
NOISE_LEVEL = 0.002


def mix_dialog(
    timed: Sequence[TimedTurn], speech: Sequence[np.ndarray], length: int, seed: int
) -> np.ndarray:
    """The dialog recording as int16 samples of shape ``[length, 2]``."""
    rng = np.random.default_rng(seed)
    mix = rng.normal(0.0, NOISE_LEVEL, size=(length, 2)).astype(np.float32)
    for turn, samples in zip(timed, speech, strict=True):
        own = CHANNEL[turn.turn.speaker]
        span = slice(turn.speech_start, turn.speech_start + len(samples))
        mix[span, own] += SPEECH_GAIN * samples
        mix[span, 1 - own] += CROSSTALK_GAIN * samples
    return np.clip(np.round(mix * 32767.0), -32768, 32767).astype(np.int16)


def sentence_cut(recording: np.ndarray, turn: TimedTurn) -> np.ndarray:
    """The speaker's channel of ``recording`` over the turn's ``[start, end)`` span."""
    return recording[turn.start : turn.end, CHANNEL[turn.turn.speaker]]


def write_wav(path: Path, samples: np.ndarray) -> None:
    """Write 16 kHz 16-bit PCM (mono for 1-D samples, one channel per column otherwise)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples, SAMPLE_RATE, subtype="PCM_16", format="WAV")
