"""``train:`` and ``models:`` sections of params.yaml as typed, validated dataclasses.

Defaults are the originals' reference-script values: R1's ``reference_script.sh`` for
ARE/TRE/MDRE/MDREA, R2's ``train_reference_script.sh`` for AMH. This module imports no torch, so
``python -m stages.validate`` checks these sections in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pipeline.params import check
from pipeline.registry import Registry

#: ``train.rnn``: the recurrent layer every encoder stacks (see :mod:`models.encoders`).
RNNS: Registry[type] = Registry(
    "recurrent layer", {"tf_gru": "models.encoders:TFGRU", "torch_gru": "models.encoders:TorchGRU"}
)
RnnKind = Annotated[str, RNNS]
Loss = Literal["sigmoid", "softmax"]
Clip = Literal["value", "tensor_norm"]
Selection = Literal["dev_ce", "dev_wa_precision", "dev_wa_accuracy"]
Device = Literal["auto", "cpu", "cuda"]


@dataclass(frozen=True)
class EncoderParams:
    """One recurrent encoder (``hidden_dim_*``, ``num_layer_*``, ``dr_*``, ``encoder_size_*``)."""

    hidden_dim: int = 200
    num_layers: int = 1
    keep_prob: float = 1.0  # a KEEP probability, as the originals' dr
    encoder_size: int = 750  # steps fed to the GRU; longer inputs are cut

    def __post_init__(self) -> None:
        check(0 < self.keep_prob <= 1, "keep_prob", f"must be in (0, 1], got {self.keep_prob}")
        check(self.hidden_dim > 0, "hidden_dim", f"must be > 0, got {self.hidden_dim}")
        check(self.num_layers > 0, "num_layers", f"must be > 0, got {self.num_layers}")
        check(self.encoder_size > 0, "encoder_size", f"must be > 0, got {self.encoder_size}")


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
        check(self.lr > 0, "lr", f"must be > 0, got {self.lr}")
        check(self.batch_size > 0, "batch_size", f"must be > 0, got {self.batch_size}")
        check(self.clip_value > 0, "clip_value", f"must be > 0, got {self.clip_value}")
        check(self.early_stop_count >= 0, "early_stop_count", "must be >= 0")


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
        check(1 <= self.hops <= 12, "hops", f"must be 1..12, got {self.hops}")


ModelParams = AREParams | TREParams | MDREParams | MDREAParams | AMHParams


@dataclass(frozen=True)
class ModelsParams:
    """``models:`` one block per model of :data:`models.zoo.MODELS`, each its own stage's params."""

    are: AREParams = field(default_factory=AREParams)
    tre: TREParams = field(default_factory=TREParams)
    mdre: MDREParams = field(default_factory=MDREParams)
    mdrea: MDREAParams = field(default_factory=MDREAParams)
    amh: AMHParams = field(default_factory=AMHParams)


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
        check(self.max_steps > 0, "max_steps", f"must be > 0, got {self.max_steps}")
        check(self.min_steps >= 0, "min_steps", f"must be >= 0, got {self.min_steps}")
        check(
            self.min_steps <= self.max_steps,
            "min_steps",
            f"must not exceed max_steps ({self.max_steps}), got {self.min_steps}",
        )
        check(
            0 < self.valid_epoch_fraction <= 10,
            "valid_epoch_fraction",
            f"must be in (0, 10], got {self.valid_epoch_fraction}",
        )
        check(self.threads >= 0, "threads", f"must be >= 0, got {self.threads}")
