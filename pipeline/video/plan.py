"""Per-dialog work: which (frame, half) crops each utterance needs, and what cannot be done.

All utterances of one dialog share its video; their crops are identified by ``(frame index,
half)`` so a frame that two overlapping turns use is decoded and computed once. An utterance
fails (NaN row + failed.csv) when the release has no video for its dialog, the video cannot be
opened, a sampled frame lies beyond the end of the video, or its actor half is too small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.manifest import Utterance
from pipeline.video.decode import VideoInfo
from pipeline.video.frames import crop_geometry, frame_indices, half_bounds, sample_times
from pipeline.video.params import Side, VideoParams

SIDES: tuple[Side, Side] = ("left", "right")

CropKey = tuple[int, int]  # (frame index, 0 = left | 1 = right)


@dataclass(frozen=True)
class UtterancePlan:
    """What one utterance needs: its crop keys in time order, or why it cannot have any."""

    row: int
    utterance: Utterance
    side: Side
    frames: np.ndarray  # int64 frame indices, one per valid time step
    resized: bool = False
    failure: str | None = None

    @property
    def keys(self) -> list[CropKey]:
        side = SIDES.index(self.side)
        return [(int(f), side) for f in self.frames]


def plan_utterance(
    row: int, utterance: Utterance, info: VideoInfo, params: VideoParams
) -> UtterancePlan:
    """Sample the utterance window and check it against the video."""
    side = params.speaker_side.side_of(utterance.speaker)
    times = sample_times(utterance.start, utterance.end, params.fps, params.max_frames)
    frames = frame_indices(times, info.fps)
    x0, x1 = half_bounds(info.width, side)
    try:
        resized = crop_geometry(info.height, x1 - x0, params.crop).resized
    except ValueError as exc:
        return failed_plan(row, utterance, side, f"video is {info.width}×{info.height}: {exc}")
    beyond = np.flatnonzero(frames >= info.n_frames)
    if beyond.size:
        first = beyond[0]
        return failed_plan(
            row,
            utterance,
            side,
            f"window {utterance.start:.3f}-{utterance.end:.3f} s: the sample at "
            f"{times[first]:.3f} s is frame {frames[first]}, beyond the end of the video "
            f"({info.n_frames} frames = {info.duration:.3f} s at {info.fps:g} fps)",
        )
    return UtterancePlan(row, utterance, side, frames, resized)


def failed_plan(row: int, utterance: Utterance, side: Side, reason: str) -> UtterancePlan:
    """A plan that records why the utterance has no features."""
    return UtterancePlan(row, utterance, side, np.empty(0, np.int64), failure=reason)


def needed_keys(plans: Sequence[UtterancePlan]) -> list[CropKey]:
    """The distinct crops the successful plans need, sorted by frame (decode order)."""
    return sorted({key for plan in plans if plan.failure is None for key in plan.keys})
