"""AMH — Attentive Modality Hopping (ICASSP 2020; R2 ``model_AMH.py``).

Three 1-layer GRU encoders — audio (120 → 200, keep 0.7; the reference run reads the first 750
of the 1000 frames), text (GloVe embedding → 200, keep 0.3), video (2048 → 128, keep 0.7; first
25 of the 32 frames) — with R2's dropout on inputs only. Their final states start the hops of
:class:`models.encoders.ModalityHopping` (``hops`` = 7 in the reference run: V, A, T, V, A, T, V),
and ``logits = [a ; t ; v] @ W + b`` with a bias vector. The prosody array is loaded by the
original but never used by its graph; it is not read here either.

R2's recipe (:mod:`models.objective`): softmax cross-entropy, each gradient tensor clipped to
L2 norm 1.0 separately, selection by the highest dev "WA". HEAD's default ``USE_PRECISION=True``
makes that weighted *precision* (``optim.selection: dev_wa_precision``); the README's revised
accuracy table — the numbers our report compares with — comes from ``USE_PRECISION=False``,
i.e. selection by dev accuracy, our default (``dev_wa_accuracy``). On small dev sets
precision-based selection also picks degenerate models (dev accuracy 0.29 at the "best" step on
the synthetic corpus).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from models.base import EmotionModel, audio_encoder, text_encoder, video_encoder
from models.encoders import ModalityHopping, Projection
from models.params import AMHParams, RnnKind


class AMH(EmotionModel):
    name = "amh"
    family = "amh"
    roles = ("audio", "text", "video")
    params_type = AMHParams

    def build(self, rnn: RnnKind, embedding: np.ndarray | None) -> None:
        params, info = self.params, self.info
        self.audio = audio_encoder(info, params.audio, self.family, rnn, prosody=False)
        self.text = text_encoder(info, params.text, self.family, rnn, embedding)
        self.video = video_encoder(info, params.video, self.family, rnn)
        dims = {m: getattr(self, m).summary_dim for m in ("audio", "text", "video")}
        self.hopping = ModalityHopping(dims, params.hops)
        self.output = Projection(sum(dims.values()), info.num_classes, scalar_bias=False)
        self.hop_weights: list[Tensor] = []  # last forward's attention weights per hop

    def forward(self, batch: dict[str, Tensor]) -> Tensor:
        memories, summaries, lengths = {}, {}, {}
        for modality in ("audio", "text", "video"):
            memories[modality], summaries[modality] = getattr(self, modality)(batch)
            lengths[modality] = batch[f"{modality}_len"]
        final, self.hop_weights = self.hopping(summaries, memories, lengths)
        return self.output(torch.cat([final["audio"], final["text"], final["video"]], dim=-1))
