"""Building blocks shared by every model: recurrent encoders, Luong attention, modality hopping.

These mirror the TensorFlow 1.x graphs of the originals where a plain PyTorch port
would silently differ:

- :class:`TFGRU` is ``tf.contrib.rnn.GRUCell`` run like ``tf.nn.dynamic_rnn``: one kernel over
  ``[x ; h]`` per gate group (reset and update gates first, then the candidate), the reset gate
  applied to ``h`` *before* the recurrent product, one bias per gate (gates initialised to 1.0,
  candidate to 0.0), orthogonal kernels; steps past a sequence's length leave the state unchanged
  and emit zeros, so the final state is the state at the last valid step. ``nn.GRU`` (the
  ``torch_gru`` option) applies the reset gate after the recurrent product, has two biases per
  gate and PyTorch's initialisation: close, not identical.
- Dropout is given as a KEEP probability (``DropoutWrapper``): ``keep_prob`` 0.3 drops 70 %. R1
  applies it to the inputs and to the per-step outputs of every layer (``output_keep_prob``), R2
  only to the inputs; at evaluation nothing is dropped.
- :class:`Projection` is the originals' output layer: weight ~ U(-0.25, 0.25), bias zeros, and in
  R1 a single scalar bias broadcast over all outputs (``scalar_bias=True``).
- :func:`luong_attention` is the plain dot-product attention of ``model_luong_attention.py``:
  ``-FLT_MAX`` added to padded scores (masked), or, for R1's pre-2020 MDREA, no mask at all, so
  padded (zero) outputs take a share ``exp(0)/Z`` of the weights over the full memory length.

:class:`ModalityEncoder` wraps one modality's embedding (text), recurrent stack and optional
appended utterance-level vector (R1's prosody) so that all five models share one implementation.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from models.params import RNNS, RnnKind


def length_mask(lengths: Tensor, max_len: int) -> Tensor:
    """Boolean ``[B, max_len]`` mask, True at valid steps (``t < length``)."""
    steps = torch.arange(max_len, device=lengths.device)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)


def keep_dropout(x: Tensor, keep_prob: float, training: bool) -> Tensor:
    """TF-style dropout given the KEEP probability (inverted scaling by ``1 / keep_prob``)."""
    if not training or keep_prob >= 1.0:
        return x
    return nn.functional.dropout(x, p=1.0 - keep_prob, training=True)


class TFGRU(nn.Module):
    """One layer of ``tf.contrib.rnn.GRUCell`` unrolled like ``tf.nn.dynamic_rnn``.

    Equations (``[a ; b]`` is concatenation)::

        r, u = sigmoid([x_t ; h] @ W_g + b_g)          # b_g initialised to 1.0
        c    = tanh([x_t ; r * h] @ W_c + b_c)         # b_c initialised to 0.0
        h'   = u * h + (1 - u) * c

    ``W_g`` (``[D+H, 2H]``) and ``W_c`` (``[D+H, H]``) get orthogonal initialisation (gain 1) on
    the whole concatenated matrix, as ``tf.orthogonal_initializer`` does.
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.gate_kernel = nn.Parameter(torch.empty(input_size + hidden_size, 2 * hidden_size))
        self.gate_bias = nn.Parameter(torch.ones(2 * hidden_size))
        self.candidate_kernel = nn.Parameter(torch.empty(input_size + hidden_size, hidden_size))
        self.candidate_bias = nn.Parameter(torch.zeros(hidden_size))
        nn.init.orthogonal_(self.gate_kernel)
        nn.init.orthogonal_(self.candidate_kernel)

    def step(self, x: Tensor, h: Tensor) -> Tensor:
        """One cell step ``h' = cell(x, h)`` written exactly as the equations (used by tests)."""
        gates = torch.sigmoid(torch.cat([x, h], -1) @ self.gate_kernel + self.gate_bias)
        r, u = gates.chunk(2, -1)
        c = torch.tanh(torch.cat([x, r * h], -1) @ self.candidate_kernel + self.candidate_bias)
        return u * h + (1 - u) * c

    def forward(self, x: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """Run over ``x`` ``[B, T, D]`` with valid ``lengths`` ``[B]``.

        Returns:
            ``(outputs [B, T, H], final_state [B, H])``; outputs are zero past each length.
        """
        batch, steps = x.size(0), x.size(1)
        # Rows are processed longest first so that step t only computes the rows still running
        # (like a packed sequence); the math per row is unchanged and the order restored at the
        # end. The input halves of both kernels are applied to all steps at once; only the
        # recurrent halves stay in the loop. Unbinding along time keeps the backward linear in T.
        order = torch.argsort(lengths, descending=True, stable=True)
        x, lengths = x[order], lengths[order]
        d = self.input_size
        x_gates = (x @ self.gate_kernel[:d] + self.gate_bias).unbind(1)
        x_cand = (x @ self.candidate_kernel[:d] + self.candidate_bias).unbind(1)
        u_gates, u_cand = self.gate_kernel[d:], self.candidate_kernel[d:]
        running = length_mask(lengths, steps).sum(0).tolist()  # rows still running at each step
        h = x.new_zeros(batch, self.hidden_size)
        outputs = []
        for xg, xc, k in zip(x_gates, x_cand, running, strict=True):
            h_run = h[:k]
            r, u = torch.sigmoid(xg[:k] + h_run @ u_gates).chunk(2, -1)
            c = torch.tanh(xc[:k] + (r * h_run) @ u_cand)
            new = u * h_run + (1 - u) * c
            h = new if k == batch else torch.cat([new, h[k:]])
            outputs.append(nn.functional.pad(new, (0, 0, 0, batch - k)))
        restore = torch.argsort(order)
        return torch.stack(outputs, 1)[restore], h[restore]


class TorchGRU(nn.Module):
    """``nn.GRU`` behind the :class:`TFGRU` interface (documented alternative, not faithful)."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)

    def forward(self, x: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        # pack_padded_sequence rejects length 0; such rows get a zero state and zero outputs.
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False
        )
        out, h = self.gru(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        empty = (lengths == 0).unsqueeze(-1)
        return out.masked_fill(empty.unsqueeze(1), 0.0), h[-1].masked_fill(empty, 0.0)


class RecurrentEncoder(nn.Module):
    """A stack of GRU layers with TF ``DropoutWrapper`` semantics (``MultiRNNCell``).

    Args:
        input_size: Feature dimension of the inputs.
        hidden_size: GRU state size.
        num_layers: Stacked layers; the final state is the last layer's.
        keep_prob: Input keep probability of every layer (the originals' ``dr``).
        output_keep_prob: Keep probability of every layer's per-step outputs (R1: ``dr``,
            R2: 1.0). It never touches the returned final state.
        rnn: ``tf_gru`` (faithful) or ``torch_gru``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        num_layers: int = 1,
        keep_prob: float = 1.0,
        output_keep_prob: float = 1.0,
        rnn: RnnKind = "tf_gru",
    ) -> None:
        super().__init__()
        cell = RNNS.get(rnn)
        sizes = [input_size] + [hidden_size] * (num_layers - 1)
        self.layers = nn.ModuleList(cell(size, hidden_size) for size in sizes)
        self.hidden_size = hidden_size
        self.keep_prob = keep_prob
        self.output_keep_prob = output_keep_prob

    def forward(self, x: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """Encode ``x`` ``[B, T, D]``; returns ``(outputs [B, T, H], final_state [B, H])``."""
        final = x.new_zeros(x.size(0), self.hidden_size)
        for layer in self.layers:
            x, final = layer(keep_dropout(x, self.keep_prob, self.training), lengths)
            x = keep_dropout(x, self.output_keep_prob, self.training)
        return x, final


class TokenEmbedding(nn.Module):
    """Trainable word embedding: N(0, 0.01²) init, overwritten by a GloVe matrix when given."""

    def __init__(self, vocab_size: int, dim: int, pretrained: Tensor | None = None) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(vocab_size, dim) * 0.01)
        if pretrained is not None:
            with torch.no_grad():
                self.weight.copy_(pretrained)

    def forward(self, tokens: Tensor) -> Tensor:
        return nn.functional.embedding(tokens, self.weight)


class Projection(nn.Module):
    """The originals' dense layer ``x @ W + b``: W ~ U(-0.25, 0.25), b = 0.

    Args:
        scalar_bias: R1's single bias of shape ``[1]`` shared by all outputs (``tf.zeros([1])``);
            False gives R2's per-output bias vector.
    """

    def __init__(self, in_features: int, out_features: int, *, scalar_bias: bool) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features).uniform_(-0.25, 0.25))
        self.bias = nn.Parameter(torch.zeros(1 if scalar_bias else out_features))

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias


def luong_attention(
    memory: Tensor, query: Tensor, lengths: Tensor, *, mask: bool = True, full_length: int = 0
) -> tuple[Tensor, Tensor]:
    """Dot-product attention of ``query`` ``[B, H]`` over ``memory`` ``[B, T, H]``.

    Args:
        memory: Per-step encoder outputs (zero past each length).
        query: One query vector per row.
        lengths: Valid memory length per row.
        mask: Add ``-FLT_MAX`` to scores past the length (HEAD). False reproduces R1's
            unmasked MDREA: padded zero outputs score 0 and share the softmax.
        full_length: Unmasked only: the untrimmed memory length (e.g. 128) the original's
            softmax ran over; the ``full_length - T`` steps cut by batch trimming are zero outputs
            and enter the normaliser as ``exp(0)`` each, so trimming changes nothing.

    Returns:
        ``(context [B, H], weights [B, T])``. Masked weights sum to one over valid steps.
    """
    scores = torch.einsum("bth,bh->bt", memory, query)
    if mask:
        invalid = ~length_mask(lengths, memory.size(1))
        scores = scores + invalid.to(scores.dtype) * torch.finfo(scores.dtype).min
        weights = torch.softmax(scores, dim=-1)
    else:
        missing = max(full_length - memory.size(1), 0)
        top = scores.max(dim=-1, keepdim=True).values.clamp(min=0.0) if missing else None
        if top is None:
            weights = torch.softmax(scores, dim=-1)
        else:
            exp = torch.exp(scores - top)
            weights = exp / (exp.sum(-1, keepdim=True) + missing * torch.exp(-top))
    return torch.einsum("bt,bth->bh", weights, memory), weights


class ModalityHopping(nn.Module):
    """AMH's attentive modality hopping (R2 ``model_AMH.py``).

    Hop k (1-based) has its own query layer and applies type ``(k-1) % 3``:
    0: ``[a ; t] → attend video``, 1: ``[t ; v] → attend audio``, 2: ``[a ; v] → attend text``;
    each hop reads the latest summaries and replaces the attended modality's summary.
    """

    # (query modalities, attended modality) per hop type
    PLAN: tuple[tuple[tuple[str, str], str], ...] = (
        (("audio", "text"), "video"),
        (("text", "video"), "audio"),
        (("audio", "video"), "text"),
    )

    def __init__(self, dims: dict[str, int], hops: int) -> None:
        super().__init__()
        self.hops = hops
        self.queries = nn.ModuleList()
        for k in range(hops):
            (m1, m2), target = self.PLAN[k % 3]
            self.queries.append(Projection(dims[m1] + dims[m2], dims[target], scalar_bias=False))

    def forward(
        self,
        summaries: dict[str, Tensor],
        memories: dict[str, Tensor],
        lengths: dict[str, Tensor],
    ) -> tuple[dict[str, Tensor], list[Tensor]]:
        """Run all hops; returns the final summaries and each hop's attention weights."""
        current = dict(summaries)
        weights = []
        for k, query_layer in enumerate(self.queries):
            (m1, m2), target = self.PLAN[k % 3]
            query = query_layer(torch.cat([current[m1], current[m2]], -1))
            current[target], w = luong_attention(memories[target], query, lengths[target])
            weights.append(w)
        return current, weights


class ModalityEncoder(nn.Module):
    """One modality's branch: optional token embedding → :class:`RecurrentEncoder` → summary.

    Reads ``batch[role]`` and ``batch[role + "_len"]``; the summary is the final state, with
    ``batch[append]`` concatenated after it when ``append`` is given (R1 appends the raw prosody
    vector to the audio state).
    """

    def __init__(
        self,
        role: str,
        rnn: RecurrentEncoder,
        *,
        embedding: TokenEmbedding | None = None,
        append: str | None = None,
        append_dim: int = 0,
    ) -> None:
        super().__init__()
        self.role = role
        self.rnn = rnn
        self.embedding = embedding
        self.append = append
        self.summary_dim = rnn.hidden_size + (append_dim if append else 0)

    def forward(self, batch: dict[str, Tensor]) -> tuple[Tensor, Tensor]:
        """Returns ``(per-step outputs [B, T, H], summary [B, summary_dim])``."""
        x = batch[self.role]
        if self.embedding is not None:
            x = self.embedding(x)
        outputs, final = self.rnn(x, batch[f"{self.role}_len"])
        if self.append:
            final = torch.cat([final, batch[self.append]], dim=-1)
        return outputs, final
