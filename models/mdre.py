"""MDRE — Multimodal Dual Recurrent Encoder (SLT 2018; R1 ``SE_model_multi.py``).

The ARE branch (``e_A = [h_A ; prosody]``, 235) and the TRE branch (``h_T``, 200) with separate
GRUs and keep probabilities, each projected to half its size with Python-2 integer halving
(235 → 117, 200 → 100) by a *linear* layer (no activation: the paper's equations add one, the code
does not), concatenated, and a linear output layer; all biases are R1's scalars. R1's recipe.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from models.base import EmotionModel, audio_encoder, text_encoder
from models.encoders import Projection
from models.params import MDREParams, RnnKind


class MDRE(EmotionModel):
    name = "mdre"
    family = "r1"
    roles = ("audio", "prosody", "text")
    params_type = MDREParams

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:
        params, info = self.params, self.info
        self.audio = audio_encoder(info, params.audio, self.family, rnn, prosody=params.use_prosody)
        self.text = text_encoder(info, params.text, self.family, rnn, embedding)
        a_dim, t_dim = self.audio.summary_dim, self.text.summary_dim
        self.audio_proj = Projection(a_dim, a_dim // 2, scalar_bias=True)
        self.text_proj = Projection(t_dim, t_dim // 2, scalar_bias=True)
        self.output = Projection(a_dim // 2 + t_dim // 2, info.num_classes, scalar_bias=True)

    def forward(self, batch: dict[str, Tensor]) -> Tensor:
        _, audio = self.audio(batch)
        _, text = self.text(batch)
        fused = torch.cat([self.audio_proj(audio), self.text_proj(text)], dim=-1)
        return self.output(fused)
