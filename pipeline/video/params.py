"""``video:`` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipeline.failures import OnError
from pipeline.params import check

Side = Literal["left", "right"]
VideoNormalize = Literal["none", "train_zscore"]
#: ``video.weights`` values that name no file (see :func:`pipeline.video.weights.load_backbone`).
WEIGHT_KEYWORDS = ("auto", "imagenet", "random")


@dataclass(frozen=True)
class SpeakerSides:
    """Which half of the dialog frame shows the female (``F``) and the male (``M``) actor.

    The release puts both actors side by side; per the only public script that crops them, the
    female actor is on the left and the male on the right in every session.
    """

    F: Side = "left"
    M: Side = "right"

    def __post_init__(self) -> None:
        check(self.F != self.M, "", "F and M must be on different halves")

    def side_of(self, speaker: str) -> Side:
        """The half showing ``speaker`` (``"F"`` or ``"M"``)."""
        return self.F if speaker == "F" else self.M


@dataclass(frozen=True)
class VideoParams:
    """Video feature extraction settings (see params.yaml for what each one does).

    ``normalize`` is read by the dataset stage, not by the extraction: ``train_zscore`` (default)
    z-scores every feature dimension with the training partition's valid frames, ``none`` keeps
    the ResNet outputs as extracted (the original).
    """

    fps: float = 3.0
    max_frames: int = 32
    crop: int = 224
    weights: str = "auto"
    speaker_side: SpeakerSides = field(default_factory=SpeakerSides)
    batch_size: int = 16
    device: Literal["auto", "cpu", "cuda"] = "auto"
    decode_threads: int = 0
    on_error: OnError = "fail"
    normalize: VideoNormalize = "train_zscore"

    def __post_init__(self) -> None:
        check(0 < self.fps <= 60, "fps", f"must be in (0, 60], got {self.fps}")
        check(self.max_frames >= 1, "max_frames", f"must be >= 1, got {self.max_frames}")
        check(32 <= self.crop <= 1024, "crop", f"must be in 32..1024, got {self.crop}")
        check(self.batch_size >= 1, "batch_size", f"must be >= 1, got {self.batch_size}")
        check(self.decode_threads >= 0, "decode_threads", "must be >= 0 (0 = automatic)")
        check(
            bool(self.weights.strip()),
            "weights",
            f"must be one of {', '.join(WEIGHT_KEYWORDS)} or the path of a .pth file",
        )
