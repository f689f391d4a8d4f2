"""Registries: names without importing, implementations on demand, clear refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from models.params import RNNS
from models.zoo import MODELS
from pipeline.asr.base import BACKENDS as ASR_BACKENDS
from pipeline.audio.backends import BACKENDS as AUDIO_BACKENDS
from pipeline.errors import MmserError
from pipeline.labels import SCHEMES
from pipeline.registry import Registry


def test_names_are_known_before_the_implementation_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "registry_probe_module.py").write_text("class Thing:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reg: Registry[type] = Registry("thing", {"one": "registry_probe_module:Thing"})
    assert reg.names() == ["one"] and "one" in reg and "two" not in reg and list(reg) == ["one"]
    assert "registry_probe_module" not in sys.modules
    assert reg.get("one").__name__ == "Thing"
    assert "registry_probe_module" in sys.modules


def test_unknown_name_lists_the_choices_and_the_closest() -> None:
    reg: Registry[type] = Registry(
        "thing", {"alpha": "fractions:Fraction", "beta": "fractions:Fraction"}
    )
    with pytest.raises(MmserError) as info:
        reg.get("alpah")
    expected = "unknown thing 'alpah'; choose one of alpha, beta; did you mean `alpha`?"
    assert str(info.value) == expected
    assert reg.unknown("zzz") == "unknown thing 'zzz'; choose one of alpha, beta"


def test_an_entry_must_name_module_and_attribute() -> None:
    with pytest.raises(ValueError, match=r"'fractions\.Fraction' is not 'package\.module:attri"):
        Registry("thing", {"x": "fractions.Fraction"})


@pytest.mark.parametrize(
    "registry", [AUDIO_BACKENDS, ASR_BACKENDS, MODELS, SCHEMES], ids=lambda r: r.kind
)
def test_every_registered_name_is_the_implementations_own_name(registry: Registry) -> None:
    for name in registry:
        assert registry.get(name).name == name


def test_every_recurrent_layer_resolves_to_a_module_class() -> None:
    from torch import nn

    for name in RNNS:
        assert issubclass(RNNS.get(name), nn.Module)
