"""The interface every model implements, and builders for the encoder branches they share.

A model reads a batch dict (``audio``/``audio_len``, ``prosody``, ``text``/``text_len``,
``video``/``video_len``, see :mod:`models.data`) and returns logits ``[B, C]``. Class attributes
say which dataset folder it trains on (``family``: ``r1`` or ``amh``), which arrays it reads
(``roles``) and its params dataclass.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import torch
from torch import Tensor, nn

from models.data import DataInfo
from models.encoders import ModalityEncoder, RecurrentEncoder, TokenEmbedding
from models.params import EncoderParams, RnnKind, TextEncoderParams


class EmotionModel(nn.Module):
    """Base class: subclasses set the class attributes and implement ``forward``."""

    name: ClassVar[str]
    family: ClassVar[str]  # dataset folder: r1 | amh
    roles: ClassVar[tuple[str, ...]]  # arrays read from the dataset
    params_type: ClassVar[type]

    def __init__(
        self,
        params: Any,
        info: DataInfo,
        *,
        rnn: RnnKind = "tf_gru",
        embedding: np.ndarray | None = None,
    ) -> None:
        super().__init__()
        self.params = params
        self.info = info
        self.build(rnn, embedding)

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:  # pragma: no cover
        """Create the layers from ``self.params`` and ``self.info``."""
        raise NotImplementedError

    def encoder_sizes(self) -> dict[str, int]:
        """Encoder size per sequence role: lengths are clipped to it at batch time."""
        return {
            role: getattr(self.params, role).encoder_size
            for role in ("audio", "text", "video")
            if hasattr(self.params, role)
        }

    def forward(self, batch: dict[str, Tensor]) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError


def _output_keep(family: str, params: EncoderParams) -> float:
    # R1 wraps every cell with input AND output dropout (same keep prob); R2 only input dropout.
    return params.keep_prob if family == "r1" else 1.0


def _recurrent(
    input_dim: int, params: EncoderParams, family: str, rnn: RnnKind
) -> RecurrentEncoder:
    return RecurrentEncoder(
        input_dim,
        params.hidden_dim,
        num_layers=params.num_layers,
        keep_prob=params.keep_prob,
        output_keep_prob=_output_keep(family, params),
        rnn=rnn,
    )


def audio_encoder(
    info: DataInfo, params: EncoderParams, family: str, rnn: RnnKind, *, prosody: bool
) -> ModalityEncoder:
    """GRU over frame features; R1 appends the prosody vector (raw in R1) to its final state."""
    return ModalityEncoder(
        "audio",
        _recurrent(info.dims["audio"], params, family, rnn),
        append="prosody" if prosody else None,
        append_dim=info.dims.get("prosody", 0),
    )


def text_encoder(
    info: DataInfo,
    params: TextEncoderParams,
    family: str,
    rnn: RnnKind,
    embedding: np.ndarray | None,
) -> ModalityEncoder:
    """Trainable word embedding (GloVe rows when ``use_glove``) → GRU."""
    if params.use_glove:
        pretrained = None if embedding is None else torch.as_tensor(embedding, dtype=torch.float32)
        table = TokenEmbedding(info.vocab_size, info.embedding_dim, pretrained)
    else:
        table = TokenEmbedding(info.vocab_size, params.embedding_dim)
    table.weight.requires_grad_(params.train_embedding)
    return ModalityEncoder(
        "text", _recurrent(table.weight.shape[1], params, family, rnn), embedding=table
    )


def video_encoder(
    info: DataInfo, params: EncoderParams, family: str, rnn: RnnKind
) -> ModalityEncoder:
    """GRU over per-frame ResNet features."""
    return ModalityEncoder("video", _recurrent(info.dims["video"], params, family, rnn))
