"""``asr:`` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pipeline.asr.base import BACKENDS
from pipeline.failures import OnError
from pipeline.params import check


@dataclass(frozen=True)
class PocketsphinxParams:
    """Offline CMU pocketsphinx with the en-us model its PyPI wheel ships.

    Attributes:
        noise_floor_dbfs: RMS level (dBFS) of a seeded Gaussian noise floor added before
            decoding, or ``None`` for none. Digitally silent stretches (TTS, gated recordings)
            derail pocketsphinx's cepstral normalisation; real microphones never produce them.
        fwdflat: Run the second, flat-lexicon search pass (slower, rarely better here).
        maxhmmpf: Most active HMMs per frame (smaller is faster, coarser).
    """

    noise_floor_dbfs: float | None = -60.0
    fwdflat: bool = False
    maxhmmpf: int = 10000

    def __post_init__(self) -> None:
        level = self.noise_floor_dbfs
        check(
            level is None or -120 <= level <= -20,
            "noise_floor_dbfs",
            f"must be null or in [-120, -20] dBFS, got {level}",
        )
        check(self.maxhmmpf >= 100, "maxhmmpf", f"too small: {self.maxhmmpf}")


@dataclass(frozen=True)
class GoogleParams:
    """Google Cloud Speech-to-Text v1, synchronous ``recognize`` per utterance (the original).

    Attributes:
        endpoint: ``host:port`` of the Speech API; ``None`` is speech.googleapis.com. A
            127.0.0.1/localhost endpoint is reached without TLS or credentials (test server).
        language_code: BCP-47 language (the original: en-US).
        model: Recognition model (``latest_long``, ``phone_call``, ...); ``None`` = API default.
        use_enhanced: Ask for the enhanced variant of ``model``.
        max_alternatives: Alternatives requested; the top one is the transcript.
        punctuation: Automatic punctuation (the original: off).
        max_concurrency: Requests in flight at once.
        timeout_s: Deadline of one request.
        retries: Retries of a request after a transient error (unavailable, deadline, internal).
        backoff_s: First retry delay; doubled on each further retry.
        connect_timeout_s: How long the start-up check waits for the endpoint.
    """

    endpoint: str | None = None
    language_code: str = "en-US"
    model: str | None = None
    use_enhanced: bool = False
    max_alternatives: int = 1
    punctuation: bool = False
    max_concurrency: int = 8
    timeout_s: float = 60.0
    retries: int = 4
    backoff_s: float = 1.0
    connect_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        check(
            1 <= self.max_alternatives <= 30,
            "max_alternatives",
            f"must be 1..30, got {self.max_alternatives}",
        )
        check(
            self.max_concurrency >= 1,
            "max_concurrency",
            f"must be at least 1, got {self.max_concurrency}",
        )
        check(self.retries >= 0, "retries", f"must be >= 0, got {self.retries}")

    def output_config(self) -> dict[str, object]:
        """The settings that can change a transcript (the cache key; not timing or concurrency)."""
        keys = ("endpoint", "language_code", "model", "use_enhanced", "max_alternatives")
        return {k: getattr(self, k) for k in (*keys, "punctuation")}


@dataclass(frozen=True)
class AsrParams:
    """Which recogniser the ``asr`` stage runs and how the ``text`` stage treats its output.

    Attributes:
        backend: A backend of :data:`pipeline.asr.base.BACKENDS`: ``gold``, ``pocketsphinx``
            or ``google``.
        empty: For ``text.source: asr``: an utterance the recogniser returned nothing for keeps
            an empty (all-PAD) row (``keep``) or gets the gold transcript (``gold``, what the
            original did for 529 of 5,531 utterances).
        on_error: ``fail`` stops after writing ``<backend>_failed.csv`` when an utterance cannot
            be recognised (unreadable audio, rejected request); ``skip`` goes on without it.
        workers: Processes for pocketsphinx (0 = all cores).
    """

    backend: Annotated[str, BACKENDS] = "pocketsphinx"
    empty: Literal["keep", "gold"] = "gold"
    on_error: OnError = "fail"
    workers: int = 0
    pocketsphinx: PocketsphinxParams = field(default_factory=PocketsphinxParams)
    google: GoogleParams = field(default_factory=GoogleParams)
