"""Reading a sentence wav into the signal every backend analyses: 16 kHz mono float32.

Bad input is reported as :class:`~pipeline.errors.MmserError` naming the file: an empty file, a
file that is not RIFF/WAVE, a WAV whose data chunk is cut short (truncated), whose header fields
disagree with each other or with the chunks that follow (a damaged header, which would otherwise
decode as another rate, channel count or length), one that libsndfile cannot decode, or one
without samples. Recoverable differences are fixed and recorded in
:class:`SignalInfo`: another sample rate is resampled to 16 kHz (soxr, high quality), several
channels are averaged to mono (openSMILE's ``monoMixdown``), samples are rounded to the 16-bit
grid (:func:`quantize`), and a signal shorter than the longest
analysis window (55 ms, the pitch frames) is zero-padded at the end to that length so that every
utterance yields at least one frame of every feature (4 MFCC frames).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from pipeline.errors import MmserError

SAMPLE_RATE = 16000
HOP = 160  # 10 ms
PCM_SCALE = 32768.0  # 16-bit full scale
MIN_SAMPLES = 880  # 55 ms: the pitch analysis window, the longest of all features
_STREAMING_SIZE = 0xFFFFFFFF  # RF64 / streamed WAVs leave the 32-bit sizes at this value
_SAMPLE_FORMATS = (1, 3, 6, 7, 0xFFFE)  # PCM, float, A-law, µ-law, extensible: one frame per block


@dataclass(frozen=True)
class SignalInfo:
    """What the file was, and what was done to it."""

    sample_rate: int
    channels: int
    samples: int  # per channel, as stored
    padded: bool  # zero-padded to MIN_SAMPLES

    @property
    def resampled(self) -> bool:
        return self.sample_rate != SAMPLE_RATE

    @property
    def mixed_down(self) -> bool:
        return self.channels > 1

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


def check_wav_header(data: bytes, path: str | Path) -> None:
    """Raise unless ``data`` is a whole, self-consistent RIFF/WAVE file.

    Checks that the file is not empty, is RIFF/WAVE, has a ``fmt `` chunk whose fields agree
    (block align = channels × bytes per sample, byte rate = sample rate × block align) and a
    ``data`` chunk holding whole frames and no more than the file holds, and that whatever
    follows the data chunk is well-formed chunks. A damaged header then fails here instead of
    decoding as another sample rate, channel count or length.
    """
    if not data:
        raise MmserError("empty file (0 bytes)", file=path)
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise MmserError("not a WAV file (no RIFF/WAVE header)", file=path)
    chunks = dict(_wav_chunks(data, path))
    missing = [name.decode().strip() for name in (b"fmt ", b"data") if name not in chunks]
    if missing:
        raise MmserError(f"invalid WAV: no {' or '.join(missing)} chunk", file=path)
    (fmt_start, fmt_size), (_, size) = chunks[b"fmt "], chunks[b"data"]
    fmt = data[fmt_start : fmt_start + 16]
    if fmt_size < 16 or len(fmt) < 16:
        raise MmserError("invalid WAV: the fmt chunk is cut short", file=path)
    encoding, channels, rate, byte_rate, block_align, bits = struct.unpack("<HHIIHH", fmt)
    if not channels or not rate:
        raise MmserError(f"damaged WAV header: {channels} channels at {rate} Hz", file=path)
    if encoding not in _SAMPLE_FORMATS:
        return  # compressed (e.g. ADPCM): block align and byte rate follow the codec
    if not bits or block_align != channels * ((bits + 7) // 8):
        raise MmserError(
            f"damaged WAV header: {channels} channel(s) of {bits} bits need a block align of "
            f"{channels * ((bits + 7) // 8)}, the header says {block_align}",
            file=path,
        )
    if byte_rate != rate * block_align:
        raise MmserError(
            f"damaged WAV header: {rate} Hz × {block_align} bytes per frame is "
            f"{rate * block_align} bytes/s, the header says {byte_rate}",
            file=path,
        )
    if size != _STREAMING_SIZE and size % block_align:
        raise MmserError(
            f"damaged WAV header: the data chunk's {size} bytes are not whole frames of "
            f"{block_align} bytes",
            file=path,
        )


def _wav_chunks(data: bytes, path: str | Path) -> Iterator[tuple[bytes, tuple[int, int]]]:
    """``(chunk id, (body offset, declared size))`` of every chunk after the RIFF header.

    Raises:
        MmserError: if the data chunk declares more bytes than the file holds (truncated) or
            a chunk after it is not a chunk (an id that is not four printable characters, or a
            size beyond the end of the file).
    """
    position, after_data = 12, False
    while position + 8 <= len(data):
        chunk_id = data[position : position + 4]
        (size,) = struct.unpack_from("<I", data, position + 4)
        available = len(data) - position - 8
        if chunk_id == b"data":
            if size != _STREAMING_SIZE and size > available:
                raise MmserError(
                    f"truncated WAV: the data chunk declares {size} bytes, the file holds "
                    f"{available}",
                    file=path,
                )
            after_data = True
            if size == _STREAMING_SIZE:
                yield chunk_id, (position + 8, size)
                return
        elif after_data and (not _is_chunk_id(chunk_id) or size > available):
            raise MmserError(
                f"damaged WAV: {available + 8} bytes after the data chunk are not a chunk "
                "(wrong data size in the header?)",
                file=path,
            )
        yield chunk_id, (position + 8, size)
        position += 8 + size + (size & 1)
    if after_data and len(data) - position not in (-1, 0, 1):  # -1: last pad byte left out
        raise MmserError(
            f"damaged WAV: {len(data) - position} stray bytes at the end of the file", file=path
        )


def _is_chunk_id(chunk_id: bytes) -> bool:
    return all(0x20 <= b <= 0x7E for b in chunk_id)


def decode_wav(data: bytes, path: str | Path) -> tuple[np.ndarray, int]:
    """Samples ``[frames, channels]`` float32 in [-1, 1] and the sample rate of WAV bytes."""
    check_wav_header(data, path)
    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise MmserError(f"cannot decode WAV: {exc}", file=path) from None
    if samples.shape[0] == 0:
        raise MmserError("WAV has no audio samples (zero length)", file=path)
    if not np.isfinite(samples).all():
        raise MmserError("WAV has non-finite (NaN/inf) samples", file=path)
    return samples, int(rate)


def condition(samples: np.ndarray, rate: int) -> tuple[np.ndarray, bool]:
    """Mix ``[frames, channels]`` down to mono, resample to 16 kHz, pad to ``MIN_SAMPLES``.

    Returns:
        The float32 signal and whether it was padded.
    """
    mono = samples.mean(axis=1, dtype=np.float64) if samples.shape[1] > 1 else samples[:, 0]
    if rate != SAMPLE_RATE:
        mono = soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ")
    mono = quantize(mono)
    if len(mono) >= MIN_SAMPLES:
        return mono, False
    return np.pad(mono, (0, MIN_SAMPLES - len(mono))), True


def to_pcm16(signal: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as int16 PCM (the scaling ``opensmile.Smile`` uses, clipped
    instead of wrapped at full scale)."""
    scaled = np.round(np.asarray(signal, dtype=np.float64) * PCM_SCALE)
    return np.clip(scaled, -PCM_SCALE, PCM_SCALE - 1).astype(np.int16)


def quantize(signal: np.ndarray) -> np.ndarray:
    """Round to the 16-bit PCM grid (what openSMILE receives), as float32 in [-1, 1).

    A no-op for 16-bit files; after resampling or mixing it makes both backends see exactly the
    same samples (near-silent frames are sensitive to the rounding).
    """
    return (to_pcm16(signal) / PCM_SCALE).astype(np.float32)


def load_signal(data: bytes, path: str | Path) -> tuple[np.ndarray, SignalInfo]:
    """Decode WAV bytes (read from ``path``) into the 16 kHz mono signal and its info."""
    samples, rate = decode_wav(data, path)
    signal, padded = condition(samples, rate)
    return signal, SignalInfo(rate, samples.shape[1], samples.shape[0], padded)


def read_signal(path: str | Path) -> tuple[np.ndarray, SignalInfo]:
    """Read and condition a WAV file (see :func:`load_signal`); unreadable files name the path."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise MmserError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    return load_signal(data, path)
