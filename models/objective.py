"""Losses and gradient clipping of the two originals (R1 and R2 training scripts).

- R1 (``loss: sigmoid``): ``tf.nn.sigmoid_cross_entropy_with_logits`` on one-hot targets — every
  class an independent binary problem — averaged over batch × classes for training; dev loss
  summed over samples and classes (what R1 selects on). The paper text describes softmax; the
  code is followed.
- R2 (``loss: softmax``): softmax cross-entropy, batch mean (dev: summed).
- R1 (``clip: value``): every gradient element clipped to ``[-v, v]`` (``tf.clip_by_value``).
- R2 (``clip: tensor_norm``): every gradient *tensor* rescaled to L2 norm ≤ v on its own
  (``tf.clip_by_norm`` per variable), which is not ``clip_grad_norm_`` over all parameters.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn

from models.params import Clip, Loss


def loss(kind: Loss, logits: Tensor, labels: Tensor, *, reduction: str = "mean") -> Tensor:
    """Cross-entropy of ``logits`` ``[B, C]`` against class ids ``labels`` ``[B]``.

    Args:
        kind: ``sigmoid`` (R1) or ``softmax`` (R2).
        logits: Model outputs.
        labels: True class ids.
        reduction: ``mean`` (training) or ``sum`` (the dev loss used for selection).
    """
    if kind == "sigmoid":
        targets = nn.functional.one_hot(labels, logits.size(-1)).to(logits.dtype)
        return nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction=reduction)
    return nn.functional.cross_entropy(logits, labels, reduction=reduction)


def clip_gradients(parameters: Iterable[nn.Parameter], kind: Clip, value: float) -> None:
    """Clip gradients in place the way R1 (``value``) or R2 (``tensor_norm``) did."""
    for p in parameters:
        if p.grad is None:
            continue
        if kind == "value":
            p.grad.clamp_(-value, value)
        else:
            norm = torch.linalg.vector_norm(p.grad)
            if norm > value:
                p.grad.mul_(value / norm)
