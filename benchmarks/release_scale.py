"""What the real release costs: every stage measured at several corpus sizes and at full size.

Parts (``--parts``; each updates its own keys of ``benchmarks/results/release_scale.json``):

- ``sizes``: in a copy of the project per synthetic corpus size (``--sizes``), each stage's
  command from dvc.yaml run as it is, measured with its whole process tree
  (:mod:`benchmarks.process_tree`: wall and CPU time, peak resident memory, load average) plus
  the size of its outputs; ``asr`` and ``video`` only at ``--asr-sizes`` / ``--video-sizes`` (too
  slow on a shared CPU for more), ``asr`` also with one worker at the smallest. Per stage a line
  through the sizes (:mod:`benchmarks.scaling`: R², log-log exponent) projected to the release:
  10,039 utterances, ~12 h of speech, at most 3 video crops per second of speech. Also where the
  audio stage's time goes (``audio_profile``) and the video stage against the bare network
  (``video_ratio``).
- ``full``: the stages whose memory grows with N at the release's FULL size on release-shaped
  inputs (:mod:`benchmarks.release_data`): a text-only corpus of 10,039 utterances for
  ``manifest``, ``split`` and ``text``; fabricated audio and video arrays (``amh_audio``
  10,039 × 1000 × 120 float32, 4.8 GB; ``video`` 2.6 GB; ``mfcc`` 1.2 GB) for ``dataset``, two
  training steps and the evaluation of ARE and AMH, ``report``; plus training-style batch loading
  (``loading``) and the feature stages' output writers (``writers``). ``--code REV`` runs a git
  revision's code instead of the working tree's (before/after comparisons).
- ``video``: the video stage against the bare network alone (``video_ratio``) on
  ``--video-utterances`` utterances.
- ``train``: seconds per training step of each model at the release's shapes (batch 128, 750
  audio frames; :mod:`benchmarks.train_speed`).
- ``noop`` (``noop5``: with five folds): a whole ``dvc repro`` on a tiny corpus in a copy of the
  project, then the time of a ``dvc repro`` that has nothing to do, and how much of the disk
  DVC's cache doubles.

The machine may be shared: every measurement records ``os.getloadavg()`` and CPU time besides
wall time. Scratch data goes to ``--scratch`` and is deleted afterwards (``--keep`` keeps it).

Run: ``nice -n 10 .venv/bin/python -m benchmarks.release_scale --scratch /tmp/mmser-scale
[--parts sizes full train noop] [--sizes 50 100 300] [--asr-sizes 50] [--video-sizes]``
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from benchmarks.machine import RESULTS, describe
from benchmarks.process_tree import Measurement, run_measured
from benchmarks.release_data import (
    RELEASE_AUDIO_SECONDS,
    RELEASE_SETTING_ROWS,
    RELEASE_UTTERANCES,
    fabricate_features,
    write_text_release,
)
from benchmarks.scaling import linear_fit, project
from pipeline import paths
from pipeline.manifest import Utterance, read_manifest

REPO = Path(__file__).resolve().parents[1]
RESULT = RESULTS / "release_scale.json"
CORES = len(os.sched_getaffinity(0))
RELEASE = {
    "utterances": RELEASE_UTTERANCES,
    "audio_seconds": RELEASE_AUDIO_SECONDS,
    "crops": 3 * RELEASE_AUDIO_SECONDS,  # an upper bound: 32 frames at most per utterance
}
# What each stage's cost grows with (the x of its line).
GROWS_WITH = {"audio": "audio_seconds", "asr": "audio_seconds", "video": "crops"}
MEMORY_BOUND_MB = 4096
VALIDATE_PARAMS_DEP = "      - stages/validate.py\n      - params.yaml\n"
PER_SIZE_STAGES = (
    "corpus",
    "manifest",
    "split@r1-1",
    "split@r2-1",
    "audio",
    "asr",
    "text",
    "video",
    "dataset@r1-1",
    "dataset@r2-1",
)
FULL_SIZE_STAGES = (
    "manifest",
    "split@r1-1",
    "split@r2-1",
    "text",
    "dataset@r1-1",
    "dataset@r2-1",
    "train-r1@are-1",
    "train-r2@amh-1",
    "evaluate-r1@are-1",
    "evaluate-r2@amh-1",
    "report",
)


# --- projects -------------------------------------------------------------------------------


def set_params(project: Path, overrides: dict[str, Any]) -> None:
    """Set dotted keys of ``project/params.yaml``."""
    path = project / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for dotted, value in overrides.items():
        node = params
        *parents, last = dotted.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def make_project(dest: Path, overrides: dict[str, Any], code: str | None = None) -> Path:
    """A copy of the project at ``dest`` (the working tree's files, or git revision ``code``'s
    with this working tree's benchmarks) with ``overrides`` applied to its params."""
    from tests.project_copy import copy_project

    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if code is None:
        copy_project(dest)
    else:
        archive = subprocess.run(
            ["git", "archive", code], cwd=REPO, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        shutil.rmtree(dest / "benchmarks", ignore_errors=True)
        shutil.copytree(REPO / "benchmarks", dest / "benchmarks")
        (dest / "dvc.lock").unlink(missing_ok=True)
        subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    set_params(dest, overrides)
    return dest


def stage_table(project: Path) -> dict[str, tuple[str, list[str]]]:
    """Every stage of the project's dvc.yaml as DVC resolves it: name → (command, outputs)."""
    from dvc.repo import Repo

    with Repo(str(project)) as repo:
        return {
            s.name: (s.cmd, [str(o.def_path) for o in s.outs + s.metrics])
            for s in repo.index.stages
        }


def disk_usage(*roots: Path) -> dict[str, int]:
    """Bytes of the files under ``roots``: apparent size, allocated on disk (sparse files are
    smaller), and allocated counting a file with several hard links once."""
    files = [f for root in roots for f in ([root] if root.is_file() else root.rglob("*"))]
    stats = [f.stat() for f in files if f.is_file() and not f.is_symlink()]
    unique = {(s.st_dev, s.st_ino): s.st_blocks * 512 for s in stats}
    return {
        "bytes": sum(s.st_size for s in stats),
        "allocated": sum(s.st_blocks * 512 for s in stats),
        "allocated_once": sum(unique.values()),
        "files": len(stats),
    }


def run_stage(project: Path, name: str, table: dict[str, tuple[str, list[str]]]) -> dict:
    """Run one stage's command in ``project`` and measure it; its outputs' sizes too."""
    command, outs = table[name]
    argv = shlex.split(command)
    if argv[0] == "python":
        argv[0] = sys.executable
    with (project / "stages.log").open("a") as log:
        log.write(f"\n=== {name}: {command}\n")
        log.flush()
        measured = run_measured(argv, project, log=log)
    if measured.returncode != 0:
        tail = (project / "stages.log").read_text()[-3000:]
        raise RuntimeError(f"{name} failed ({measured.returncode}):\n{tail}")
    total = disk_usage(*(project / out for out in dict.fromkeys(outs) if (project / out).exists()))
    print(f"  {name}: {_brief(measured)}", flush=True)
    return {**measured.to_json(), "outputs": total}


def _brief(m: Measurement) -> str:
    return (
        f"{m.wall_s:.1f} s wall, {m.cpu_s:.1f} s CPU, peak {m.peak_tree_rss_mb:.0f} MB "
        f"(anon {m.peak_tree_anon_mb:.0f}), load {m.load_before[0]:.1f}"
    )


# --- part: sizes ----------------------------------------------------------------------------


def corpus_size(project: Path) -> dict[str, float]:
    """Utterances and seconds of speech of the project's manifest (and crops, once extracted)."""
    manifest = read_manifest(project / paths.MANIFEST)
    out: dict[str, float] = {
        "utterances": len(manifest),
        "audio_seconds": round(sum(u.duration for u in manifest), 1),
    }
    meta = project / paths.VIDEO_META
    if meta.exists() and "run" in (video := json.loads(meta.read_text())):
        out["crops"] = video["run"]["crops_computed"] + video["run"].get("crops_cached", 0)
    return out


def measure_size(
    n: int,
    scratch: Path,
    *,
    asr: bool = False,
    video: bool = False,
    one_worker: bool = False,
    profile: bool = False,
    video_ratio_utterances: int = 0,
) -> dict[str, Any]:
    """Every per-size stage on an ``n``-utterance synthetic corpus; ``asr`` and ``video`` only
    when asked (without ``video``, fabricated video features feed the dataset stage), ``asr``
    again with one worker (``one_worker``), the audio stage's profile (``profile``), the video
    stage against the bare network on its first ``video_ratio_utterances`` utterances."""
    print(f"corpus of {n} utterances", flush=True)
    project = make_project(
        scratch / f"n{n}", {"corpus.synthetic.utterances": n, "cache.dir": ".cache/mmser"}
    )
    table = stage_table(project)
    runs: dict[str, Any] = {}
    for name in PER_SIZE_STAGES:
        if name == "asr" and not asr:
            continue
        if name == "video" and not video:  # the dataset stage needs video features: fabricated
            _fabricate_video_only(project, read_manifest(project / paths.MANIFEST))
            continue
        runs[name] = run_stage(project, name, table)
    size = corpus_size(project)
    cache_root = project / ".cache" / "mmser"
    cache = {
        f"{kind.name}/{sub.name}": disk_usage(sub)
        for kind in sorted(cache_root.iterdir())
        for sub in sorted(kind.iterdir())
        if sub.is_dir()
    }
    result: dict[str, Any] = {"size": size, "stages": runs, "item_cache": cache}
    if one_worker:
        set_params(project, {"asr.workers": 1, "cache.dir": ".cache/one_worker"})
        runs["asr_one_worker"] = run_stage(project, "asr", table)
    if profile:
        result["audio_profile"] = audio_profile(project, runs["audio"], size)
    if video_ratio_utterances:
        result["video_ratio"] = video_ratio(project, video_ratio_utterances)
    return result


def _fabricate_video_only(project: Path, manifest: list[Utterance]) -> None:
    with _temporary(project / ".fabricated") as tmp:
        fabricate_features(tmp, manifest)
        target = project / paths.VIDEO_FEATURES
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(tmp / "video", target)


@contextlib.contextmanager
def _temporary(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fits(per_size: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per stage: lines of wall time, CPU time and peak memory against what it grows with,
    and their values at the release's size (this machine, and CPU time per core)."""
    out = {}
    names = sorted({name for size in per_size for name in size["stages"]})
    for name in names:
        stage = name.split("@")[0].removesuffix("_one_worker")
        x_key = GROWS_WITH.get(stage, "utterances")
        points = [(s["size"][x_key], s["stages"][name]) for s in per_size if name in s["stages"]]
        points = [(x, m) for x, m in points if x]
        if len({x for x, _ in points}) < 2:
            continue
        xs = [x for x, _ in points]
        wall = linear_fit(xs, [m["wall_s"] for _, m in points])
        cpu = linear_fit(xs, [m["cpu_s"] for _, m in points])
        rss = linear_fit(xs, [m["peak_tree_rss_mb"] for _, m in points])
        release_x = RELEASE[x_key]
        out[name] = {
            "x": x_key,
            "xs": xs,
            "loads": [m["load_before"][0] for _, m in points],
            "wall_s": wall.to_json(),
            "cpu_s": cpu.to_json(),
            "peak_tree_rss_mb": rss.to_json(),
            "release": {
                x_key: release_x,
                "wall_s_this_machine_under_measured_load": round(project(wall, release_x)),
                "cpu_s_one_core": round(project(cpu, release_x)),
                f"cpu_s_over_{CORES}_cores": round(project(cpu, release_x, CORES)),
                "peak_tree_rss_mb_linear": round(project(rss, release_x)),
            },
        }
        if x_key == "audio_seconds":
            out[name]["x_real_time"] = {
                "per_core_marginal": round(1 / cpu.slope, 1) if cpu.slope > 0 else None,
                f"{CORES}_cores_marginal": round(CORES / cpu.slope, 1) if cpu.slope > 0 else None,
                "wall_largest_size": round(xs[-1] / points[-1][1]["wall_s"], 1),
            }
    return out


# --- the audio stage: where its time goes ---------------------------------------------------


def _cpu_timer() -> Callable[[], tuple[float, float]]:
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    return lambda: (time.perf_counter() - start_wall, time.process_time() - start_cpu)


def audio_profile(project: Path, stage: dict[str, Any], size: dict[str, float]) -> dict:
    """CPU seconds per step of the audio stage's per-utterance work, in this process, over the
    whole corpus: reading and hashing the wav, decoding it, openSMILE (the stage's one run of
    all configs, then each stand-alone config alone), pickling the result to the main process,
    the cache write, the output writes; against the stage's measured CPU time."""
    import opensmile

    from pipeline.audio.extract import AudioResult, item_cache
    from pipeline.audio.opensmile_backend import SMILE_CONFIGS, OpenSmileBackend
    from pipeline.audio.signal import load_signal
    from pipeline.cache import stable_hash
    from pipeline.io import NpyStreamWriter

    manifest = read_manifest(project / paths.MANIFEST)
    root = project / paths.SYNTHETIC_CORPUS
    steps: dict[str, float] = dict.fromkeys(
        ("read_and_hash", "decode", "opensmile_all_configs", "ipc_pickle", "cache_write"), 0.0
    )
    backend = OpenSmileBackend()
    signals, results = [], []
    for u in manifest:
        t = _cpu_timer()
        data = (root / u.wav).read_bytes()
        hashlib.sha256(data).hexdigest()
        steps["read_and_hash"] += t()[1]
        t = _cpu_timer()
        signal, info = load_signal(data, u.wav)
        steps["decode"] += t()[1]
        t = _cpu_timer()
        features = backend.extract(signal)
        steps["opensmile_all_configs"] += t()[1]
        result = AudioResult(features.mfcc[:750], features.amh[:1000], features.prosody, 0, info)
        t = _cpu_timer()
        pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        steps["ipc_pickle"] += t()[1]
        signals.append(signal)
        results.append(result)
    with _temporary(project / ".profile") as tmp:
        cache = item_cache(backend, tmp / "cache")
        t = _cpu_timer()
        for i, result in enumerate(results):
            cache.put(cache.key(stable_hash(i)), result.to_arrays())
        steps["cache_write"] = t()[1]
        n = len(results)
        t = _cpu_timer()
        with (
            NpyStreamWriter(tmp / "mfcc.npy", (n, 750, 39), np.float32) as mfcc,
            NpyStreamWriter(tmp / "amh.npy", (n, 1000, 120), np.float32) as amh,
            NpyStreamWriter(tmp / "prosody.npy", (n, 35), np.float32) as prosody,
        ):
            for i, r in enumerate(results):
                mfcc[i, : len(r.mfcc)], amh[i, : len(r.amh)], prosody[i] = r.mfcc, r.amh, r.prosody
        steps["output_writes"] = t()[1]
    alone = {}
    for level, config in SMILE_CONFIGS.items():
        smile = opensmile.Smile(feature_set=str(config), feature_level=level)
        t = _cpu_timer()
        for signal in signals:
            smile.process_signal(signal, 16000)
        alone[level] = round(t()[1], 2)
    audio = size["audio_seconds"]
    total = sum(steps.values())
    return {
        "utterances": len(manifest),
        "audio_seconds": audio,
        "cpu_s": {k: round(v, 2) for k, v in steps.items()},
        "cpu_s_per_step_sum": round(total, 2),
        "x_real_time_one_core_per_step_sum": round(audio / total, 1),
        "stage_cpu_s": stage["cpu_s"],
        "stage_cpu_s_not_in_steps": round(stage["cpu_s"] - total, 2),
        "opensmile_config_alone_cpu_s": alone,
        "note": "one process, CPU seconds over the whole corpus; 'alone': each stand-alone config "
        "through opensmile.Smile (with its pandas output), the stage runs all in one pass",
    }


def video_ratio(project: Path, utterances: int = 60) -> dict[str, Any]:
    """Whole video extraction against the bare ResNet-101 forward, same batch size
    (:mod:`benchmarks.video`'s measurements) on the first ``utterances`` of the corpus."""
    from benchmarks.video import model_throughput, stage_throughput
    from pipeline.params import load_section
    from pipeline.video.backbone import FeatureExtractor, resolve_device
    from pipeline.video.params import VideoParams
    from pipeline.video.weights import random_model

    params = load_section(VideoParams, "video", project / "params.yaml")
    backbone = random_model("random")
    extractor = FeatureExtractor(backbone[0], resolve_device(params.device), params.batch_size)
    manifest = read_manifest(project / paths.MANIFEST)[:utterances]
    root = project / paths.SYNTHETIC_CORPUS
    with _temporary(project / ".video_ratio") as work:
        load = os.getloadavg()
        before = model_throughput(extractor, params.crop, 6)
        stage = stage_throughput(manifest, root, params, backbone, work)
        after = model_throughput(extractor, params.crop, 6)
    model_per_s = (before["per_s"] + after["per_s"]) / 2
    model_cpu = (before["cpu_s_per_item"] + after["cpu_s_per_item"]) / 2
    return {
        "batch_size": params.batch_size,
        "load_before": [round(v, 2) for v in load],
        "model": {"before": before, "after": after},
        "stage": stage,
        "ratio_wall": round(stage["per_s"] / model_per_s, 3),
        "ratio_cpu_time": round(model_cpu / stage["cpu_s_per_item"], 3),
    }


# --- disk space from the shapes --------------------------------------------------------------


def disk_projection() -> dict[str, Any]:
    """Bytes of the release's feature arrays and of one fold's datasets per setting, from the
    arrays' shapes and dtypes (apparent sizes: padding included)."""
    from pipeline.audio.features import AMH_FRAMES, MFCC_FRAMES
    from pipeline.datasets import LAYOUT, feature_table
    from pipeline.settings import LAYOUTS
    from pipeline.text.params import TextParams
    from pipeline.video.params import VideoParams

    table = feature_table()
    frames = {
        "mfcc": MFCC_FRAMES,
        "amh_audio": AMH_FRAMES,
        "tokens": TextParams().max_len,
        "video": VideoParams().max_frames,
    }

    def row_bytes(key: str, dtype: Any) -> int:
        tail = [frames[key] if d is None else d for d in table[key].tail]
        return int(np.prod(tail, dtype=np.int64)) * np.dtype(dtype).itemsize

    stored = {
        key: row_bytes(key, np.int32 if key == "tokens" else f.dtype) for key, f in table.items()
    }
    layout_row = {
        name: sum(row_bytes(key, table[key].dtype) for _, _, key in parts) + 8  # + the label
        for name, parts in LAYOUT.items()
    }
    per_fold = {
        setting: rows * sum(layout_row[layout] for layout in LAYOUTS[setting])
        for setting, rows in RELEASE_SETTING_ROWS.items()
    }
    return {
        "features_bytes": RELEASE_UTTERANCES * sum(stored.values()),
        "feature_row_bytes": stored,
        "dataset_row_bytes": layout_row,
        "setting_rows": RELEASE_SETTING_ROWS,
        "datasets_bytes_per_fold": per_fold,
        "datasets_bytes_five_folds": 5 * sum(per_fold.values()),
    }


# --- part: full size ------------------------------------------------------------------------


def measure_full(
    scratch: Path,
    code: str | None,
    stages: Sequence[str] = FULL_SIZE_STAGES,
    saved: Callable[[dict[str, Any]], None] = lambda result: None,
) -> dict[str, Any]:
    """The stages whose memory grows with N, at the release's size (see the module docstring);
    ``stages``: those of :data:`FULL_SIZE_STAGES` to run (the first four always run). ``saved``
    is called with the result so far after every measurement."""
    release = scratch / "release_text"
    shutil.rmtree(release, ignore_errors=True)
    t = _cpu_timer()
    dialogs = write_text_release(release)
    print(f"text-only release: {dialogs} dialogs in {t()[0]:.0f} s", flush=True)
    project = make_project(
        scratch / "full",
        {
            "corpus.source": "iemocap",
            "corpus.root": str(release),
            "settings.r1.models": ["are"],
            "settings.r2.baselines": [],
            "train.min_steps": 0,
            "train.max_steps": 2,
        },
        code,
    )
    table = stage_table(project)
    runs: dict[str, Any] = {}
    result: dict[str, Any] = {"code": code or "working tree", "stages": runs}
    result["bound_mb"] = MEMORY_BOUND_MB

    def run(name: str, measure: Callable[[], dict[str, Any]]) -> None:
        runs[name] = measure()
        result["within_bound"] = {
            name: m["peak_tree_rss_mb"] < MEMORY_BOUND_MB for name, m in runs.items()
        }
        saved(result)

    for name in FULL_SIZE_STAGES[:4]:
        run(name, lambda name=name: run_stage(project, name, table))
    manifest = read_manifest(project / paths.MANIFEST)
    result["utterances"] = len(manifest)
    result["splits"] = {}
    for setting in ("r1", "r2"):
        report = json.loads((project / paths.split_report(setting, 1)).read_text())
        result["splits"][setting] = {p: report[p]["total"] for p in ("train", "dev", "test")}
    t = _cpu_timer()
    fabricate_features(project / paths.FEATURES, manifest)
    result["fabricated_features"] = {
        name: disk_usage(project / paths.FEATURES / name) for name in ("audio", "video")
    }
    print(f"fabricated features in {t()[0]:.0f} s", flush=True)
    for name in FULL_SIZE_STAGES[4:]:
        if name in stages:
            run(name, lambda name=name: run_stage(project, name, table))
            if name.startswith("dataset@"):
                setting = name.split("@")[1].split("-")[0]
                result.setdefault("datasets", {})[setting] = disk_usage(
                    project / paths.datasets_dir(setting, 1)
                )
    run("loading", lambda: _measure_snippet(project, "load_batches"))
    run(
        "writers",
        lambda: _measure_snippet(project, "write_like_feature_stages", str(len(manifest))),
    )
    return result


def _measure_snippet(project: Path, function: str, *args: str) -> dict[str, Any]:
    """Run ``benchmarks.release_workloads.<function>(*args)`` in ``project`` and measure it."""
    module = "benchmarks.release_workloads"
    code = f"import sys; from {module} import {function}; {function}(*sys.argv[1:])"
    with (project / "stages.log").open("a") as log:
        log.write(f"\n=== {function}\n")
        log.flush()
        measured = run_measured([sys.executable, "-c", code, *args], project, log=log)
    if measured.returncode != 0:
        raise RuntimeError(f"{function} failed:\n{(project / 'stages.log').read_text()[-3000:]}")
    print(f"  {function}: {_brief(measured)}", flush=True)
    return measured.to_json()


# --- part: training speed -------------------------------------------------------------------


def train_speed() -> dict[str, Any]:
    """Seconds per training step of each model at the release's shapes, one thread (the
    default ``train.threads``): CPU seconds (what a step takes on an idle core) and wall."""
    import torch

    from benchmarks.train_speed import RELEASE_SHAPES, step_times
    from models.zoo import MODELS

    out = {}
    for name in MODELS.names():
        load = os.getloadavg()[0]
        wall, cpu = step_times(name, "tf_gru", 1, RELEASE_SHAPES)
        out[name] = {
            "cpu_s_per_step": round(cpu, 3),
            "steps_per_s_by_cpu_time": round(1 / cpu, 3),
            "wall_s_per_step": round(wall, 3),
            "load_before": round(load, 2),
        }
        print(f"  {name}: {out[name]}", flush=True)
    return {"shapes": RELEASE_SHAPES, "threads": 1, "torch": torch.__version__, "models": out}


# --- part: no-op dvc repro ------------------------------------------------------------------


def dvc_noop(
    scratch: Path, utterances: int = 50, repeats: int = 3, folds: Sequence[int] = (1,)
) -> dict[str, Any]:
    """A whole ``dvc repro`` of a tiny corpus in a copy of the project, then repeated no-op
    ``dvc repro`` and ``dvc status``; how much disk the workspace and DVC's cache take, with
    DVC's default cache type (copies) and after relinking the workspace as the project's
    ``.dvc/config`` says (hard links here).

    To keep the first run short on a CPU it uses gold transcripts, 1 video frame per second
    and 2 training steps; the no-op time depends on the stages and files, not on these.
    ``folds``: ``split.folds`` (each fold adds its splits, datasets, trainings, evaluations)."""
    from tests.project_copy import dvc_env

    project = make_project(
        scratch / "noop",
        {
            "corpus.synthetic.utterances": utterances,
            "asr.backend": "gold",
            "video.fps": 1,
            "train.min_steps": 0,
            "train.max_steps": 2,
            "split.folds": list(folds),
        },
    )
    dvc = [sys.executable, "-m", "dvc"]
    # First with DVC's default (copies on a file system without reflinks), then the project's
    # links (``.dvc/config``).
    subprocess.run([*dvc, "config", "--local", "cache.type", "reflink,copy"], cwd=project)

    def measure(*args: str) -> dict[str, Any]:
        with (project / "dvc.log").open("a") as log:
            log.write(f"\n=== dvc {' '.join(args)}\n")
            log.flush()
            m = run_measured([*dvc, *args], project, env=dvc_env(), log=log)
        if m.returncode != 0:
            raise RuntimeError(f"dvc {args} failed:\n{(project / 'dvc.log').read_text()[-3000:]}")
        print(f"  dvc {' '.join(args)}: {_brief(m)}", flush=True)
        return m.to_json()

    def disk() -> dict[str, Any]:
        data, results, cache = project / "data", project / "results", project / ".dvc" / "cache"
        return {
            "workspace": disk_usage(data, results),
            "dvc_cache": disk_usage(cache),
            "together": disk_usage(data, results, cache),
            "item_cache": disk_usage(project / ".cache"),
        }

    full = measure("repro")
    noop = [measure("repro") for _ in range(repeats)]
    status = [measure("status") for _ in range(repeats)]
    copies = disk()
    subprocess.run([*dvc, "config", "--local", "--unset", "cache.type"], cwd=project)
    relink = measure("checkout", "--relink")
    linked_noop = measure("repro")
    # The params check is always_changed: DVC runs it and rewrites its dvc.lock entry (parsing
    # and dumping the whole lock file) on every repro. The same no-op without that:
    dvcfile = project / "dvc.yaml"
    text = dvcfile.read_text()
    always = re.search(r"\n    always_changed: true[^\n]*", text)
    if always is not None:
        text = text.replace(always.group(0), "", 1)
        dvcfile.write_text(text.replace("      - stages/validate.py\n", VALIDATE_PARAMS_DEP, 1))
        measure("repro")  # runs the check once more (its definition changed)
    without_always = measure("repro")
    return {
        "corpus_utterances": utterances,
        "folds": list(folds),
        "stages": len(stage_table(project)),
        "full_repro": full,
        "noop_repro": noop,
        "noop_repro_wall_s_min": min(m["wall_s"] for m in noop),
        "status": status,
        "disk_default_cache_copies": copies,
        "relink_hardlink": relink,
        "disk_hardlinks": disk(),
        "noop_repro_hardlinks": linked_noop,
        "noop_repro_validate_not_always_changed": without_always,
        "dvc_lock_lines": len((project / "dvc.lock").read_text().splitlines()),
    }


# --- main -----------------------------------------------------------------------------------


def _load_result() -> dict[str, Any]:
    return json.loads(RESULT.read_text()) if RESULT.exists() else {}


def _save(result: dict[str, Any]) -> None:
    result["machine"] = describe()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scratch", type=Path, required=True, help="folder for scratch data")
    parser.add_argument("--parts", nargs="+", default=["sizes", "full", "train", "noop"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 300])
    parser.add_argument("--asr-sizes", type=int, nargs="*", default=[50])
    parser.add_argument("--video-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--profile-size", type=int, default=100)
    parser.add_argument("--video-ratio-utterances", type=int, default=16)
    parser.add_argument("--video-utterances", type=int, default=60, help="for the video part")
    parser.add_argument("--code", default=None, help="git revision for the full part")
    parser.add_argument("--full-stages", nargs="+", default=list(FULL_SIZE_STAGES))
    parser.add_argument("--name", default=None, help="key of the full part (default: full)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    result = _load_result()
    result["release"] = RELEASE
    result["cores"] = CORES
    result["disk_projection"] = disk_projection()
    try:
        if "sizes" in args.parts:
            per_size = []
            for n in args.sizes:
                measured = measure_size(
                    n,
                    args.scratch,
                    asr=n in args.asr_sizes,
                    video=n in args.video_sizes,
                    one_worker=n == min(args.asr_sizes, default=None),
                    profile=n == args.profile_size,
                    video_ratio_utterances=args.video_ratio_utterances if n == args.sizes[0] else 0,
                )
                per_size.append(measured)
                if not args.keep:
                    shutil.rmtree(args.scratch / f"n{n}", ignore_errors=True)
                result["sizes"] = per_size
                _save(result)
            result["fits"] = fits(per_size)
            _save(result)
        if "full" in args.parts:

            def saved(full: dict[str, Any]) -> None:
                result[args.name or "full"] = full
                _save(result)

            measure_full(args.scratch, args.code, args.full_stages, saved)
        if "train" in args.parts:
            result["train"] = train_speed()
            _save(result)
        if "noop" in args.parts:
            result["noop"] = dvc_noop(args.scratch)
            _save(result)
        if "video" in args.parts:
            project = make_project(
                args.scratch / "video", {"corpus.synthetic.utterances": 2 * args.video_utterances}
            )
            table = stage_table(project)
            for name in ("corpus", "manifest"):
                run_stage(project, name, table)
            result["video_ratio"] = video_ratio(project, args.video_utterances)
            _save(result)
        if "noop5" in args.parts:
            result["noop_five_folds"] = dvc_noop(args.scratch, folds=(1, 2, 3, 4, 5))
            _save(result)
    finally:
        if not args.keep:
            for name in ("full", "release_text", "noop", "video"):
                shutil.rmtree(args.scratch / name, ignore_errors=True)
    print(f"results: {RESULT}")


if __name__ == "__main__":
    main()
