"""How long the streaming GloVe loader takes on a glove.840B.300d-sized file.

Writes a GloVe-format file with as many lines as glove.840B.300d.txt (2,196,016 × 300 values,
~5.6 GB, into a temporary folder, ``--tmp``; removed afterwards), then times
:func:`pipeline.text.glove.read_glove_file` for a vocabulary of the original's size (3,747
words) twice: the first read after writing (file mostly in the page cache) and again. Results
go to ``benchmarks/results/glove.json``.

    .venv/bin/python -m benchmarks.glove [--lines N] [--dim D] [--vocab V]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.machine import write_results
from pipeline.text.glove import read_glove_file


def write_file(path: Path, lines: int, dim: int, seed: int = 0) -> None:
    """GloVe text lines ``w<i> v1 ... vD`` (values like the real file: 5 decimals)."""
    rng = np.random.default_rng(seed)
    pool = [
        " ".join(f"{v:.5f}" for v in rng.normal(0, 0.4, dim)).encode() + b"\n" for _ in range(256)
    ]
    with path.open("wb") as handle:
        block = []
        for i in range(lines):
            block.append(b"w%d " % i + pool[i % len(pool)])
            if len(block) == 10000:
                handle.write(b"".join(block))
                block.clear()
        handle.write(b"".join(block))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=2_196_016)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--vocab", type=int, default=3_747)
    parser.add_argument("--tmp", default=None, help="folder for the ~5.6 GB file (default: TMPDIR)")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in rng.choice(args.lines, size=args.vocab, replace=False)]
    words += [f"missing{i}" for i in range(args.vocab // 9)]  # ~10 % OOV, like the original
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        path = Path(tmp) / "glove.bench.txt"
        start = time.perf_counter()
        write_file(path, args.lines, args.dim)
        write_s = time.perf_counter() - start
        size_gb = path.stat().st_size / 1e9
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            vectors = read_glove_file(path, words)
            timings.append(time.perf_counter() - start)
    result = {
        "file": {"lines": args.lines, "dim": args.dim, "gigabytes": round(size_gb, 2)},
        "vocabulary": len(words),
        "found": len(vectors.by_word),
        "load_seconds": [round(t, 2) for t in timings],
        "throughput_gb_per_s": round(size_gb / min(timings), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "write_seconds": round(write_s, 1),
        "note": "page cache warm after writing the file; a cold read is bounded by disk speed",
    }
    write_results("glove", result)


if __name__ == "__main__":
    main()
