"""Benchmark the audio stage: throughput as a multiple of real time, per backend.

Generates a synthetic corpus (espeak-ng speech in the release layout; ``--utterances``, default
600, the size behind the README's figures) into a temporary folder, then for each backend:

- ``stage``: :func:`pipeline.audio.extract.extract_audio` over every utterance with an empty
  cache and ``workers`` processes (0 = all cores): reading, conditioning, features, cache writes,
  streamed outputs; audio seconds / wall seconds;
- ``rerun``: the same call again, everything from the cache;
- ``one_core``: ``backend.extract`` alone on the first 100 signals in this process.

Memory: the main process's peak during each stage run (Linux VmHWM after a reset), and the
largest peak of any child process (workers, and the corpus generator's).

The machine is shared with other jobs: the load average before each measurement is recorded.
Writes ``benchmarks/results/audio.json``.

Run: ``.venv/bin/python -m benchmarks.audio [--utterances N] [--workers W] [--backends ...]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import soundfile as sf

from benchmarks.machine import write_results
from pipeline.audio.backends import create_backend
from pipeline.audio.extract import extract_audio
from pipeline.audio.params import AudioParams
from pipeline.audio.signal import load_signal
from pipeline.corpus.iemocap import parse_corpus
from pipeline.corpus.params import SyntheticParams
from pipeline.corpus.synthetic import generate
from pipeline.manifest import Utterance
from pipeline.parallel import resolve_workers


def _reset_peak_memory() -> None:
    """Reset this process's peak resident memory (Linux: /proc/self/clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_memory_mb() -> float | None:
    """This process's peak resident memory since the last reset, in MB (Linux VmHWM)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def one_core(backend_name: str, root: Path, utterances: list[Utterance]) -> dict[str, float]:
    backend = create_backend(backend_name)
    signals = [load_signal((root / u.wav).read_bytes(), u.wav)[0] for u in utterances]
    backend.extract(signals[0])  # warm-up (imports, numba compilation)
    start = time.perf_counter()
    for signal in signals:
        backend.extract(signal)
    seconds = time.perf_counter() - start
    audio = sum(len(s) for s in signals) / 16000
    return {
        "audio_seconds": round(audio, 1),
        "seconds": round(seconds, 2),
        "x_real_time": round(audio / seconds, 1),
    }


def measure(
    backend: str, root: Path, utterances: list[Utterance], workers: int, audio: float
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mmser-bench-audio-") as tmp:
        params = AudioParams(backend=backend, workers=workers)
        runs = {}
        for name in ("stage", "rerun"):
            load = os.getloadavg()[0]
            _reset_peak_memory()
            start = time.perf_counter()
            report = extract_audio(
                utterances, root, params, Path(tmp) / "cache", Path(tmp) / "out", progress=False
            )
            seconds = time.perf_counter() - start
            runs[name] = {
                "seconds": round(seconds, 2),
                "x_real_time": round(audio / seconds, 1),
                "computed": report.computed,
                "cached": report.cached,
                "load_average_before": round(load, 2),
                "main_process_peak_mb": _peak_memory_mb(),
            }
    runs["one_core"] = one_core(backend, root, utterances[:100])
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=600)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--backends", nargs="+", default=["opensmile", "librosa"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mmser-bench-corpus-") as tmp:
        root = Path(tmp) / "IEMOCAP_synthetic"
        generate(root, SyntheticParams(utterances=args.utterances), progress=False)
        utterances = parse_corpus(root).utterances
        audio = sum(sf.info(root / u.wav).duration for u in utterances)
        results: dict[str, Any] = {
            "corpus": {
                "utterances": len(utterances),
                "audio_seconds": round(audio, 1),
                "mean_seconds": round(audio / len(utterances), 2),
            },
            "workers": resolve_workers(args.workers),
            "backends": {
                b: measure(b, root, utterances, args.workers, audio) for b in args.backends
            },
        }
    results["worker_peak_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    write_results("audio", results)


if __name__ == "__main__":
    main()
