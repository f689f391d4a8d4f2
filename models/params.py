"""``train:`` and ``models.<name>:`` sections of params.yaml as typed, validated dataclasses.

Defaults are the originals' reference-script values (spec §5): R1's ``reference_script.sh`` for
ARE/TRE/MDRE/MDREA, R2's ``train_reference_script.sh`` for AMH.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from models.encoders import RnnKind

Loss = Literal["sigmoid", "softmax"]
Clip = Literal["value", "tensor_norm"]
Selection = Literal["dev_ce", "dev_wa_precision", "dev_wa_accuracy"]
Device = Literal["auto", "cpu", "cuda"]


def _require(condition: bool, message: str) -> None:
    """Raise ValueError; :func:`pipeline.params.load_section` prefixes it with the dotted key."""
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class EncoderParams:
    """One recurrent encoder (``hidden_dim_*``, ``num_layer_*``, ``dr_*``, ``encoder_size_*``)."""

    hidden_dim: int = 200
    num_layers: int = 1
    keep_prob: float = 1.0  # a KEEP probability, as the originals' dr
    encoder_size: int = 750  # steps fed to the GRU; longer inputs are cut

    def __post_init__(self) -> None:
        _require(0 < self.keep_prob <= 1, f"keep_prob must be in (0, 1], got {self.keep_prob}")
        _require(self.hidden_dim > 0, f"hidden_dim must be > 0, got {self.hidden_dim}")
        _require(self.num_layers > 0, f"num_layers must be > 0, got {self.num_layers}")
        _require(self.encoder_size > 0, f"encoder_size must be > 0, got {self.encoder_size}")


@dataclass(frozen=True)
class TextEncoderParams(EncoderParams):
    """The text encoder plus its word embedding."""

    use_glove: bool = True  # initialise from the dataset's W_embedding.npy
    embedding_dim: int = 100  # only without GloVe (DIM_WORD_EMBEDDING)
    train_embedding: bool = True  # EMBEDDING_TRAIN


@dataclass(frozen=True)
class OptimParams:
    """How a model is fitted and selected (R1 and R2 differ in every field but lr/batch)."""

    lr: float = 0.001
    batch_size: int = 128
    loss: Loss = "sigmoid"
    clip: Clip = "value"
    clip_value: float = 10.0
    selection: Selection = "dev_ce"
    early_stop_count: int = 7

    def __post_init__(self) -> None:
        _require(self.lr > 0, f"lr must be > 0, got {self.lr}")
        _require(self.batch_size > 0, f"batch_size must be > 0, got {self.batch_size}")
        _require(self.clip_value > 0, f"clip_value must be > 0, got {self.clip_value}")
        _require(self.early_stop_count >= 0, "early_stop_count must be >= 0")


def _audio() -> EncoderParams:
    return EncoderParams(hidden_dim=200, keep_prob=0.7, encoder_size=750)


def _text() -> TextEncoderParams:
    return TextEncoderParams(hidden_dim=200, keep_prob=0.3, encoder_size=128)


@dataclass(frozen=True)
class AREParams:
    audio: EncoderParams = field(default_factory=_audio)
    use_prosody: bool = True
    optim: OptimParams = field(default_factory=OptimParams)


@dataclass(frozen=True)
class TREParams:
    text: TextEncoderParams = field(default_factory=_text)
    optim: OptimParams = field(default_factory=OptimParams)


@dataclass(frozen=True)
class MDREParams:
    audio: EncoderParams = field(default_factory=_audio)
    text: TextEncoderParams = field(default_factory=_text)
    use_prosody: bool = True
    optim: OptimParams = field(default_factory=OptimParams)


@dataclass(frozen=True)
class MDREAParams(MDREParams):
    attention_mask: bool = True  # HEAD (masked); False = the SLT-2018 (unmasked) version


def _amh_optim() -> OptimParams:
    return OptimParams(
        loss="softmax",
        clip="tensor_norm",
        clip_value=1.0,
        selection="dev_wa_accuracy",
        early_stop_count=15,
    )


@dataclass(frozen=True)
class AMHParams:
    audio: EncoderParams = field(default_factory=_audio)
    text: TextEncoderParams = field(default_factory=_text)
    video: EncoderParams = field(
        default_factory=lambda: EncoderParams(hidden_dim=128, keep_prob=0.7, encoder_size=25)
    )
    hops: int = 7
    optim: OptimParams = field(default_factory=_amh_optim)

    def __post_init__(self) -> None:
        _require(1 <= self.hops <= 12, f"hops must be 1..12, got {self.hops}")


ModelParams = AREParams | TREParams | MDREParams | MDREAParams | AMHParams


@dataclass(frozen=True)
class TrainParams:
    """``train:`` — settings shared by every model's training loop."""

    seed: int = 2018
    device: Device = "auto"
    threads: int = 1  # torch CPU threads (0 = all cores); 1 is fastest for GRU-sized work
    max_steps: int = 10000  # num_train_steps
    min_steps: int = 150  # no early stop before this step (the originals: 0)
    valid_epoch_fraction: float = 0.3  # EPOCH_PER_VALID_FREQ
    rnn: RnnKind = "tf_gru"

    def __post_init__(self) -> None:
        _require(self.max_steps > 0, f"max_steps must be > 0, got {self.max_steps}")
        _require(self.min_steps >= 0, f"min_steps must be >= 0, got {self.min_steps}")
        _require(
            0 < self.valid_epoch_fraction <= 10,
            f"valid_epoch_fraction must be in (0, 10], got {self.valid_epoch_fraction}",
        )
        _require(self.threads >= 0, f"threads must be >= 0, got {self.threads}")
