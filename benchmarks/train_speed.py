"""Seconds per training step of each model at the reference sizes, on this machine.

Random batches of 128 whose sequence lengths follow the default synthetic corpus (utterances of
1-4 s: up to ~400 MFCC frames, ~10 tokens, up to 12 video frames at 3 fps; or the release's,
``RELEASE_SHAPES``, used by :mod:`benchmarks.release_scale`), full-size models
(hidden 200/128, GloVe-50 embedding) — one forward, backward, clip and Adam step, as in
:mod:`models.train`. Compares the faithful ``tf_gru`` with ``torch_gru`` and 1 vs all threads.

Run: ``.venv/bin/python benchmarks/train_speed.py [--threads 1 2] [--rnn tf_gru torch_gru]``;
results go to ``benchmarks/results/train_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import objective
from models.data import DataInfo
from models.zoo import MODELS

OUT = Path(__file__).parent / "results" / "train_speed.json"
BATCH, REPEATS = 128, 3
# Per sequence: lengths drawn uniformly from [low, high), and the length of the batch's longest
# row (None: the longest drawn). Synthetic corpus: 1-4 s utterances. Release: the encoders'
# sizes (750 audio frames, 25 video frames) are reached in nearly every batch of 128 (about
# one utterance in seven is longer than 7.5 s), transcripts average ~12 tokens.
Shapes = dict[str, tuple[int, int, int | None]]
SYNTHETIC_SHAPES: Shapes = {"audio": (96, 400, None), "text": (4, 20, None), "video": (3, 13, None)}
RELEASE_SHAPES: Shapes = {"audio": (100, 750, 750), "text": (2, 24, 60), "video": (3, 25, 25)}


def _lengths(spec: tuple[int, int, int | None], g: torch.Generator) -> torch.Tensor:
    low, high, longest = spec
    lengths = torch.randint(low, high, (BATCH,), generator=g)
    if longest is not None:
        lengths[0] = longest
    return lengths


def _batch(family: str, g: torch.Generator, shapes: Shapes) -> dict[str, torch.Tensor]:
    audio_dim = 39 if family == "r1" else 120
    audio_len = _lengths(shapes["audio"], g)
    text_len = _lengths(shapes["text"], g)
    video_len = _lengths(shapes["video"], g)
    return {
        "audio": torch.randn(BATCH, int(audio_len.max()), audio_dim, generator=g),
        "audio_len": audio_len,
        "prosody": torch.randn(BATCH, 35, generator=g),
        "text": torch.randint(2, 1000, (BATCH, int(text_len.max())), generator=g),
        "text_len": text_len,
        "video": torch.rand(BATCH, int(video_len.max()), 2048, generator=g),
        "video_len": video_len,
        "label": torch.randint(0, 4, (BATCH,), generator=g),
    }


def step_times(
    name: str, rnn: str, threads: int, shapes: Shapes = SYNTHETIC_SHAPES
) -> tuple[float, float]:
    """Wall and CPU seconds of one training step (the fastest of ``REPEATS`` after a warm-up);
    on a shared machine the CPU time is the steadier one (with one thread it is what the step
    takes on an idle core)."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cls = MODELS.get(name)
    info = DataInfo(("a", "b", "c", "d"), {"audio": 39 if cls.family == "r1" else 120,
                    "prosody": 35, "video": 2048}, 1000, 50)  # fmt: skip
    model = cls(cls.params_type(), info, rnn=rnn).train()
    optim = model.params.optim
    adam = torch.optim.Adam(model.parameters(), lr=optim.lr)
    batch = _batch(cls.family, torch.Generator().manual_seed(0), shapes)
    times = []
    for _ in range(REPEATS + 1):
        start, cpu = time.perf_counter(), time.process_time()
        loss = objective.loss(optim.loss, model(batch), batch["label"])
        adam.zero_grad()
        loss.backward()
        objective.clip_gradients(model.parameters(), optim.clip, optim.clip_value)
        adam.step()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(w for w, _ in times[1:]), min(c for _, c in times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--rnn", nargs="+", default=["tf_gru", "torch_gru"])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    args = parser.parse_args()
    results = []
    for threads in args.threads:
        for rnn in args.rnn:
            for name in args.models:
                s, _ = step_times(name, rnn, threads)  # wall seconds
                results.append(
                    {"model": name, "rnn": rnn, "threads": threads, "s_per_step": round(s, 3)}
                )
                print(results[-1], flush=True)
    machine = {
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "torch": torch.__version__,
        "load_average_at_end": os.getloadavg(),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"machine": machine, "batch": BATCH, "results": results}, indent=2))


if __name__ == "__main__":
    main()
