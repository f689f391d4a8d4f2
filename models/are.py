"""ARE — Audio Recurrent Encoder (SLT 2018; R1 ``SE_model_audio.py``).

``logits = [h_A ; prosody] @ M + b``: a GRU (39 → 200, keep 0.7) over the MFCC frames, its final
state concatenated with the raw 35-dim prosody vector *after* the RNN, one linear layer with R1's
single scalar bias. Trained with R1's recipe (:mod:`models.objective`): sigmoid cross-entropy on
one-hot targets, element-wise gradient clipping at ±10, selection by lowest dev cross-entropy.
"""

from __future__ import annotations

import numpy as np
from torch import Tensor

from models.base import EmotionModel, audio_encoder
from models.encoders import Projection
from models.params import AREParams, RnnKind


class ARE(EmotionModel):
    name = "are"
    family = "r1"
    roles = ("audio", "prosody")
    params_type = AREParams

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:
        params, info = self.params, self.info
        self.audio = audio_encoder(info, params.audio, self.family, rnn, prosody=params.use_prosody)
        self.output = Projection(self.audio.summary_dim, info.num_classes, scalar_bias=True)

    def forward(self, batch: dict[str, Tensor]) -> Tensor:
        _, summary = self.audio(batch)
        return self.output(summary)
