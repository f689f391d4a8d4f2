"""Reading dialog videos with OpenCV: container properties and a one-pass frame reader.

A dialog is read once for all its utterances: the wanted frame indices are visited in increasing
order with ``grab()`` (decode without colour conversion) and only the wanted ones are
``retrieve()``-d. Seeking costs about as much as decoding 16 (MJPG) to 30 (MPEG-4/XVID) frames on
this machine and is frame-accurate for AVI, so the reader seeks only across gaps longer than
:data:`SEEK_MIN_GAP` frames (e.g. the silence between two turns) and grabs through shorter ones
(at 3 fps out of 30 that is every 10th frame). Measured by ``benchmarks/video.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.errors import MmserError
from pipeline.video.avi import check_container, read_header

SEEK_MIN_GAP = 48


class DecodeError(MmserError):
    """The stream ended (or a frame failed to decode) before ``frame``."""

    def __init__(self, message: str, *, file: str | Path, frame: int) -> None:
        super().__init__(message, file=file)
        self.frame = frame


@dataclass(frozen=True)
class VideoInfo:
    """Container properties as OpenCV reports them."""

    fps: float
    n_frames: int
    width: int
    height: int

    @property
    def duration(self) -> float:
        """Length in seconds (``n_frames / fps``)."""
        return self.n_frames / self.fps


def open_video(path: str | Path) -> cv2.VideoCapture:
    """Open a video for reading, or raise :class:`MmserError` naming the file."""
    path = Path(path)
    if not path.is_file():
        raise MmserError("video file not found", file=path)
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise MmserError("cannot open video (unreadable file or unsupported codec)", file=path)
    return capture


def probe(path: str | Path) -> VideoInfo:
    """Frame rate, frame count and size of a video; errors name the file and the bad value.

    The values OpenCV reports are checked against the AVI headers and index
    (:func:`pipeline.video.avi.check_container`), so that a damaged container is an error instead
    of a wrong frame rate, frame count or frame.
    """
    header = read_header(path) if Path(path).is_file() else None
    capture = open_video(path)
    try:
        info = VideoInfo(
            fps=float(capture.get(cv2.CAP_PROP_FPS)),
            n_frames=int(capture.get(cv2.CAP_PROP_FRAME_COUNT)),
            width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
    finally:
        capture.release()
    if not math.isfinite(info.fps) or info.fps <= 0:
        raise MmserError(f"container reports no usable frame rate ({info.fps})", file=path)
    if info.n_frames <= 0:
        raise MmserError("video has no frames", file=path)
    if info.width <= 0 or info.height <= 0:
        raise MmserError(f"video has no picture size ({info.width}×{info.height})", file=path)
    if header is not None:
        check_container(path, header, (info.fps, info.n_frames, info.width, info.height))
    return info


def read_frames(path: str | Path, indices: Sequence[int]) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(index, BGR frame)`` for increasing, unique ``indices`` in one pass.

    Raises:
        DecodeError: The stream ends or a frame cannot be decoded before a wanted index; frames
            yielded before it are valid.
    """
    capture = open_video(path)
    try:
        position = 0  # index of the frame the next grab() returns
        for index in indices:
            if index < position:
                raise ValueError(f"frame indices must increase; got {index} after {position - 1}")
            if index - position > SEEK_MIN_GAP and capture.set(cv2.CAP_PROP_POS_FRAMES, index):
                position = index
            while position <= index:
                if not capture.grab():
                    raise DecodeError(
                        f"stream ends at frame {position} (wanted frame {index})",
                        file=path,
                        frame=position,
                    )
                position += 1
            ok, frame = capture.retrieve()
            if not ok or frame is None:
                raise DecodeError(f"frame {index} cannot be decoded", file=path, frame=index)
            yield index, frame
    finally:
        capture.release()
