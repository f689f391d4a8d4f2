"""Checking an AVI container before trusting what OpenCV reads from it.

OpenCV (FFmpeg) takes the frame rate from the video stream header, the frame count from it or
the index, and each frame's position and size from the ``idx1`` index. A damaged byte in any of
them does not stop the decoder: it silently yields another frame rate, frame count or frame. The
AVI format states most of these twice, so a damaged copy shows as a disagreement:

- the main header's ``dwMicroSecPerFrame`` against the stream header's ``dwRate/dwScale``,
  and both against the frame rate OpenCV reports;
- the main header's ``dwTotalFrames``, the stream header's ``dwLength`` and OpenCV's count
  (the main header counts only the first RIFF of an OpenDML file, so it is skipped there);
- the picture size of the stream format (``strf``) against OpenCV's;
- every video entry of ``idx1`` against the chunk it points at (same id and size).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import MmserError

MAX_HEADER = 1 << 20  # bytes of the hdrl list read (real headers: a few kB)
MAX_INDEX = 1 << 28  # bytes of idx1 read (16 per entry)
VIDEO_CHUNKS = (b"dc", b"db")  # compressed / uncompressed video frame chunk ids: "00dc"


@dataclass(frozen=True)
class AviHeader:
    """What the headers declare: main header ``avih``, the video stream's ``strh``/``strf``."""

    micro_sec_per_frame: int
    total_frames: int
    rate: int
    scale: int
    length: int
    width: int
    height: int
    open_dml: bool  # an ``odml`` list: ``total_frames`` counts only the first RIFF

    @property
    def fps(self) -> float:
        return self.rate / self.scale


def read_header(path: str | Path) -> AviHeader:
    """Parse the ``hdrl`` list at the start of an AVI file.

    Raises:
        MmserError: naming the file, if it is not RIFF/AVI or a header is missing or cut short.
    """
    with Path(path).open("rb") as handle:
        head = handle.read(24)
        if len(head) < 24 or head[:4] != b"RIFF" or head[8:12] != b"AVI ":
            raise MmserError("not an AVI file (no RIFF/AVI header)", file=path)
        if head[12:16] != b"LIST" or head[20:24] != b"hdrl":
            raise MmserError("AVI file without its header list (hdrl)", file=path)
        size = int.from_bytes(head[16:20], "little") - 4
        hdrl = handle.read(min(size, MAX_HEADER))
    chunks = dict(_chunks(hdrl))
    streams = [dict(_chunks(body)) for fourcc, body in _chunks(hdrl) if fourcc == b"strl"]
    video = next((s for s in streams if s.get(b"strh", b"")[:4] == b"vids"), {})
    avih, strh, strf = chunks.get(b"avih", b""), video.get(b"strh", b""), video.get(b"strf", b"")
    if len(avih) < 40 or len(strh) < 36 or len(strf) < 12:
        raise MmserError("damaged AVI header: no complete avih, video strh and strf", file=path)
    micro_sec, _, _, _, total = struct.unpack_from("<5I", avih)
    scale, rate, _, length = struct.unpack_from("<4I", strh, 20)
    width, height = struct.unpack_from("<ii", strf, 4)
    if not scale or not rate:
        raise MmserError(f"damaged AVI header: frame rate {rate}/{scale}", file=path)
    return AviHeader(micro_sec, total, rate, scale, length, width, abs(height), b"odml" in chunks)


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(fourcc, body)`` of the chunks in ``data``; a ``LIST`` yields its type and contents."""
    position = 0
    while position + 8 <= len(data):
        fourcc, size = data[position : position + 4], _u32(data, position + 4)
        body = data[position + 8 : position + 8 + size]
        yield (body[:4], body[4:]) if fourcc == b"LIST" else (fourcc, body)
        position += 8 + size + (size & 1)


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset : offset + 4], "little")


def check_container(
    path: str | Path, header: AviHeader, reported: tuple[float, int, int, int]
) -> None:
    """Raise if OpenCV's ``(fps, frames, width, height)``, the headers and the index disagree.

    Raises:
        MmserError: naming the file and every disagreement found.
    """
    fps, frames, width, height = reported
    problems = []
    if abs(fps - header.fps) > 1e-6 * header.fps:
        problems.append(f"OpenCV reads {fps:g} fps, the stream header says {header.fps:g}")
    if header.micro_sec_per_frame and abs(header.micro_sec_per_frame - 1e6 / header.fps) > 1:
        problems.append(
            f"the stream header's {header.fps:g} fps disagree with the main header's "
            f"{header.micro_sec_per_frame} µs per frame"
        )
    if frames != header.length or (not header.open_dml and header.total_frames != frames):
        problems.append(
            f"OpenCV counts {frames} frames, the stream header {header.length}, the main "
            f"header {header.total_frames}"
        )
    if (width, height) != (header.width, header.height):
        problems.append(
            f"OpenCV reads {width}×{height} pictures, the header says "
            f"{header.width}×{header.height}"
        )
    with Path(path).open("rb") as handle:
        problems.extend(_index_problems(handle, header))
    if problems:
        raise MmserError("damaged AVI file: " + "; ".join(problems), file=path)


def _index_problems(handle: BinaryIO, header: AviHeader) -> list[str]:
    """Disagreements in the chunk structure and between the ``idx1`` video entries and the
    chunks they point at."""
    try:
        movi, index = _top_level(handle)
    except ValueError as exc:
        return [str(exc)]
    if index is None:
        return []  # no index: the decoder reads the chunks in order
    if len(index) % 16:
        return ["the index (idx1) is cut short"]
    entries = [e for e in struct.iter_unpack("<4sIII", index) if e[0][2:] in VIDEO_CHUNKS]
    if not entries:
        return [] if not header.length else ["the index (idx1) lists no video frames"]
    # Offsets count from the "movi" fourcc (usual) or from the start of the file.
    base = movi if _chunk_at(handle, movi + entries[0][2]) == entries[0][0] else 0
    for frame, (chunk_id, _, offset, size) in enumerate(entries):
        found = _chunk_at(handle, base + offset, with_size=True)
        if found != chunk_id + size.to_bytes(4, "little"):
            return [f"index entry {frame} (idx1) does not point at a {size}-byte frame chunk"]
    if not header.open_dml and len(entries) != header.length:
        return [f"the index lists {len(entries)} video frames, the header {header.length}"]
    return []


def _top_level(handle: BinaryIO) -> tuple[int, bytes | None]:
    """The file offset of the ``movi`` fourcc and the ``idx1`` body (``None`` without one).

    A file shorter than its RIFF header declares is cut short: its last chunk may be
    incomplete (the decoder then reports where the stream ends).

    Raises:
        ValueError: describing the damage if the top-level chunks do not tile the file or there
            is no ``movi`` list.
    """
    movi = index = None
    handle.seek(0, 2)
    end = handle.tell()
    handle.seek(4)
    truncated = 8 + _u32(handle.read(4), 0) > end
    position = 12
    while position + 8 <= end:
        handle.seek(position)
        head = handle.read(12)
        fourcc, size = head[:4], _u32(head, 4)
        if not all(0x20 <= b <= 0x7E for b in fourcc):
            raise ValueError(f"the bytes at offset {position} are not a chunk")
        if fourcc == b"LIST" and head[8:12] == b"movi":
            movi = position + 8
        if position + 8 + size > end:
            if truncated:
                break
            raise ValueError(f"the chunk at offset {position} runs past the end of the file")
        if fourcc == b"idx1":
            handle.seek(position + 8)
            index = handle.read(min(size, MAX_INDEX))
        position += 8 + size + (size & 1)
    else:
        if end - position not in (-1, 0):  # -1: the last pad byte left out
            raise ValueError(f"{end - position} stray bytes at the end of the file")
    if movi is None:
        raise ValueError("no movi list")
    return movi, index


def _chunk_at(handle: BinaryIO, offset: int, *, with_size: bool = False) -> bytes:
    handle.seek(offset)
    return handle.read(8 if with_size else 4)
