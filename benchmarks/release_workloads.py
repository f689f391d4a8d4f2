"""Workloads :mod:`benchmarks.release_scale` measures in a project copy at the release's size.

They import only what the stages they imitate import (``models.data``, ``pipeline.io``), so
they also run against an older revision's code (``--code``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from pipeline import paths


def load_batches(steps: str = "200") -> None:
    """What training and evaluation do with R2's AMH dataset (the largest): ``steps`` random
    batches of 128 from the training partition, then every dev and test row in order."""
    from models.data import load_partition, make_batch, ordered_rows, sample_rows
    from models.zoo import MODELS

    folder = paths.datasets_dir("r2", 1) / "amh"
    cls = MODELS.get("amh")
    sizes = {"audio": 750, "text": 128, "video": 25}
    device = __import__("torch").device("cpu")
    part = load_partition(folder, "train", cls.roles)
    rng = np.random.default_rng(0)
    for _ in range(int(steps)):
        make_batch(part, sample_rows(rng, len(part), 128), sizes, device)
    for name in ("dev", "test"):
        part = load_partition(folder, name, cls.roles)
        for rows in ordered_rows(len(part), 128):
            make_batch(part, rows, sizes, device)


def write_like_feature_stages(n: str) -> None:
    """The output writes of the audio and video stages for ``n`` utterances: every row's valid
    frames (450 audio frames, 14 video frames: the release's means), as the stages write them."""
    from pipeline.io import NpyStreamWriter

    n_rows = int(n)
    rng = np.random.default_rng(0)
    mfcc, amh = rng.random((450, 39), np.float32), rng.random((450, 120), np.float32)
    prosody, video = rng.random(35, np.float32), rng.random((32, 2048), np.float32)
    out = Path(".writers")
    try:
        with (
            NpyStreamWriter(out / "mfcc.npy", (n_rows, 750, 39), np.float32) as mfcc_out,
            NpyStreamWriter(out / "amh.npy", (n_rows, 1000, 120), np.float32) as amh_out,
            NpyStreamWriter(out / "prosody.npy", (n_rows, 35), np.float32) as prosody_out,
            NpyStreamWriter(out / "video.npy", (n_rows, 32, 2048), np.float32) as video_out,
        ):
            for i in range(n_rows):
                mfcc_out[i, :450], amh_out[i, :450], prosody_out[i] = mfcc, amh, prosody
                row = np.zeros((32, 2048), np.float32)
                row[:14] = video[:14]
                video_out[i] = row
    finally:
        shutil.rmtree(out, ignore_errors=True)
