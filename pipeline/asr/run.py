"""The ``asr`` stage's work: recognise every manifest utterance with the chosen backend, cached.

Each result is stored in the per-item cache (key: backend, its output-relevant params, the
fingerprint of the code that computes it, audio bytes) the moment it arrives, so an interrupted
run resumes where it stopped and switching backends back and forth recognises nothing twice.
When everything is cached the backend is never contacted (``google`` then needs no network or
credentials).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import paths
from pipeline.asr.base import (
    BACKENDS,
    AsrBackend,
    AudioItem,
    Transcript,
    wav_digest,
    write_transcripts,
)
from pipeline.asr.params import AsrParams
from pipeline.asr.report import wer_report
from pipeline.cache import ItemCache
from pipeline.corpus.layout import resolve_root
from pipeline.failures import FailureRecord, apply_policy, write_failures
from pipeline.io import write_json
from pipeline.manifest import Utterance
from pipeline.parallel import Cached, lookup

log = logging.getLogger(__name__)


@dataclass
class AsrResult:
    """Transcripts in item order (``None`` where the item failed), failures and run counters."""

    transcripts: list[Transcript | None]
    failures: list[FailureRecord] = field(default_factory=list)
    cache_hits: int = 0
    wall_seconds: float = 0.0


def make_backend(params: AsrParams) -> AsrBackend:
    """The backend ``asr.backend`` names (an error lists the registered ones)."""
    return BACKENDS.get(params.backend)(params)


def audio_items(utterances: Sequence[Utterance], corpus_root: str | Path) -> list[AudioItem]:
    """One item per utterance: absolute wav path under the corpus root, gold transcript."""
    root = resolve_root(corpus_root)
    return [AudioItem(u.utterance_id, str(root / u.wav), u.transcript) for u in utterances]


def recognize(items: Sequence[AudioItem], backend: AsrBackend, cache_dir: str | Path) -> AsrResult:
    """Recognise ``items``, taking what the cache has and caching every new result."""
    start = time.perf_counter()
    config = backend.cache_config()
    cached = None
    if config is not None:
        cache = ItemCache(cache_dir, f"asr/{backend.name}", config, code=__name__, kind="json")
        cached = Cached(cache, wav_digest, Transcript.to_json, Transcript.from_json)
    result = AsrResult(transcripts=[None] * len(items))
    pending: list[int] = []
    for i, item in enumerate(items):
        hit = lookup(cached, item) if cached is not None else None
        if hit is None:
            pending.append(i)
        else:
            result.transcripts[i] = hit
            result.cache_hits += 1
    if pending:
        log.info("%s: %d to recognise, %d cached", backend.name, len(pending), result.cache_hits)
        backend.preflight()
        for outcome in backend.transcribe([items[i] for i in pending], cached):
            i = pending[outcome.index]
            result.transcripts[i] = outcome.value
            result.cache_hits += outcome.cached
            if outcome.failure is not None:
                result.failures.append(_failure(items[i], outcome.failure.reason))
    order = {item.utterance_id: i for i, item in enumerate(items)}
    result.failures.sort(key=lambda f: order[f.utterance_id])
    result.wall_seconds = time.perf_counter() - start
    return result


def _failure(item: AudioItem, reason: str) -> FailureRecord:
    return FailureRecord(item.utterance_id, "asr", item.wav, reason)


def timing(transcripts: Sequence[Transcript], result: AsrResult, workers: int) -> dict[str, Any]:
    """Real-time factors: per-utterance recognition time and this run's wall time over audio."""
    audio = sum(t.audio_seconds for t in transcripts)
    busy = sum(t.seconds for t in transcripts)
    return {
        "audio_seconds": audio,
        "recognition_seconds": busy,
        "rtf": busy / audio if audio > 0 else None,
        "wall_seconds_this_run": result.wall_seconds,
        "cache_hits": result.cache_hits,
        "workers": workers,
        "note": "rtf = recognition time / audio duration per stream (cached results keep the "
        "time measured when they were recognised); < 1 is faster than real time",
    }


def run_asr(
    utterances: Sequence[Utterance],
    corpus_root: str | Path,
    params: AsrParams,
    cache_dir: str | Path,
    out_dir: str | Path = paths.TRANSCRIPTS,
) -> dict[str, Any]:
    """Recognise every utterance and write ``<backend>.csv``, ``_report.json``, ``_failed.csv``.

    Returns:
        The report. Raises :class:`MmserError` after writing the outputs when utterances failed
        and ``asr.on_error`` is ``fail``.
    """
    backend = make_backend(params)
    items = audio_items(utterances, corpus_root)
    result = recognize(items, backend, cache_dir)
    out_dir = Path(out_dir)
    done = [(item, t) for item, t in zip(items, result.transcripts, strict=True) if t is not None]
    csv_file = out_dir / paths.transcripts_csv(backend.name).name
    write_transcripts(csv_file, [(i.utterance_id, t) for i, t in done])
    failed_csv = out_dir / paths.transcripts_failed(backend.name).name
    write_failures(failed_csv, result.failures)
    sessions = {u.utterance_id: f"Session{u.session}" for u in utterances}
    report = {
        "backend": backend.name,
        "config": backend.cache_config(),
        "utterances": len(items),
        "recognised": len(done),
        "empty": sum(1 for _, t in done if not t.text.strip()),
        "failed": len(result.failures),
        **wer_report([(i.utterance_id, i.gold, t.text) for i, t in done], sessions),
        "timing": timing([t for _, t in done], result, backend.concurrency),
    }
    write_json(out_dir / paths.transcripts_report(backend.name).name, report)
    overall = report["overall"]
    log.info(
        "%s: %d recognised (%d empty, %d failed), WER %s, CER %s",
        backend.name,
        report["recognised"],
        report["empty"],
        report["failed"],
        _pct(overall["wer"]),
        _pct(overall["cer"]),
    )
    apply_policy(result.failures, params.on_error, failed_csv)
    return report


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
