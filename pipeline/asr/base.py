"""What every ASR backend shares: the item and result records, the Protocol and the registry.

A backend is a small class listed in :data:`BACKENDS` under its ``asr.backend`` name. It is built
from the ``asr`` params, checks in :meth:`AsrBackend.preflight` that it can work at all
(credentials, endpoint) before anything is recognised, and maps itself over the items with
:func:`pipeline.parallel.parallel_map` in the form that suits it (processes for pocketsphinx,
threads for Google's concurrent requests).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pipeline.cache import file_digest
from pipeline.errors import MmserError, StopRun
from pipeline.io import read_csv, write_csv
from pipeline.parallel import Cached, Outcome
from pipeline.registry import Registry

if TYPE_CHECKING:  # the params module names this registry: import it for type checks only
    from pipeline.asr.params import AsrParams

TRANSCRIPT_COLUMNS = ("utterance_id", "text", "confidence", "seconds")


@dataclass(frozen=True)
class AudioItem:
    """One utterance to recognise: its id, absolute wav path and gold transcript."""

    utterance_id: str
    wav: str
    gold: str


def wav_digest(item: AudioItem) -> str:
    """SHA-256 of the item's wav bytes (its cache key's content part)."""
    return file_digest(item.wav)


@dataclass(frozen=True)
class Transcript:
    """A recognition result.

    Attributes:
        text: The recognised text; empty when the recogniser heard nothing.
        confidence: The backend's confidence in [0, 1], ``None`` if it gives none.
        seconds: Wall-clock time the recognition took.
        audio_seconds: Duration of the recognised audio.
    """

    text: str
    confidence: float | None
    seconds: float
    audio_seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": self.confidence,
            "seconds": self.seconds,
            "audio_seconds": self.audio_seconds,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Transcript:
        return cls(data["text"], data["confidence"], data["seconds"], data["audio_seconds"])


class FatalAsrError(StopRun):
    """An error that stops the whole run (credentials, permission, quota, unreachable service)."""


class AsrBackend(Protocol):
    """One recogniser; ``concurrency`` is how many utterances it works on at once (processes or
    requests)."""

    name: ClassVar[str]
    concurrency: int

    def __init__(self, params: AsrParams) -> None: ...

    def cache_config(self) -> Mapping[str, Any] | None:
        """Settings that change the output (hashed into cache keys); ``None``: do not cache."""
        ...

    def preflight(self) -> None:
        """Raise :class:`FatalAsrError` if the backend cannot work (called before any item)."""
        ...

    def transcribe(
        self, items: Sequence[AudioItem], cached: Cached[AudioItem, Transcript] | None
    ) -> Iterator[Outcome[Transcript]]:
        """Recognise ``items`` through :func:`pipeline.parallel.parallel_map` with the cache
        policy ``cached``, yielding one outcome per item (its index into ``items``)."""
        ...


BACKENDS: Registry[type[AsrBackend]] = Registry(
    "ASR backend",
    {
        "gold": "pipeline.asr.gold:GoldBackend",
        "pocketsphinx": "pipeline.asr.sphinx:PocketsphinxBackend",
        "google": "pipeline.asr.google_speech:GoogleBackend",
    },
)


def write_transcripts(path: str | Path, rows: Sequence[tuple[str, Transcript]]) -> int:
    """Write ``<backend>.csv``: ``utterance_id,text,confidence,seconds`` in the given order."""
    return write_csv(
        path,
        (
            {
                "utterance_id": uid,
                "text": t.text,
                "confidence": "" if t.confidence is None else f"{t.confidence:.4f}",
                "seconds": f"{t.seconds:.4f}",
            }
            for uid, t in rows
        ),
        TRANSCRIPT_COLUMNS,
    )


def read_transcripts(path: str | Path) -> dict[str, str]:
    """Utterance id → recognised text from a ``<backend>.csv``."""
    rows = read_csv(path, TRANSCRIPT_COLUMNS)
    texts: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        uid = row["utterance_id"]
        if uid in texts:
            raise MmserError(f"utterance {uid} appears twice", file=path, line=line)
        texts[uid] = row["text"]
    return texts


def mean_or_none(values: Sequence[float]) -> float | None:
    """The mean of ``values`` (NaNs ignored), ``None`` when there is none."""
    finite = [v for v in values if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else None
