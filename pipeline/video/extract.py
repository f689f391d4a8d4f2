"""The ``video`` stage: manifest rows → ``video.npy [N, max_frames, 2048]`` and friends.

Decoding overlaps inference: :func:`pipeline.parallel.stream_map` runs ``decode_threads``
threads that each take one dialog at a time, plan it (probe, content hash, cache lookup), read
the frames it still lacks in one pass and put crops on a bounded queue; the main thread runs the
network on full batches drawn from that queue (across dialog boundaries) and finalises a dialog
once all its crops have features: the dialog's cache entry is updated and its utterances' rows
are written straight into the output file (:class:`pipeline.io.NpyStreamWriter`). Peak memory
is the model plus a few batches of crops, whatever the number of utterances.

Per-dialog planning, the cache entry and decoding live in :mod:`pipeline.video.dialogs`.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch
import torchvision

from pipeline import paths
from pipeline.cache import ItemCache
from pipeline.errors import MmserError
from pipeline.failures import FailureRecord, OnError, apply_policy, write_failures
from pipeline.io import NpyStreamWriter, save_npy, write_csv, write_json
from pipeline.manifest import Utterance
from pipeline.parallel import Outcome, Part, resolve_workers, stream_map
from pipeline.params import to_dict
from pipeline.video.backbone import FeatureExtractor, resolve_device
from pipeline.video.decode import DecodeError
from pipeline.video.dialogs import (
    DialogWork,
    decode_crops,
    fail_all,
    group_by_video,
    plan_dialog,
    store,
    video_file,
)
from pipeline.video.params import VideoParams
from pipeline.video.plan import CropKey, UtterancePlan
from pipeline.video.weights import FEATURE_DIM, WeightsInfo, load_backbone

log = logging.getLogger(__name__)

STAGE = "video"
NAMESPACE = "video/resnet101"
INDEX_COLUMNS = (
    "row",
    "utterance_id",
    "dialog",
    "speaker",
    "side",
    "seqN",
    "first_frame",
    "last_frame",
    "video_fps",
    "resized",
    "status",
)


@dataclass
class Totals:
    """Counters for the run (written to meta.json)."""

    crops_computed: int = 0
    crops_cached: int = 0
    model_seconds: float = 0.0


class _Batcher:
    """Collects crop chunks and runs the network on full batches."""

    def __init__(self, extractor: FeatureExtractor, totals: Totals) -> None:
        self.extractor = extractor
        self.totals = totals
        self.pending: list[tuple[DialogWork, list[CropKey], np.ndarray]] = []
        self.count = 0

    def add(self, work: DialogWork, keys: list[CropKey], crops: np.ndarray) -> None:
        work.outstanding += len(keys)
        self.pending.append((work, keys, crops))
        self.count += len(keys)
        while self.count >= self.extractor.batch_size:
            self._run(self.extractor.batch_size)

    def flush(self) -> None:
        if self.count:
            self._run(self.count)

    def _run(self, size: int) -> None:
        parts: list[tuple[DialogWork, list[CropKey], np.ndarray]] = []
        taken = 0
        while taken < size:
            work, keys, crops = self.pending.pop(0)
            use = min(size - taken, len(keys))
            parts.append((work, keys[:use], crops[:use]))
            if use < len(keys):
                self.pending.insert(0, (work, keys[use:], crops[use:]))
            taken += use
        self.count -= taken
        start = time.perf_counter()
        features = self.extractor(np.concatenate([crops for _, _, crops in parts]))
        self.totals.model_seconds += time.perf_counter() - start
        offset = 0
        for work, keys, _ in parts:
            for key, feature in zip(keys, features[offset : offset + len(keys)], strict=True):
                work.features[key] = feature
            work.outstanding -= len(keys)
            work.computed += len(keys)
            offset += len(keys)
        self.totals.crops_computed += taken


class _Output:
    """The stage's outputs while they are being filled, row by row."""

    def __init__(self, writer: NpyStreamWriter, n: int, max_frames: int) -> None:
        self.writer = writer
        self.max_frames = max_frames
        self.seq_n = np.zeros(n, np.int64)
        self.index: list[dict[str, Any]] = [{} for _ in range(n)]
        self._failures: dict[int, FailureRecord] = {}

    @property
    def failures(self) -> list[FailureRecord]:
        """Failure records in manifest order."""
        return [self._failures[row] for row in sorted(self._failures)]

    def write(self, work: DialogWork, plan: UtterancePlan) -> None:
        u = plan.utterance
        reason = plan.failure
        if reason is None and not all(key in work.features for key in plan.keys):
            reason = work.decode_error or "frames were not decoded"
        row = np.zeros((self.max_frames, FEATURE_DIM), np.float32)
        if reason is None:
            if len(plan.keys):
                row[: len(plan.keys)] = np.stack([work.features[k] for k in plan.keys])
            self.seq_n[plan.row] = len(plan.keys)
        else:
            row[:] = np.nan
            self._failures[plan.row] = FailureRecord(
                u.utterance_id, STAGE, video_file(work), reason
            )
        self.writer[plan.row] = row
        frames = plan.frames.tolist()
        self.index[plan.row] = {
            "row": plan.row,
            "utterance_id": u.utterance_id,
            "dialog": u.dialog,
            "speaker": u.speaker,
            "side": plan.side,
            "seqN": int(self.seq_n[plan.row]),
            "first_frame": frames[0] if frames and reason is None else "",
            "last_frame": frames[-1] if frames and reason is None else "",
            "video_fps": f"{work.video_fps:.4f}" if np.isfinite(work.video_fps) else "",
            "resized": int(plan.resized),
            "status": "ok" if reason is None else "failed",
        }


def decode_threads(params: VideoParams, device: torch.device) -> int:
    """``video.decode_threads``, or automatic: 1 next to a CPU model, up to 8 next to a GPU."""
    if params.decode_threads:
        return params.decode_threads
    return 1 if device.type == "cpu" else min(8, max(1, resolve_workers(0) - 1))


@dataclass(frozen=True)
class VideoRun:
    """What :func:`extract_features` did (its ``meta`` dict is written to meta.json)."""

    meta: dict[str, Any]
    failures: list[FailureRecord]


def extract_features(
    utterances: Sequence[Utterance],
    root: Path,
    params: VideoParams,
    cache_dir: Path,
    out_dir: Path,
    *,
    backbone: tuple[torch.nn.Module, WeightsInfo] | None = None,
    progress: bool = True,
) -> VideoRun:
    """Compute and write all video outputs into ``out_dir`` (see the module docstring).

    Args:
        utterances: Manifest rows; output row ``i`` belongs to ``utterances[i]``.
        root: The corpus root (``dialog_avi`` paths are relative to it).
        params: The ``video:`` section.
        cache_dir: ``cache.dir``.
        out_dir: Where video.npy, video_seqN.npy, index.csv, meta.json and failed.csv go.
        backbone: A pre-built ``(model, weights info)``; default: from ``params.weights``.
        progress: Show a progress bar.

    Returns:
        The meta data and the failure records (not yet judged by ``on_error``).
    """
    started = time.perf_counter()
    model, weights = backbone if backbone is not None else load_backbone(params.weights)
    device = resolve_device(params.device)
    extractor = FeatureExtractor(model, device, params.batch_size)
    config = {"crop": params.crop, "weights": weights.sha256}
    cache = ItemCache(cache_dir, NAMESPACE, config, code=__name__)
    works = group_by_video(utterances)
    totals = Totals()
    threads = decode_threads(params, device)
    shape = (len(utterances), params.max_frames, FEATURE_DIM)
    with NpyStreamWriter(out_dir / paths.VIDEO_ARRAY.name, shape, np.float32) as writer:
        output = _Output(writer, len(utterances), params.max_frames)
        messages = stream_map(
            functools.partial(dialog_crops, root=root, cache=cache, params=params),
            works,
            threads=threads,
            desc="video",
            unit="utt",
            weights=[len(work.rows) for work in works],
            progress=progress,
        )
        _consume(messages, works, _Batcher(extractor, totals), output, cache, totals, params)
    save_npy(out_dir / paths.VIDEO_SEQN.name, output.seq_n)
    write_csv(out_dir / paths.VIDEO_INDEX.name, output.index, INDEX_COLUMNS)
    write_failures(out_dir / paths.VIDEO_FAILED.name, output.failures)
    meta = _meta(params, weights, device, threads, len(utterances), output, totals, started)
    write_json(out_dir / paths.VIDEO_META.name, meta)
    return VideoRun(meta, output.failures)


def dialog_crops(
    work: DialogWork, *, root: Path, cache: ItemCache, params: VideoParams
) -> Iterator[tuple[list[CropKey], np.ndarray]]:
    """Plan one dialog, then yield its missing crops in chunks (runs in a decoding thread).

    A stream that breaks part-way is recorded in ``work.decode_error``: the crops read before it
    stay valid, and only the utterances that needed later frames fail.
    """
    missing = plan_dialog(work, root, cache, params)
    if not missing:
        return
    try:
        yield from decode_crops(root / work.avi, missing, params.crop, params.batch_size)
    except DecodeError as exc:
        work.decode_error = exc.message


def _consume(
    messages: Iterator[Part[tuple[list[CropKey], np.ndarray]] | Outcome[None]],
    works: list[DialogWork],
    batcher: _Batcher,
    output: _Output,
    cache: ItemCache,
    totals: Totals,
    params: VideoParams,
) -> None:
    open_works: dict[int, DialogWork] = {}

    def finalise_ready() -> None:
        for index, work in list(open_works.items()):
            if work.decoded and work.outstanding == 0:
                del open_works[index]
                store(cache, work)
                totals.crops_cached += work.cached
                for plan in work.plans:
                    output.write(work, plan)

    for message in messages:
        work = open_works.setdefault(message.index, works[message.index])
        if isinstance(message, Part):
            batcher.add(work, *message.value)
        else:
            if message.failure is not None:
                work.decode_error = work.decode_error or message.failure.reason
                if not work.plans:  # planning itself raised
                    fail_all(work, params, message.failure.reason)
            work.decoded = True
        finalise_ready()
    batcher.flush()
    finalise_ready()
    if open_works:  # pragma: no cover - every dialog ends with an outcome
        raise MmserError(f"internal error: {len(open_works)} dialog(s) never finished")


def _meta(
    params: VideoParams,
    weights: WeightsInfo,
    device: torch.device,
    threads: int,
    n: int,
    output: _Output,
    totals: Totals,
    started: float,
) -> dict[str, Any]:
    elapsed = time.perf_counter() - started
    return {
        "stage": STAGE,
        "shape": [n, params.max_frames, FEATURE_DIM],
        "utterances": n,
        "failed": len(output.failures),
        "random_weights": weights.random,
        "warning": weights.warning,
        "weights": {
            "requested": weights.requested,
            "source": weights.source,
            "file": weights.file,
            "sha256": weights.sha256,
            "published_checksum_ok": weights.published_checksum_ok,
        },
        "model": "torchvision resnet101, global-average-pool output (2048-d)",
        "normalisation": "ImageNet mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225), RGB",
        "params": to_dict(params),
        "device": str(device),
        "versions": {
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "opencv": cv2.__version__,
        },
        "run": {
            "seconds": round(elapsed, 2),
            "crops_computed": totals.crops_computed,
            "crops_cached": totals.crops_cached,
            "model_seconds": round(totals.model_seconds, 2),
            "crops_per_second": round(totals.crops_computed / elapsed, 2) if elapsed else None,
            "decode_threads": threads,
            "torch_threads": torch.get_num_threads(),
        },
    }


def finish(run: VideoRun, on_error: OnError, failed_csv: Path) -> None:
    """Log the run's summary, then apply ``video.on_error`` to its failures."""
    stats = run.meta["run"]
    log.info(
        "%d utterances, %d failed; %d crops computed (%.1f/s), %d from cache, %.1f s",
        run.meta["utterances"],
        len(run.failures),
        stats["crops_computed"],
        stats["crops_per_second"] or 0.0,
        stats["crops_cached"],
        stats["seconds"],
    )
    if run.meta["random_weights"]:
        log.warning("video features were computed with RANDOM weights (see meta.json)")
    apply_policy(run.failures, on_error, failed_csv)
