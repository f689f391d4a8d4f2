"""``corpus:`` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipeline.params import check

SYNTHETIC_ROOT = "data/IEMOCAP_synthetic"


@dataclass(frozen=True)
class SyntheticParams:
    """``corpus.synthetic``: size and seed of the generated release-format corpus."""

    seed: int = 2018
    utterances: int = 600

    def __post_init__(self) -> None:
        check(
            self.utterances >= 20,
            "corpus.synthetic.utterances",
            f"must be at least 20 (every label in every session), got {self.utterances}",
        )


@dataclass(frozen=True)
class CorpusParams:
    """Where the release is, and whether the ``corpus`` stage generates a synthetic one there."""

    source: Literal["synthetic", "iemocap"] = "synthetic"
    root: str = SYNTHETIC_ROOT
    synthetic: SyntheticParams = field(default_factory=SyntheticParams)

    def __post_init__(self) -> None:
        check(
            self.source == "iemocap" or self.root.rstrip("/") == SYNTHETIC_ROOT,
            "corpus.root",
            f"with corpus.source: synthetic the root must be {SYNTHETIC_ROOT} (where the corpus "
            f"stage writes), got {self.root!r}; set corpus.source: iemocap to use another folder",
        )
