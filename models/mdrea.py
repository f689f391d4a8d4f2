"""MDREA — MDRE with attention (SLT 2018; R1 ``SE_model_multi_attn.py``).

The audio summary ``e_A = [h_A ; prosody]`` is projected to a query ``q`` (235 → 200, scalar
bias) that attends over the text GRU's per-step outputs (Luong dot product); ``logits = [H ; q]
@ M + b`` — the projected query, not ``e_A``, is concatenated. As in R1 the text outputs feeding
the attention carry the GRU's *output* dropout (keep 0.3) during training.

Masking history (``attention_mask``): HEAD (commit 8898c69, 2020) masks padded text steps; the
SLT-2018 numbers were produced before that fix, with a softmax over all 128 positions in which
padded (zero) outputs score 0 and dilute the weights. ``true`` (default) = HEAD, ``false`` =
paper-era behaviour, reproduced exactly over the untrimmed 128 positions.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from models.base import EmotionModel, audio_encoder, text_encoder
from models.encoders import Projection, luong_attention
from models.params import MDREAParams, RnnKind


class MDREA(EmotionModel):
    name = "mdrea"
    family = "r1"
    roles = ("audio", "prosody", "text")
    params_type = MDREAParams

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:
        params, info = self.params, self.info
        self.audio = audio_encoder(info, params.audio, self.family, rnn, prosody=params.use_prosody)
        self.text = text_encoder(info, params.text, self.family, rnn, embedding)
        hidden = params.text.hidden_dim
        self.query = Projection(self.audio.summary_dim, hidden, scalar_bias=True)
        self.output = Projection(2 * hidden, info.num_classes, scalar_bias=True)
        self.attention_weights: Tensor | None = None  # last forward's weights, for inspection

    def forward(self, batch: dict[str, Tensor]) -> Tensor:
        _, audio = self.audio(batch)
        memory, _ = self.text(batch)
        query = self.query(audio)
        context, self.attention_weights = luong_attention(
            memory,
            query,
            batch["text_len"],
            mask=self.params.attention_mask,
            full_length=self.params.text.encoder_size,
        )
        return self.output(torch.cat([context, query], dim=-1))
