"""Helpers for the video tests: tiny AVI files written with OpenCV and manifest rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from pipeline.manifest import Utterance


def write_avi(path: Path, frames: Sequence[np.ndarray], fps: float, fourcc: str = "MJPG") -> Path:
    """Write BGR frames to an AVI (failing loudly if OpenCV cannot open the writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (width, height))
    assert writer.isOpened(), f"cannot write {path} with {fourcc}"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def index_frames(n: int, height: int = 48, width: int = 64) -> list[np.ndarray]:
    """Up to 29 frames whose grey level encodes their index (``20 + 8 i``; see :func:`level`)."""
    assert n <= 29
    return [np.full((height, width, 3), 20 + 8 * i, np.uint8) for i in range(n)]


def level(frame: np.ndarray) -> int:
    """The index an :func:`index_frames` frame encodes.

    Lossy coding plus OpenCV's YUV round trip shift a flat grey by about -1 (MJPG) to -4 (XVID)
    levels; the decision interval for index ``i`` is ``20 + 8 i`` - 6 … + 2.
    """
    return round((float(frame.mean()) - 18) / 8)


def utterance(
    uid: str, start: float, end: float, avi: str = "Session1/dialog/avi/DivX/Ses01F_impro01.avi"
) -> Utterance:
    """A manifest row; speaker and dialog come from the id (``..._F000`` → F)."""
    dialog, turn = uid.rsplit("_", 1)
    return Utterance(
        utterance_id=uid,
        session=int(uid[3:5]),
        dialog=dialog,
        mode="impro",
        speaker=turn[0],
        start=start,
        end=end,
        label_raw="neu",
        valence=3.0,
        arousal=3.0,
        dominance=3.0,
        transcript="hello",
        wav=f"Session1/sentences/wav/{dialog}/{uid}.wav",
        dialog_wav=f"Session1/dialog/wav/{dialog}.wav",
        dialog_avi=avi,
    )
