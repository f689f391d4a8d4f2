"""params.yaml parsing into typed dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

from models.zoo import MODELS
from pipeline.params import ParamsError, check, load_params, load_section
from tests.params import SECTIONS, default_params


@dataclass(frozen=True)
class Inner:
    rate: float = 0.5
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    mode: Literal["a", "b"]
    count: int = 3
    flag: bool = False
    ratios: tuple[float, float] = (0.5, 0.5)
    path: str | None = None
    inner: Inner = field(default_factory=Inner)

    def __post_init__(self) -> None:
        check(self.count > 0, "sec.count", f"must be positive, got {self.count}")


def test_parses_types_nested_and_defaults() -> None:
    sec = load_section(
        Section,
        "sec",
        {"sec": {"mode": "b", "count": 5, "ratios": [1, 2], "inner": {"rate": 1, "names": ["x"]}}},
    )
    assert sec == Section(mode="b", count=5, ratios=(1.0, 2.0), inner=Inner(1.0, ["x"]))
    assert isinstance(sec.inner.rate, float)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "c"}, "sec.mode: 'c' is not one of 'a', 'b'"),
        ({"mode": "a", "count": "3"}, "sec.count: expected an integer"),
        ({"mode": "a", "count": True}, "sec.count: expected an integer"),
        ({"mode": "a", "flag": 1}, "sec.flag: expected true or false"),
        ({"mode": "a", "ratios": [1]}, "sec.ratios: expected 2 values"),
        (
            {"mode": "a", "inner": {"rat": 1}},
            "sec.inner: unknown key\\(s\\) rat; allowed: names, rate",
        ),
        ({"mode": "a", "bogus": 1}, "sec: unknown key\\(s\\) bogus"),
        ({"count": 1}, "sec.mode: missing required key"),
        ({"mode": "a", "count": 0}, "sec.count: must be positive, got 0"),
        ({"mode": "a", "path": 3}, "expected a string"),
    ],
)
def test_errors_name_the_key(data: dict, message: str) -> None:
    with pytest.raises(ParamsError, match=message):
        load_section(Section, "sec", {"sec": data})


def test_missing_section_and_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="missing key 'sec'"):
        load_section(Section, "sec", {"other": {}})
    with pytest.raises(ParamsError, match="params file not found"):
        load_params(tmp_path / "params.yaml")


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("a: 1\nb: [unclosed\nc: 2\n")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert info.value.file == str(path) and info.value.line is not None


def _keys(node: Any, prefix: str = "") -> set[str]:
    """Every dotted key of a nested dict."""
    if not isinstance(node, dict):
        return set()
    keys = set()
    for key, value in node.items():
        keys |= {prefix + key, *_keys(value, f"{prefix}{key}.")}
    return keys


def test_repository_params_file_has_the_dataclass_keys_and_valid_values() -> None:
    """Whatever values params.yaml holds, it has exactly the keys the code reads, all valid."""
    params = load_params(Path(__file__).parents[2] / "params.yaml")
    assert _keys(params) == _keys(default_params())
    for section, cls in SECTIONS.items():
        load_section(cls, section, params)
    for name, model in MODELS.items():
        load_section(model.params_type, f"models.{name}", params)
