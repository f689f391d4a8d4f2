"""R1's sigmoid loss and element-wise clipping vs R2's softmax loss and per-tensor norm clipping."""

from __future__ import annotations

import math

import pytest
import torch

from models.objective import clip_gradients, loss


def test_sigmoid_loss_is_per_class_binary_cross_entropy_on_one_hot() -> None:
    logits = torch.tensor([[2.0, -1.0, 0.0]])
    labels = torch.tensor([0])

    def softplus(x: float) -> float:
        return math.log1p(math.exp(x))

    # -log σ(2) for the true class, -log(1 - σ(z)) = softplus(z) for the others; mean over 3
    expected = (softplus(-2.0) + softplus(-1.0) + softplus(0.0)) / 3
    assert float(loss("sigmoid", logits, labels)) == pytest.approx(expected, rel=1e-6)
    assert float(loss("sigmoid", logits, labels, reduction="sum")) == pytest.approx(3 * expected)


def test_softmax_loss() -> None:
    logits = torch.tensor([[2.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    labels = torch.tensor([0, 2])
    z = math.exp(2) + math.exp(-1) + 1
    expected = (-(2 - math.log(z)) + math.log(3)) / 2
    assert float(loss("softmax", logits, labels)) == pytest.approx(expected, rel=1e-6)


def _params(*grads: list[float]) -> list[torch.nn.Parameter]:
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(len(g)))
        p.grad = torch.tensor(g)
        params.append(p)
    return params


def test_value_clipping_is_element_wise() -> None:
    a, b = _params([15.0, -3.0, -20.0], [0.5])
    clip_gradients([a, b], "value", 10.0)
    assert a.grad.tolist() == [10.0, -3.0, -10.0] and b.grad.tolist() == [0.5]


def test_tensor_norm_clipping_is_per_tensor_not_global() -> None:
    a, b = _params([3.0, 4.0], [0.3, 0.4])  # norms 5 and 0.5
    clip_gradients([a, b], "tensor_norm", 1.0)
    torch.testing.assert_close(a.grad, torch.tensor([0.6, 0.8]))  # rescaled to norm 1
    torch.testing.assert_close(b.grad, torch.tensor([0.3, 0.4]))  # untouched (a global clip
    # over both tensors would have scaled b as well)
