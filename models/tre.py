"""TRE — Text Recurrent Encoder (SLT 2018; R1 ``SE_model_text.py``).

``logits = h_T @ M + b``: a trainable word embedding (the dataset's GloVe matrix), a GRU
(→ 200) whose *input* keep probability is 0.3 (70 % dropout on the embedded words), one linear
layer with R1's scalar bias. R1's recipe: sigmoid cross-entropy, clip ±10, lowest dev CE.
"""

from __future__ import annotations

import numpy as np
from torch import Tensor

from models.base import EmotionModel, text_encoder
from models.encoders import Projection
from models.params import RnnKind, TREParams


class TRE(EmotionModel):
    name = "tre"
    family = "r1"
    roles = ("text",)
    params_type = TREParams

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:
        params, info = self.params, self.info
        self.text = text_encoder(info, params.text, self.family, rnn, embedding)
        self.output = Projection(self.text.summary_dim, info.num_classes, scalar_bias=True)

    def forward(self, batch: dict[str, Tensor]) -> Tensor:
        _, summary = self.text(batch)
        return self.output(summary)
