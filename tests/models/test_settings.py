"""The two papers' settings: label scheme per setting, which models each trains, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.zoo import MODELS
from pipeline.params import ParamsError, load_section
from pipeline.settings import AMH_MODELS, LAYOUTS, R1_MODELS, SettingsParams

ROOT = Path(__file__).resolve().parents[2]


def test_model_lists_are_the_zoo_families() -> None:
    assert set(R1_MODELS) == {n for n in MODELS.names() if MODELS.get(n).family == "r1"}
    assert set(AMH_MODELS) == {n for n in MODELS.names() if MODELS.get(n).family == "amh"}


def test_each_setting_writes_the_layouts_its_models_read() -> None:
    settings = SettingsParams(r2=SettingsParams().r2)
    for name in LAYOUTS:
        needed = {MODELS.get(m).family for m in settings.runs(name)}
        assert needed <= set(LAYOUTS[name]), name


def test_default_settings_are_the_papers() -> None:
    settings = SettingsParams()  # the defaults (tests/core/test_config.py: = params.yaml's)
    assert settings.scheme("r1").name == "4class" and settings.scheme("r2").name == "7class"
    assert settings.runs("r1") == ("are", "tre", "mdre", "mdrea")
    assert settings.runs("r2") == ("amh", "are", "tre")  # AMH and the unimodal models to beat


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"r1": {"models": ["amh"]}}, r"settings\.r1\.models: amh not allowed here"),
        ({"r2": {"models": ["are"]}}, r"settings\.r2\.models: are not allowed here"),
        ({"r2": {"baselines": ["tre", "tre"]}}, r"settings\.r2\.baselines: lists a model twice"),
        ({"r1": {"labels": "5class"}}, r"settings\.r1\.labels: unknown label scheme '5class'"),
        ({"r3": {}}, r"settings\.r3: unknown key \(settings takes: r1, r2\)"),
    ],
)
def test_invalid_settings_name_the_key(section: dict, message: str) -> None:
    with pytest.raises(ParamsError, match=message):
        load_section(SettingsParams, "settings", {"settings": section})
