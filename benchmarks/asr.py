"""Real-time factor of each ASR backend on synthetic-corpus speech.

Generates a synthetic corpus (``--utterances``, seeded) in a temporary folder, then recognises
every utterance with a fresh cache:

- ``pocketsphinx`` with 1 worker process and with all cores;
- ``google`` against the LOCAL FAKE Speech server on 127.0.0.1 (it echoes the gold transcript
  instantly): this measures only the real client's overhead (audio reading, request
  encoding, gRPC round trip), NOT Google's recognition speed or accuracy;
- ``gold`` (no recognition) as the floor.

Per-stream RTF = recognition time / audio duration (< 1: faster than real time); throughput =
audio seconds per wall-clock second with all workers. Results: ``benchmarks/results/asr.json``.

    .venv/bin/python -m benchmarks.asr [--utterances N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

from google.cloud import speech_v1 as speech

from benchmarks.machine import write_results
from pipeline.asr.audio import read_pcm16
from pipeline.asr.fake_google import FakeSpeechServer, transcript_response
from pipeline.asr.params import AsrParams, GoogleParams
from pipeline.asr.report import error_rates
from pipeline.asr.run import audio_items, make_backend, recognize
from pipeline.corpus.iemocap import parse_corpus
from pipeline.corpus.params import SyntheticParams
from pipeline.corpus.synthetic import generate
from pipeline.parallel import resolve_workers


def measure(name: str, params: AsrParams, items: list, cache: Path) -> dict[str, Any]:
    """Recognise ``items`` with a fresh cache; RTF, throughput and (real backends) WER."""
    backend = make_backend(params)
    start = time.perf_counter()
    result = recognize(items, backend, cache / name)
    wall = time.perf_counter() - start
    done = [(i, t) for i, t in zip(items, result.transcripts, strict=True) if t is not None]
    audio = sum(t.audio_seconds for _, t in done)
    busy = sum(t.seconds for _, t in done)
    rates = error_rates([i.gold for i, _ in done], [t.text for _, t in done])
    return {
        "backend": params.backend,
        "concurrency": backend.concurrency,
        "utterances": len(done),
        "failed": len(result.failures),
        "audio_seconds": round(audio, 1),
        "wall_seconds": round(wall, 2),
        "rtf_per_stream": round(busy / audio, 4) if audio else None,
        "throughput_x_realtime": round(audio / wall, 1) if audio else None,
        "wer": round(rates["wer"], 4) if rates["wer"] is not None else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--utterances", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "IEMOCAP_synthetic"
        generate(root, SyntheticParams(seed=2018, utterances=args.utterances), progress=False)
        utterances = parse_corpus(root).utterances
        items = audio_items(utterances, root)
        cache = Path(tmp) / "cache"
        runs = [
            ("gold", measure("gold", AsrParams(backend="gold"), items, cache)),
            ("pocketsphinx_1", measure("ps1", AsrParams("pocketsphinx", workers=1), items, cache)),
            ("pocketsphinx_all", measure("psN", AsrParams("pocketsphinx"), items, cache)),
        ]
        gold = {read_pcm16(i.wav).tobytes(): i.gold for i in items}

        def echo(request: speech.RecognizeRequest) -> speech.RecognizeResponse:
            return transcript_response(gold[request.audio.content])

        with FakeSpeechServer(echo) as server:
            google = AsrParams("google", google=GoogleParams(endpoint=server.endpoint))
            fake = measure("google", google, items, cache)
        fake["wer"] = None
        fake["note"] = "LOCAL FAKE SERVER (echoes gold): client overhead only, not Google's speed"
        runs.append(("google_fake_server", fake))
    result = {
        "corpus": f"synthetic, seed 2018, {len(items)} utterances with a wav",
        "cores": resolve_workers(0),
        "runs": dict(runs),
        "note": "rtf_per_stream = recognition time / audio duration of one stream; "
        "throughput_x_realtime = audio seconds recognised per wall-clock second, all workers",
    }
    write_results("asr", result)


if __name__ == "__main__":
    main()
