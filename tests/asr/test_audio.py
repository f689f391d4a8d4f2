"""Reading utterance audio as 16 kHz mono int16."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from pipeline.asr.audio import duration, read_pcm16
from pipeline.errors import MmserError


def test_16k_mono_is_read_unchanged(tmp_path: Path) -> None:
    samples = (np.arange(1600) % 200 - 100).astype(np.int16)
    sf.write(tmp_path / "a.wav", samples, 16000, subtype="PCM_16")
    pcm = read_pcm16(tmp_path / "a.wav")
    assert pcm.dtype == np.int16 and (pcm == samples).all()
    assert duration(pcm) == pytest.approx(0.1)


def test_stereo_44k_is_mixed_and_resampled(tmp_path: Path) -> None:
    t = np.arange(44100) / 44100
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    sf.write(tmp_path / "b.wav", np.stack([tone, tone], axis=1), 44100, subtype="PCM_16")
    pcm = read_pcm16(tmp_path / "b.wav")
    assert len(pcm) == 16000
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64)))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)  # 1 s of audio: bin = Hz


def test_unreadable_audio_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF0000WAVE")
    with pytest.raises(MmserError, match=r"not a WAV|invalid WAV|truncated WAV") as info:
        read_pcm16(bad)
    assert info.value.file == str(bad)
