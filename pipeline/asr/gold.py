"""Backend ``gold``: the corpus transcripts themselves (NFC, whitespace collapsed, else as written).

It recognises nothing, so it needs no audio, no cache and no time; it is the reference the other
backends are scored against and what ``text.source: gold`` tokenises.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from pipeline.asr.base import AudioItem, Transcript
from pipeline.asr.params import AsrParams
from pipeline.parallel import Cached, Outcome
from pipeline.text.normalize import normalize_text


class GoldBackend:
    """The gold transcripts as an ASR backend."""

    name: ClassVar[str] = "gold"

    def __init__(self, params: AsrParams) -> None:
        self.params = params
        self.concurrency = 1

    def cache_config(self) -> None:
        return None

    def preflight(self) -> None:
        return None

    def transcribe(
        self, items: Sequence[AudioItem], cached: Cached[AudioItem, Transcript] | None
    ) -> Iterator[Outcome[Transcript]]:
        for index, item in enumerate(items):
            yield Outcome(index, value=Transcript(normalize_text(item.gold), None, 0.0, 0.0))
