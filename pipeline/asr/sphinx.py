"""Backend ``pocketsphinx``: offline CMU pocketsphinx with the en-us model its wheel ships.

No network, no account. Decoders are not shareable between processes, so each worker process of
:func:`pipeline.parallel.parallel_map` builds its own once and reuses it; its feature state
(live cepstral mean) is reset before every utterance, so a result never depends on which
utterances the worker decoded before (same as a fresh decoder). The confidence is the mean
posterior probability of the recognised words.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from importlib.metadata import version
from typing import Any, ClassVar

import numpy as np

from pipeline.asr.audio import SAMPLE_RATE, duration, read_pcm16
from pipeline.asr.base import AudioItem, FatalAsrError, Transcript, mean_or_none
from pipeline.asr.params import AsrParams, PocketsphinxParams
from pipeline.cache import stable_hash
from pipeline.parallel import Cached, Outcome, parallel_map, resolve_workers

_DECODERS: dict[str, Any] = {}  # one decoder per configuration, per process


def _decoder(config: Mapping[str, Any]) -> Any:
    key = stable_hash(dict(config))
    if key not in _DECODERS:
        from pocketsphinx import Decoder

        _DECODERS[key] = Decoder(
            samprate=SAMPLE_RATE,
            loglevel="FATAL",
            fwdflat=config["fwdflat"],
            maxhmmpf=config["maxhmmpf"],
        )
    return _DECODERS[key]


def add_noise_floor(pcm: np.ndarray, dbfs: float | None) -> np.ndarray:
    """``pcm`` plus seeded Gaussian noise of RMS ``dbfs`` (relative to full scale); int16."""
    if dbfs is None or pcm.size == 0:
        return pcm
    noise = np.random.default_rng(0).normal(0.0, 10 ** (dbfs / 20) * 32767.0, pcm.shape)
    return np.clip(pcm + noise, -32768, 32767).round().astype(np.int16)


def recognize_pcm(pcm: np.ndarray, config: Mapping[str, Any]) -> tuple[str, float | None]:
    """Decode 16 kHz int16 samples; return the text and the mean word posterior."""
    decoder = _decoder(config)
    decoder.reinit_feat()  # forget the previous utterance's cepstral mean: order-independent
    decoder.start_utt()
    decoder.process_raw(add_noise_floor(pcm, config["noise_floor_dbfs"]).tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    if hyp is None or not hyp.hypstr.strip():
        return "", None
    words = [s.prob for s in decoder.seg() if not s.word.startswith(("<", "["))]
    return hyp.hypstr.strip(), mean_or_none(words)


def recognize_file(item: AudioItem, config: Mapping[str, Any]) -> Transcript:
    """Read, decode and time one utterance (runs in a worker process)."""
    pcm = read_pcm16(item.wav)
    start = time.perf_counter()
    text, confidence = recognize_pcm(pcm, config)
    return Transcript(text, confidence, time.perf_counter() - start, duration(pcm))


class PocketsphinxBackend:
    """Offline English recognition, one decoder per worker process."""

    name: ClassVar[str] = "pocketsphinx"

    def __init__(self, params: AsrParams) -> None:
        self.params: PocketsphinxParams = params.pocketsphinx
        self.concurrency = resolve_workers(params.workers)

    def cache_config(self) -> dict[str, Any]:
        return {**asdict(self.params), "pocketsphinx": version("pocketsphinx")}

    def preflight(self) -> None:
        try:
            _decoder(asdict(self.params))
        except (ImportError, RuntimeError, ValueError) as exc:
            raise FatalAsrError(
                f"pocketsphinx cannot start: {exc}", hint="pip install 'pocketsphinx>=5,<6'"
            ) from None

    def transcribe(
        self, items: Sequence[AudioItem], cached: Cached[AudioItem, Transcript] | None
    ) -> Iterator[Outcome[Transcript]]:
        fn = functools.partial(recognize_file, config=asdict(self.params))
        return parallel_map(
            fn, items, workers=self.concurrency, cached=cached, desc="asr pocketsphinx"
        )
