"""Reading and conditioning wavs: bad files name the file; rate, channels and length are fixed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.audio.signal import MIN_SAMPLES, SAMPLE_RATE, load_signal, quantize
from pipeline.errors import MmserError
from tests.audio.wavs import harmonic_tone, write_wav


def _load(path: Path):
    return load_signal(path.read_bytes(), path)


def test_16k_mono_wav_is_read_unchanged(tmp_path: Path) -> None:
    tone = harmonic_tone(200.0, 0.5)
    signal, info = _load(write_wav(tmp_path / "a.wav", tone))
    np.testing.assert_array_equal(signal, tone)
    assert (info.sample_rate, info.channels, info.samples) == (SAMPLE_RATE, 1, len(tone))
    assert not (info.resampled or info.mixed_down or info.padded)
    assert info.seconds == pytest.approx(0.5)


def test_other_rate_is_resampled_and_recorded(tmp_path: Path) -> None:
    rate = 44100
    t = np.arange(rate) / rate
    signal, info = _load(write_wav(tmp_path / "b.wav", 0.5 * np.sin(2 * np.pi * 440 * t), sr=rate))
    assert info.resampled and info.sample_rate == rate
    assert len(signal) == pytest.approx(SAMPLE_RATE, abs=2)
    spectrum = np.abs(np.fft.rfft(signal))
    assert np.argmax(spectrum) * SAMPLE_RATE / len(signal) == pytest.approx(440, abs=2)


def test_stereo_is_mixed_down_and_recorded(tmp_path: Path) -> None:
    left, right = harmonic_tone(150.0, 0.2), np.zeros(3200, np.float32)
    signal, info = _load(write_wav(tmp_path / "c.wav", np.stack([left, right], axis=1)))
    assert info.mixed_down and info.channels == 2
    np.testing.assert_allclose(signal, quantize(left / 2), atol=1 / 32768)


def test_shorter_than_one_window_is_padded(tmp_path: Path) -> None:
    signal, info = _load(write_wav(tmp_path / "d.wav", harmonic_tone(150.0, 0.01)))
    assert info.padded and info.samples == 160
    assert len(signal) == MIN_SAMPLES and not signal[160:].any()


def test_float_wav_is_rounded_to_16_bit(tmp_path: Path) -> None:
    samples = np.full(1000, 0.1234567, np.float32)
    signal, _ = _load(write_wav(tmp_path / "f.wav", samples, subtype="FLOAT"))
    assert np.all(signal * 32768 == np.round(0.1234567 * 32768))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"this is not audio at all", "not a WAV file"),
        (b"RIFF\x04\x00\x00\x00WAVE", "no fmt or data chunk"),
    ],
)
def test_unusable_bytes_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(MmserError, match=message) as info:
        _load(path)
    assert info.value.file == str(path)


def test_truncated_wav_is_reported(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "t.wav", harmonic_tone(150.0, 0.5))
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(MmserError, match="truncated WAV: the data chunk declares 16000 bytes"):
        _load(path)


def test_zero_length_wav_is_reported(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "z.wav", np.zeros(0, np.float32))
    with pytest.raises(MmserError, match="no audio samples") as info:
        _load(path)
    assert info.value.file == str(path)


@pytest.mark.parametrize(
    ("offset", "value", "message"),
    [
        (24, (15907).to_bytes(4, "little"), "15907 Hz × 2 bytes per frame is 31814 bytes/s"),
        (22, (73).to_bytes(2, "little"), "73 channel.s. of 16 bits need a block align of 146"),
        (40, (7000 - 1).to_bytes(4, "little"), "not whole frames of 2 bytes"),
        (40, (7000 - 256).to_bytes(4, "little"), "256 bytes after the data chunk are not a chunk"),
    ],
)
def test_damaged_header_is_an_error_not_another_signal(
    tmp_path: Path, offset: int, value: bytes, message: str
) -> None:
    path = write_wav(tmp_path / "d.wav", harmonic_tone(150.0, 3500 / SAMPLE_RATE))
    data = bytearray(path.read_bytes())
    assert data[36:44] == b"data" + (7000).to_bytes(4, "little")  # the canonical 44-byte header
    data[offset : offset + len(value)] = value
    path.write_bytes(bytes(data))
    with pytest.raises(MmserError, match=message) as info:
        _load(path)
    assert info.value.file == str(path)
