"""One dialog video and its utterances: planning, cache entry, and decoding the missing crops.

All utterances of a dialog are served by one cache entry and one decode pass. The cache entry
(:class:`pipeline.cache.ItemCache`, keyed by the video's content hash, the crop size and the
weights' checksum) holds one 2048-d feature per ``(frame, half)`` crop, so any utterance window,
``fps``, ``max_frames`` or ``speaker_side`` reuses every crop computed before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.cache import ItemCache, file_digest
from pipeline.corpus import layout
from pipeline.errors import MmserError
from pipeline.manifest import Utterance
from pipeline.video.decode import DecodeError, probe, read_frames
from pipeline.video.frames import actor_crop
from pipeline.video.params import VideoParams
from pipeline.video.plan import (
    SIDES,
    CropKey,
    UtterancePlan,
    failed_plan,
    needed_keys,
    plan_utterance,
)

NO_VIDEO = "no video for this dialog: {path} did not exist when the manifest was built"


@dataclass
class DialogWork:
    """One dialog video and the utterances that use it, as it moves through the pipeline."""

    avi: str
    rows: list[tuple[int, Utterance]]
    plans: list[UtterancePlan] = field(default_factory=list)
    video_fps: float = float("nan")
    cache_key: str | None = None
    features: dict[CropKey, np.ndarray] = field(default_factory=dict)
    computed: int = 0  # crops computed in this run
    cached: int = 0  # crops this dialog needed that the cache already had
    decode_error: str | None = None
    outstanding: int = 0  # crops handed to the model and not yet computed
    decoded: bool = False


def video_file(work: DialogWork) -> str:
    """The dialog's video relative to the corpus root: the manifest's ``dialog_avi``, or where
    the release keeps it (``SessionK/dialog/avi/DivX/<dialog>.avi``) when the manifest has none."""
    return work.avi or str(layout.dialog_avi_path(work.rows[0][1].dialog))


def group_by_video(utterances: Sequence[Utterance]) -> list[DialogWork]:
    """One :class:`DialogWork` per dialog video, in manifest order of first appearance."""
    groups: dict[str, DialogWork] = {}
    for row, utterance in enumerate(utterances):
        groups.setdefault(utterance.dialog_avi, DialogWork(utterance.dialog_avi, [])).rows.append(
            (row, utterance)
        )
    return list(groups.values())


def fail_all(work: DialogWork, params: VideoParams, reason: str) -> None:
    """Mark every utterance of ``work`` as failed for ``reason``."""
    work.plans = [
        failed_plan(row, u, params.speaker_side.side_of(u.speaker), reason) for row, u in work.rows
    ]


def plan_dialog(
    work: DialogWork, root: Path, cache: ItemCache, params: VideoParams
) -> list[CropKey]:
    """Fill ``work.plans`` and the cached features; return the crops still to compute."""
    if not work.avi:
        fail_all(work, params, NO_VIDEO.format(path=root / video_file(work)))
        return []
    path = root / work.avi
    try:
        info = probe(path)
        work.cache_key = cache.key(file_digest(path))
    except MmserError as exc:
        fail_all(work, params, exc.message)  # failed.csv names the file in its own column
        return []
    work.video_fps = info.fps
    work.plans = [plan_utterance(row, u, info, params) for row, u in work.rows]
    entry = cache.get(work.cache_key)
    if entry is not None:
        try:
            keys = zip(entry["frames"].tolist(), entry["sides"].tolist(), strict=True)
            work.features = dict(zip(keys, entry["features"], strict=True))
        except (KeyError, ValueError) as exc:  # an entry of the wrong shape is corrupt too
            cache.discard(work.cache_key, f"{type(exc).__name__}: {exc}")
            work.features = {}
    needed = needed_keys(work.plans)
    missing = [key for key in needed if key not in work.features]
    work.cached = len(needed) - len(missing)
    return missing


def decode_crops(
    path: Path, keys: Sequence[CropKey], crop: int, chunk: int
) -> Iterator[tuple[list[CropKey], np.ndarray]]:
    """Crops for ``keys`` (sorted by frame) in chunks of at most ``chunk``, one decode pass."""
    sides: defaultdict[int, list[int]] = defaultdict(list)
    for frame, side in keys:
        sides[frame].append(side)
    done: list[CropKey] = []
    crops: list[np.ndarray] = []
    try:
        for index, image in read_frames(path, sorted(sides)):
            for side in sides[index]:
                done.append((index, side))
                crops.append(actor_crop(image, SIDES[side], crop))
                if len(done) == chunk:
                    yield done, np.stack(crops)
                    done, crops = [], []
    except DecodeError:
        if done:  # the frames read before the stream broke are still good
            yield done, np.stack(crops)
        raise
    if done:
        yield done, np.stack(crops)


def store(cache: ItemCache, work: DialogWork) -> None:
    """Write the dialog's features (cached and new) back to the cache if any are new."""
    if work.cache_key is None or not work.computed:
        return
    keys = sorted(work.features)
    cache.put(
        work.cache_key,
        {
            "frames": np.array([f for f, _ in keys], np.int64),
            "sides": np.array([s for _, s in keys], np.int8),
            "features": np.stack([work.features[k] for k in keys]).astype(np.float32),
        },
    )
