"""Forward shapes, padding invariance and parameter layout of the five models."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from models.data import DataInfo
from models.params import AMHParams, AREParams, MDREAParams, MDREParams, TREParams
from models.zoo import MODELS

INFO = DataInfo(
    classes=("ang", "hap", "sad", "neu"),
    dims={"audio": 39, "prosody": 35, "video": 2048},
    vocab_size=30,
    embedding_dim=12,
)
AMH_INFO = replace(
    INFO, dims={"audio": 120, "prosody": 35, "video": 2048}, classes=tuple("abcdefg")
)


def _batch(info: DataInfo, lengths: dict[str, list[int]], seed: int = 0) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    b = len(lengths["audio"])
    batch: dict[str, torch.Tensor] = {"prosody": torch.randn(b, 35, generator=g)}
    for role in ("audio", "video"):
        n = torch.tensor(lengths[role])
        x = torch.randn(b, int(n.max()), info.dims[role], generator=g)
        x[torch.arange(x.size(1))[None, :] >= n[:, None]] = 0.0
        batch[role], batch[f"{role}_len"] = x, n
    n = torch.tensor(lengths["text"])
    tokens = torch.randint(2, info.vocab_size, (b, int(n.max())), generator=g)
    tokens[torch.arange(tokens.size(1))[None, :] >= n[:, None]] = 0
    batch["text"], batch["text_len"] = tokens, n
    return batch


def _row(batch: dict[str, torch.Tensor], i: int) -> dict[str, torch.Tensor]:
    """Row ``i`` alone, trimmed to its own lengths."""
    row = {k: v[i : i + 1] for k, v in batch.items()}
    for role in ("audio", "video", "text"):
        row[role] = row[role][:, : int(batch[f"{role}_len"][i])]
    return row


LENGTHS = {"audio": [9, 4, 1], "video": [5, 2, 3], "text": [6, 1, 3]}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_forward_shapes(name: str) -> None:
    info = AMH_INFO if name == "amh" else INFO
    torch.manual_seed(0)
    model = MODELS.get(name)(
        MODELS.get(name).params_type(), info, embedding=np.ones((30, 12), np.float32)
    )
    logits = model(_batch(info, LENGTHS))
    assert logits.shape == (3, info.num_classes)
    assert torch.isfinite(logits).all()
    if "text" in model.roles:  # GloVe rows are loaded into the trainable embedding
        assert torch.all(model.text.embedding.weight == 1.0)
        assert model.text.embedding.weight.requires_grad


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("rnn", ["tf_gru", "torch_gru"])
def test_padding_does_not_change_logits(name: str, rnn: str) -> None:
    info = AMH_INFO if name == "amh" else INFO
    torch.manual_seed(0)
    model = MODELS.get(name)(MODELS.get(name).params_type(), info, rnn=rnn).eval()
    batch = _batch(info, LENGTHS)
    padded = dict(batch)
    for role in ("audio", "video"):
        extra = torch.full((3, 4, batch[role].size(2)), 7.0)  # garbage padding
        padded[role] = torch.cat([batch[role], extra], 1)
    padded["text"] = torch.cat([batch["text"], torch.zeros(3, 4, dtype=torch.long)], 1)
    with torch.no_grad():
        torch.testing.assert_close(model(batch), model(padded))
        # each row alone gives the same logits as in the batch (no leakage across rows)
        torch.testing.assert_close(model(_row(batch, 1)), model(batch)[1:2], rtol=1e-4, atol=1e-5)


def test_r1_layer_sizes_and_scalar_biases() -> None:
    mdre = MODELS.get("mdre")(MDREParams(), INFO)
    assert mdre.audio_proj.weight.shape == (235, 117)  # Python-2 integer halving
    assert mdre.text_proj.weight.shape == (200, 100)
    assert mdre.output.weight.shape == (217, 4)
    assert all(p.bias.shape == (1,) for p in (mdre.audio_proj, mdre.text_proj, mdre.output))
    mdrea = MODELS.get("mdrea")(MDREAParams(), INFO)
    assert mdrea.query.weight.shape == (235, 200) and mdrea.output.weight.shape == (400, 4)
    are = MODELS.get("are")(AREParams(use_prosody=False), INFO)
    assert are.output.weight.shape == (200, 4)
    tre = MODELS.get("tre")(
        replace(TREParams(), text=replace(TREParams().text, use_glove=False)), INFO
    )
    assert tre.text.embedding.weight.shape == (30, 100)  # DIM_WORD_EMBEDDING without GloVe


def test_amh_layer_sizes() -> None:
    amh = MODELS.get("amh")(AMHParams(), AMH_INFO)
    assert amh.output.weight.shape == (528, 7) and amh.output.bias.shape == (7,)
    assert len(amh.hopping.queries) == 7
    assert amh.encoder_sizes() == {"audio": 750, "text": 128, "video": 25}


def test_mdrea_attention_mask_switch() -> None:
    torch.manual_seed(0)
    masked = MODELS.get("mdrea")(MDREAParams(), INFO).eval()
    unmasked = MODELS.get("mdrea")(MDREAParams(attention_mask=False), INFO).eval()
    unmasked.load_state_dict(masked.state_dict())
    batch = _batch(INFO, LENGTHS)
    with torch.no_grad():
        masked(batch), unmasked(batch)
    torch.testing.assert_close(masked.attention_weights.sum(-1), torch.ones(3))
    assert torch.all(unmasked.attention_weights.sum(-1) < 1)  # 128 - T padded steps share it
