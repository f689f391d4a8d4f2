"""TF-style GRU, dropout-as-keep-probability, Luong attention and modality hopping."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.encoders import (
    TFGRU,
    ModalityHopping,
    Projection,
    RecurrentEncoder,
    keep_dropout,
    luong_attention,
)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def test_tf_gru_step_matches_hand_computed_equations() -> None:
    torch.manual_seed(0)
    cell = TFGRU(3, 2)
    x = np.array([[0.5, -1.0, 2.0]])
    h = np.array([[0.1, -0.3]])
    wg = cell.gate_kernel.detach().numpy().astype(np.float64)
    wc = cell.candidate_kernel.detach().numpy().astype(np.float64)
    # TF GRUCell: reset and update from [x ; h] (gate bias 1.0), reset applied to h BEFORE the
    # candidate matmul, h' = u * h + (1 - u) * c.
    g = _sigmoid(np.concatenate([x, h], 1) @ wg + 1.0)
    r, u = g[:, :2], g[:, 2:]
    c = np.tanh(np.concatenate([x, r * h], 1) @ wc + 0.0)
    expected = u * h + (1 - u) * c
    got = cell.step(torch.tensor(x, dtype=torch.float32), torch.tensor(h, dtype=torch.float32))
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    # the unrolled forward agrees with repeated steps
    seq = torch.randn(1, 4, 3)
    outputs, final = cell(seq, torch.tensor([4]))
    state = torch.zeros(1, 2)
    for t in range(4):
        state = cell.step(seq[:, t], state)
        torch.testing.assert_close(outputs[:, t], state)
    torch.testing.assert_close(final, state)


def test_tf_gru_initialisation_follows_tensorflow() -> None:
    cell = TFGRU(5, 4)
    assert torch.all(cell.gate_bias == 1.0) and torch.all(cell.candidate_bias == 0.0)
    k = cell.gate_kernel.detach()  # [9, 8]: orthogonal columns
    torch.testing.assert_close(k.T @ k, torch.eye(8), atol=1e-5, rtol=0)


@pytest.mark.parametrize("rnn", ["tf_gru", "torch_gru"])
def test_padded_steps_do_not_change_outputs(rnn: str) -> None:
    torch.manual_seed(1)
    enc = RecurrentEncoder(6, 5, num_layers=2, rnn=rnn).eval()
    x = torch.randn(3, 7, 6)
    lengths = torch.tensor([4, 7, 2])  # unsorted on purpose
    out, final = enc(x, lengths)
    noisy = x.clone()
    for i, n in enumerate(lengths):
        noisy[i, n:] = 100.0  # garbage past the valid length
    out2, final2 = enc(torch.cat([noisy, torch.randn(3, 5, 6)], 1), lengths)  # and more padding
    torch.testing.assert_close(final, final2)
    torch.testing.assert_close(out, out2[:, :7])
    assert torch.all(out2[0, 4:] == 0) and torch.all(out2[2, 2:] == 0)
    # each row alone: same outputs, and the final state is the state at its last valid step
    for i, n in enumerate(lengths.tolist()):
        single, last = enc(x[i : i + 1, :n], torch.tensor([n]))
        torch.testing.assert_close(out[i, :n], single[0])
        torch.testing.assert_close(final[i], last[0])
        torch.testing.assert_close(final[i], single[0, -1])


def test_tf_gru_matches_the_masked_step_by_step_recurrence() -> None:
    torch.manual_seed(2)
    cell = TFGRU(3, 4)
    x = torch.randn(5, 6, 3)
    lengths = torch.tensor([3, 6, 1, 6, 4])
    out, final = cell(x, lengths)
    h = torch.zeros(5, 4)
    for t in range(6):
        valid = (t < lengths).unsqueeze(-1)
        new = cell.step(x[:, t], h)
        torch.testing.assert_close(out[:, t], torch.where(valid, new, torch.zeros_like(new)))
        h = torch.where(valid, new, h)
    torch.testing.assert_close(final, h)


def test_zero_length_sequence_gives_zero_state() -> None:
    enc = RecurrentEncoder(2, 3).eval()
    _, final = enc(torch.randn(2, 4, 2), torch.tensor([0, 4]))
    assert torch.all(final[0] == 0) and torch.any(final[1] != 0)


def test_keep_prob_is_a_keep_probability() -> None:
    torch.manual_seed(0)
    x = torch.ones(200_000)
    y = keep_dropout(x, 0.3, training=True)
    kept = (y != 0).float().mean().item()
    assert kept == pytest.approx(0.3, abs=0.01)  # keep 0.3 = 70 % dropped
    assert torch.allclose(y[y != 0], torch.tensor(1 / 0.3))  # inverted scaling
    assert torch.equal(keep_dropout(x, 0.3, training=False), x)


def test_projection_scalar_bias_is_shared() -> None:
    r1 = Projection(4, 3, scalar_bias=True)
    r2 = Projection(4, 3, scalar_bias=False)
    assert r1.bias.shape == (1,) and r2.bias.shape == (3,)
    assert r1.weight.abs().max() <= 0.25
    with torch.no_grad():
        r1.bias.fill_(2.0)
    torch.testing.assert_close(r1(torch.zeros(1, 4)), torch.full((1, 3), 2.0))


def test_masked_attention_weights_sum_to_one_over_valid_steps() -> None:
    torch.manual_seed(0)
    memory = torch.randn(3, 6, 4)
    lengths = torch.tensor([6, 3, 1])
    for i, n in enumerate(lengths):
        memory[i, n:] = 0
    context, w = luong_attention(memory, torch.randn(3, 4), lengths)
    torch.testing.assert_close(w.sum(-1), torch.ones(3))
    assert torch.all(w[1, 3:] == 0) and torch.all(w[2, 1:] == 0)
    torch.testing.assert_close(context[2], memory[2, 0])  # one valid step gets all weight


def test_unmasked_attention_reproduces_softmax_over_full_length() -> None:
    torch.manual_seed(0)
    full = torch.zeros(2, 10, 4)  # R1 pre-2020: softmax over all 10 positions, pads are zeros
    full[0, :5] = torch.randn(5, 4)
    full[1, :3] = torch.randn(3, 4)
    query = torch.randn(2, 4)
    scores = torch.einsum("bth,bh->bt", full, query)
    expected = torch.softmax(scores, -1)
    _, w_full = luong_attention(full, query, torch.tensor([5, 3]), mask=False)
    torch.testing.assert_close(w_full, expected)
    ctx, w_trim = luong_attention(
        full[:, :5], query, torch.tensor([5, 3]), mask=False, full_length=10
    )
    torch.testing.assert_close(w_trim, expected[:, :5])  # trimming the batch changes nothing
    torch.testing.assert_close(ctx, torch.einsum("bt,bth->bh", expected, full))
    assert w_trim[1].sum() < 1  # padded steps take a share of the weights


def test_hopping_follows_v_a_t_order_and_updates_in_place() -> None:
    torch.manual_seed(0)
    dims = {"audio": 4, "text": 4, "video": 3}
    hop = ModalityHopping(dims, hops=4)
    assert [q.weight.shape for q in hop.queries] == [(8, 3), (7, 4), (7, 4), (8, 3)]
    memories = {m: torch.randn(2, 5, d) for m, d in dims.items()}
    summaries = {m: torch.randn(2, d) for m, d in dims.items()}
    lengths = {m: torch.tensor([5, 2]) for m in dims}
    final, weights = hop(summaries, memories, lengths)
    assert [w.shape[-1] for w in weights] == [5, 5, 5, 5]
    for w in weights:
        torch.testing.assert_close(w.sum(-1), torch.ones(2))
    # hop 4 attends video again with a query built from the hop-2 audio and hop-3 text
    q = hop.queries[3](torch.cat([final["audio"], final["text"]], -1))
    expected, _ = luong_attention(memories["video"], q, lengths["video"])
    torch.testing.assert_close(final["video"], expected)
