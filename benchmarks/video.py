"""Benchmark the video stage: bare ResNet-101 speed vs the whole extraction, decoding, labels.

In one run, on one device (``--device cpu|cuda|auto``) and batch size:

(a) **model**: bare ResNet-101 forward throughput (images/s) on ready, normalised, channels-last
    batches under ``torch.inference_mode()``: the ceiling of the stage;
(b) **stage**: end-to-end throughput of :func:`pipeline.video.extract.extract_features` (crops/s
    including decoding, cropping, normalising and writing; empty cache), goal (b) ≥ 0.8 · (a);
(c) **decode**: the decode + crop side alone (crops/s with no model), and per-sample cost of
    sequential ``grab()`` vs seeking for 3-fps sampling, which sets ``decode.SEEK_MIN_GAP``;
(d) **labels** (``--features DIR``, e.g. the stage's ``data/features/video``): how well the
    speaking actor's features separate the labels — nearest-centroid accuracy (5-fold, on the
    mean of the valid frames) against chance; with ``--listener-control`` also the same for the
    *other* actor's half (the whole manifest with ``speaker_side`` swapped; uses ``cache.dir``),
    which should be near chance on the synthetic corpus, whose listener shows no cue.

Corpus: ``data/manifest.csv`` and ``corpus.root`` from params.yaml when present (run
``dvc repro manifest`` first), else a small synthetic corpus generated into a temporary folder.
Writes ``benchmarks/results/video.json`` (or ``--name``).

Run: ``.venv/bin/python -m benchmarks.video [--device cuda] [--utterances 60]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from benchmarks.machine import write_results
from pipeline import paths
from pipeline.cache import CacheParams, ItemCache
from pipeline.corpus.layout import resolve_root
from pipeline.corpus.params import CorpusParams, SyntheticParams
from pipeline.io import load_npy
from pipeline.labels import SCHEMES
from pipeline.manifest import Utterance, read_manifest
from pipeline.params import load_section
from pipeline.video import decode
from pipeline.video.backbone import FeatureExtractor, resolve_device
from pipeline.video.dialogs import decode_crops, group_by_video, plan_dialog
from pipeline.video.extract import extract_features
from pipeline.video.params import SpeakerSides, VideoParams
from pipeline.video.weights import random_model


def describe_device(device: torch.device) -> dict[str, object]:
    """The device and library versions (the machine itself: :func:`benchmarks.machine.describe`)."""
    return {
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "device": str(device),
        "gpu": torch.cuda.get_device_name(0) if device.type == "cuda" else None,
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }


def model_throughput(extractor: FeatureExtractor, crop: int, batches: int) -> dict[str, float]:
    """(a) images/s of the bare network on normalised channels-last batches."""
    size = extractor.batch_size
    crops = np.random.default_rng(0).integers(0, 256, (size, crop, crop, 3), dtype=np.uint8)
    batch = extractor.normalise(crops)
    with torch.inference_mode():
        extractor.model(batch)  # warm-up (allocations, kernel selection)
        _sync(extractor.device)
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(batches):
            extractor.model(batch)
        _sync(extractor.device)
    return _rates(size * batches, time.perf_counter() - start, time.process_time() - cpu)


def _rates(items: int, seconds: float, cpu_seconds: float) -> dict[str, float]:
    """Throughput by wall clock, and CPU seconds per item (steadier on a shared machine)."""
    return {
        "items": items,
        "seconds": round(seconds, 3),
        "per_s": round(items / seconds, 2) if seconds else float("nan"),
        "cpu_s_per_item": round(cpu_seconds / items, 4) if items else float("nan"),
    }


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def stage_throughput(
    utterances: list[Utterance], root: Path, params: VideoParams, backbone, work: Path
) -> dict[str, float]:
    """(b) crops/s of the whole extraction with an empty cache."""
    start, cpu = time.perf_counter(), time.process_time()
    run = extract_features(
        utterances, root, params, work / "cache", work / "out", backbone=backbone, progress=False
    )
    rates = _rates(
        run.meta["run"]["crops_computed"], time.perf_counter() - start, time.process_time() - cpu
    )
    return {
        "utterances": len(utterances),
        "failed": len(run.failures),
        **rates,
        "model_seconds": run.meta["run"]["model_seconds"],
        "decode_threads": run.meta["run"]["decode_threads"],
    }


def decode_throughput(
    utterances: list[Utterance], root: Path, params: VideoParams, work: Path
) -> dict[str, object]:
    """(c) decode + crop alone, and grab-vs-seek cost per 3-fps sample on the first video."""
    cache = ItemCache(work / "empty-cache", "none", {}, code="pipeline.video.dialogs")
    crops = 0
    start, cpu = time.perf_counter(), time.process_time()
    first_path, first_frames = None, []
    for work_item in group_by_video(utterances):
        missing = plan_dialog(work_item, root, cache, params)
        if missing and first_path is None:
            first_path, first_frames = root / work_item.avi, sorted({f for f, _ in missing})
        for keys, _ in decode_crops(root / work_item.avi, missing, params.crop, 64):
            crops += len(keys)
    result: dict[str, object] = dict(
        _rates(crops, time.perf_counter() - start, time.process_time() - cpu)
    )
    if first_path is not None:
        result["sample_cost_ms"] = _grab_vs_seek(first_path, first_frames)
    return result


def _grab_vs_seek(path: Path, frames: list[int]) -> dict[str, float]:
    costs = {}
    for label, gap in (("grab", 10**9), ("seek_every_sample", 0), ("default", None)):
        saved = decode.SEEK_MIN_GAP
        decode.SEEK_MIN_GAP = saved if gap is None else gap
        try:
            start = time.perf_counter()
            count = sum(1 for _ in decode.read_frames(path, frames))
            costs[label] = round(1000 * (time.perf_counter() - start) / count, 3)
        finally:
            decode.SEEK_MIN_GAP = saved
    costs["seek_min_gap"] = decode.SEEK_MIN_GAP
    return costs


def label_separability(features_dir: Path, manifest: list[Utterance]) -> dict[str, object]:
    """(d) nearest-centroid accuracy of mean video features per 4-class label, 5 folds."""
    video = load_npy(features_dir / "video.npy", shape=[len(manifest), None, 2048], mmap=True)
    seq_n = load_npy(features_dir / "video_seqN.npy", shape=[len(manifest)])
    scheme = SCHEMES.get("4class")
    rows = [
        (i, scheme.class_id(u.label_raw))
        for i, u in enumerate(manifest)
        if seq_n[i] > 0 and scheme.class_id(u.label_raw) is not None
    ]
    x = np.stack([video[i, : seq_n[i]].mean(0) for i, _ in rows])
    y = np.array([label for _, label in rows])
    x = (x - x.mean(0)) / (x.std(0) + 1e-6)
    folds = np.random.default_rng(0).permutation(len(y)) % 5
    correct = 0
    for fold in range(5):
        train, test = folds != fold, folds == fold
        classes = np.unique(y[train])
        centroids = np.stack([x[train][y[train] == c].mean(0) for c in classes])
        distances = ((x[test][:, None, :] - centroids[None]) ** 2).sum(-1)
        correct += int((classes[distances.argmin(1)] == y[test]).sum())
    counts = np.bincount(y)
    return {
        "utterances": len(y),
        "scheme": "4class",
        "nearest_centroid_accuracy": round(correct / len(y), 3),
        "majority_baseline": round(counts.max() / len(y), 3),
        "weights": json.loads((features_dir / "meta.json").read_text())["weights"]["source"],
    }


def listener_control(
    manifest: list[Utterance], root: Path, params: VideoParams, backbone, work: Path
) -> dict[str, object]:
    """(d) for the half of the actor who is *not* speaking (speaker_side swapped)."""
    swapped = SpeakerSides(F=params.speaker_side.M, M=params.speaker_side.F)
    cache_dir = Path(load_section(CacheParams, "cache", "params.yaml").dir)
    out = work / "listener"
    extract_features(
        manifest, root, replace(params, speaker_side=swapped), cache_dir, out, backbone=backbone
    )
    return label_separability(out, manifest)


def _corpus(args: argparse.Namespace, work: Path) -> tuple[list[Utterance], Path, str]:
    if paths.MANIFEST.exists() and not args.generate:
        corpus = load_section(CorpusParams, "corpus", "params.yaml")
        return read_manifest(paths.MANIFEST), resolve_root(corpus.root), str(paths.MANIFEST)
    from pipeline.corpus.iemocap import parse_corpus
    from pipeline.corpus.synthetic import generate

    root = work / "corpus"
    generate(root, SyntheticParams(seed=2018, utterances=50), progress=False)
    return parse_corpus(root).utterances, root, "generated synthetic corpus (50 utterances)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--batch-size", type=int, default=None, help="default: params.yaml")
    parser.add_argument("--utterances", type=int, default=60, help="manifest rows for (b), (c)")
    parser.add_argument("--batches", type=int, default=6, help="timed batches for (a)")
    parser.add_argument("--generate", action="store_true", help="ignore data/manifest.csv")
    parser.add_argument("--features", type=Path, default=None, help="stage output for (d)")
    parser.add_argument("--listener-control", action="store_true", help="(d) for the other half")
    parser.add_argument("--name", default="video", help="results file benchmarks/results/NAME.json")
    args = parser.parse_args()

    params = load_section(VideoParams, "video", "params.yaml")
    params = replace(params, device=args.device, batch_size=args.batch_size or params.batch_size)
    device = resolve_device(params.device)
    backbone = random_model("random")  # speed does not depend on the weights' values
    extractor = FeatureExtractor(backbone[0], device, params.batch_size)
    result: dict[str, object] = {**describe_device(device), "batch_size": params.batch_size}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest, root, source = _corpus(args, work)
        subset = manifest[: args.utterances]
        result["corpus"] = {"source": source, "utterances_used": len(subset)}
        before = model_throughput(extractor, params.crop, args.batches)
        result["b_stage"] = stage = stage_throughput(subset, root, params, backbone, work)
        after = model_throughput(extractor, params.crop, args.batches)
        model = {"before_b": before, "after_b": after}
        model["per_s"] = round((before["per_s"] + after["per_s"]) / 2, 2)
        model["cpu_s_per_item"] = round((before["cpu_s_per_item"] + after["cpu_s_per_item"]) / 2, 4)
        result["a_model"] = model
        result["c_decode"] = decode_throughput(subset, root, params, work)
        if args.features is not None:
            result["d_labels"] = label_separability(args.features, manifest)
        if args.listener_control:
            result["d_labels_listener"] = listener_control(manifest, root, params, backbone, work)
    result["ratio_b_to_a"] = round(stage["per_s"] / model["per_s"], 3)
    result["ratio_b_to_a_by_cpu_time"] = round(model["cpu_s_per_item"] / stage["cpu_s_per_item"], 3)
    crops_per_utterance = stage["items"] / max(1, len(subset))
    result["estimate_full_manifest_s"] = round(len(manifest) * crops_per_utterance / stage["per_s"])
    write_results(args.name, result)


if __name__ == "__main__":
    main()
