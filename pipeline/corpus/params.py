"""``corpus:`` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipeline import paths
from pipeline.params import check

SYNTHETIC_ROOT = paths.SYNTHETIC_CORPUS.as_posix()
MIN_SYNTHETIC_UTTERANCES = 50  # 5 sessions x (7 labels of both schemes + a few extras)


@dataclass(frozen=True)
class SyntheticParams:
    """``corpus.synthetic``: size, seed, video frame rate and cue strength of the generated corpus.

    ``text_cue``, ``audio_cue`` and ``video_cue`` are the probabilities that an utterance shows
    its own label's cue in that modality; otherwise it shows a decoy (text: a sentence shared by
    the label's valence group or by all labels; audio: the prosody of another label of its
    arousal group; video: the colour and motion of another label), so each modality alone is
    imperfect and fusion helps.
    """

    seed: int = 2018
    utterances: int = 1200
    video_fps: float = 15.0
    text_cue: float = 0.5
    audio_cue: float = 0.7
    video_cue: float = 0.6

    def __post_init__(self) -> None:
        check(
            self.utterances >= MIN_SYNTHETIC_UTTERANCES,
            "utterances",
            f"must be at least {MIN_SYNTHETIC_UTTERANCES} (every label in every session), "
            f"got {self.utterances}",
        )
        check(
            1.0 <= self.video_fps <= 60.0,
            "video_fps",
            f"must be between 1 and 60 frames per second, got {self.video_fps}",
        )
        for key in ("text_cue", "audio_cue", "video_cue"):
            value = getattr(self, key)
            check(
                0.0 <= value <= 1.0,
                key,
                f"must be a probability between 0 and 1, got {value}",
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
            "root",
            f"with corpus.source: synthetic the root must be {SYNTHETIC_ROOT} (where the corpus "
            f"stage writes), got {self.root!r}; set corpus.source: iemocap to use another folder",
        )
