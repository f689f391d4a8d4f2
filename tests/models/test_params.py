"""The train/models params: the dataclass defaults are the reference values; bad values name
the key."""

from __future__ import annotations

import pytest

from models.zoo import MODELS
from pipeline.params import ParamsError, load_section


def test_reference_values_of_the_original_scripts() -> None:
    are, amh = MODELS.get("are").params_type(), MODELS.get("amh").params_type()
    assert (are.audio.hidden_dim, are.audio.keep_prob, are.optim.lr) == (200, 0.7, 0.001)
    assert MODELS.get("tre").params_type().text.keep_prob == 0.3  # 70 % dropout
    assert (amh.video.hidden_dim, amh.video.encoder_size, amh.hops) == (128, 25, 7)
    assert (amh.optim.loss, amh.optim.clip, amh.optim.clip_value) == ("softmax", "tensor_norm", 1.0)
    assert (amh.optim.selection, amh.optim.early_stop_count) == ("dev_wa_accuracy", 15)
    assert (are.optim.loss, are.optim.clip, are.optim.clip_value) == ("sigmoid", "value", 10.0)


def test_bad_values_name_the_key() -> None:
    bad = {"models": {"mdrea": {"text": {"keep_prob": 1.5}}}}
    with pytest.raises(ParamsError, match=r"models\.mdrea\.text\.keep_prob: must be in \(0, 1\]"):
        load_section(MODELS.get("mdrea").params_type, "models.mdrea", bad)
    with pytest.raises(ParamsError, match=r"models\.amh\.optim\.selection: 'best' is not one of"):
        load_section(
            MODELS.get("amh").params_type,
            "models.amh",
            {"models": {"amh": {"optim": {"selection": "best"}}}},
        )
