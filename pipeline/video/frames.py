"""Which frames an utterance uses, which half of the frame, and the crop.

Rules (all pure functions, tested against hand-computed cases):

- **Sample times.** ``t_k = start + k / fps`` for ``k = 0, 1, …`` while ``t_k < end``, at most
  ``max_frames`` of them (``video.fps`` = 3, ``video.max_frames`` = 32: the first 10.67 s). A
  window always yields at least its first sample ``t_0 = start``.
- **Frame index.** The frame on screen at time ``t``: frame ``i`` is shown during
  ``[i / r, (i + 1) / r)`` for the container frame rate ``r`` (read from the file, never
  assumed), so ``i = floor(t · r)`` (plus 1e-6 against float round-off).
- **Half.** The frame is split at its horizontal midpoint; each half is ``width // 2`` wide
  (an odd width drops the middle column). ``video.speaker_side`` says which half shows the
  speaking actor.
- **Crop.** A ``crop × crop`` window at the centre of the half (offset ``(h - crop) // 2``,
  ``(w - crop) // 2``); a 720×480 release frame gives a 360×480 half and the crop at x = 68,
  y = 128. A half whose short side is below ``crop`` is first resized (bilinear, aspect kept)
  so its short side equals ``crop`` ("resized" in index.csv); one below ``crop / 4`` is an
  error (too little picture to be meaningful).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.video.params import Side

EPS = 1e-6


def sample_times(start: float, end: float, fps: float, max_frames: int) -> np.ndarray:
    """Sample times ``start + k / fps`` inside ``[start, end)``, at most ``max_frames``.

    >>> sample_times(1.0, 2.5, 3.0, 32).round(3).tolist()
    [1.0, 1.333, 1.667, 2.0, 2.333]
    """
    count = max(1, math.ceil((end - start) * fps - EPS))
    return start + np.arange(min(count, max_frames), dtype=np.float64) / fps


def frame_indices(times: np.ndarray, video_fps: float) -> np.ndarray:
    """Index of the frame on screen at each time, for a container running at ``video_fps``.

    >>> frame_indices(np.array([1.0, 1.0 + 1 / 3]), 30.0).tolist()
    [30, 40]
    """
    return np.floor(np.asarray(times) * video_fps + EPS).astype(np.int64)


def half_bounds(width: int, side: Side) -> tuple[int, int]:
    """Column range ``[x0, x1)`` of the ``side`` half of a frame ``width`` pixels wide."""
    half = width // 2
    return (0, half) if side == "left" else (width - half, width)


def select_half(frame: np.ndarray, side: Side) -> np.ndarray:
    """The ``side`` half of an ``[H, W, C]`` frame (a view, no copy)."""
    x0, x1 = half_bounds(frame.shape[1], side)
    return frame[:, x0:x1]


@dataclass(frozen=True)
class CropGeometry:
    """How a ``height × width`` image becomes a ``size × size`` centre crop."""

    height: int
    width: int
    resized_height: int
    resized_width: int
    top: int
    left: int

    @property
    def resized(self) -> bool:
        """Whether the image is scaled before cropping."""
        return (self.resized_height, self.resized_width) != (self.height, self.width)


def crop_geometry(height: int, width: int, size: int) -> CropGeometry:
    """Centre-crop geometry; scales up first when the short side is below ``size``.

    Raises:
        ValueError: The short side is below ``size / 4``.
    """
    short = min(height, width)
    if short * 4 < size:
        raise ValueError(
            f"actor half is {width}×{height} px; its short side is below {size / 4:g} px "
            f"(a quarter of the {size}-px crop)"
        )
    new_h, new_w = height, width
    if short < size:
        scale = size / short
        new_h, new_w = max(size, round(height * scale)), max(size, round(width * scale))
    return CropGeometry(height, width, new_h, new_w, (new_h - size) // 2, (new_w - size) // 2)


def center_crop(image: np.ndarray, size: int) -> np.ndarray:
    """The ``size × size`` centre crop of an ``[H, W, C]`` image (see :func:`crop_geometry`)."""
    geometry = crop_geometry(image.shape[0], image.shape[1], size)
    if geometry.resized:
        image = cv2.resize(
            image, (geometry.resized_width, geometry.resized_height), interpolation=cv2.INTER_LINEAR
        )
    return image[geometry.top : geometry.top + size, geometry.left : geometry.left + size]


def actor_crop(frame_bgr: np.ndarray, side: Side, size: int) -> np.ndarray:
    """RGB ``[size, size, 3]`` uint8 crop of one actor's half of a BGR frame (contiguous)."""
    crop = center_crop(select_half(frame_bgr, side), size)
    return np.ascontiguousarray(crop[:, :, ::-1])
