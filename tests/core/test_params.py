"""params.yaml parsing into typed dataclasses: every problem named by its dotted key and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import pytest

from pipeline.params import (
    InvalidValue,
    ParamsError,
    check,
    from_dict,
    key_lines,
    load_file,
    load_params,
    load_section,
)
from pipeline.registry import Registry

COLOURS: Registry[type] = Registry("colour", {"red": "fractions:Fraction", "green": "x:y"})


@dataclass(frozen=True)
class Inner:
    rate: float = 0.5
    names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check(self.rate <= 1, "rate", f"must be at most 1, got {self.rate}")


@dataclass(frozen=True)
class Section:
    mode: Literal["alpha", "beta"]
    count: int = 3
    flag: bool = False
    ratios: tuple[float, float] = (0.5, 0.5)
    path: str | None = None
    colour: Annotated[str, COLOURS] = "red"
    inner: Inner = field(default_factory=Inner)

    def __post_init__(self) -> None:
        check(self.count > 0, "count", f"must be positive, got {self.count}")


@dataclass(frozen=True)
class File:
    sec: Section = field(default_factory=lambda: Section(mode="alpha"))
    other: Inner = field(default_factory=Inner)


def test_parses_types_nested_and_defaults() -> None:
    data = {"mode": "beta", "count": 5, "ratios": [1, 2], "inner": {"rate": 1, "names": ["x"]}}
    sec = load_section(Section, "sec", {"sec": data})
    assert sec == Section(mode="beta", count=5, ratios=(1.0, 2.0), inner=Inner(1.0, ["x"]))
    assert isinstance(sec.inner.rate, float)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "gamma"}, "sec.mode: 'gamma' is not one of alpha, beta"),
        ({"mode": "alpah"}, "sec.mode: 'alpah' is not one of alpha, beta; did you mean `alpha`?"),
        ({"mode": "alpha", "count": "3"}, "sec.count: expected an integer, got '3'"),
        ({"mode": "alpha", "count": True}, "sec.count: expected an integer, got True"),
        ({"mode": "alpha", "count": 2.5}, "sec.count: expected an integer, got 2.5"),
        ({"mode": "alpha", "flag": 1}, "sec.flag: expected true or false, got 1"),
        ({"mode": "alpha", "ratios": [1]}, "sec.ratios: expected 2 values, got [1]"),
        ({"mode": "alpha", "ratios": [1, "x"]}, "sec.ratios[1]: expected a number, got 'x'"),
        ({"mode": "alpha", "path": 3}, "sec.path: expected a string, got 3 or null"),
        (
            {"mode": "alpha", "colour": "gren"},
            "sec.colour: unknown colour 'gren'; choose one of red, green; did you mean `green`?",
        ),
        (
            {"mode": "alpha", "inner": {"rat": 1}},
            "sec.inner.rat: unknown key; did you mean `sec.inner.rate`? "
            "(sec.inner takes: rate, names)",
        ),
        (
            {"mode": "alpha", "bogus": 1},
            "sec.bogus: unknown key (sec takes: mode, count, flag, ratios, path, colour, inner)",
        ),
        ({"count": 1}, "sec.mode: missing key"),
        ({"mode": "alpha", "count": 0}, "sec.count: must be positive, got 0"),
        ({"mode": "alpha", "inner": {"rate": 2}}, "sec.inner.rate: must be at most 1, got 2.0"),
    ],
)
def test_each_problem_names_the_dotted_key(data: dict, message: str) -> None:
    with pytest.raises(ParamsError) as info:
        load_section(Section, "sec", {"sec": data})
    assert str(info.value) == f"params.yaml: {message}"


def test_every_problem_is_reported_at_once() -> None:
    data = {"mode": "x", "count": "many", "inner": {"rat": 1}, "extra": 1}
    with pytest.raises(ParamsError) as info:
        from_dict(Section, data, "sec")
    keys = [p.key for p in info.value.problems]
    assert keys == ["sec.extra", "sec.mode", "sec.count", "sec.inner.rat"]
    assert str(info.value).startswith("params.yaml: 4 problems:\n  params.yaml: sec.extra: ")


def test_unknown_section_suggests_the_closest() -> None:
    with pytest.raises(ParamsError) as info:
        from_dict(File, {"sce": {}}, "")
    assert info.value.key == "sce"
    assert info.value.text == "unknown section; did you mean `sec`? (sections are: sec, other)"


def test_strict_reports_every_missing_key_with_its_default() -> None:
    assert from_dict(File, {}, "") == File()  # not strict: defaults
    with pytest.raises(ParamsError) as info:
        from_dict(File, {"sec": {"mode": "beta", "count": 2}, "other": {}}, "", strict=True)
    assert [str(p) for p in info.value.problems] == [
        "params.yaml: sec.flag: missing key (default: false)",
        "params.yaml: sec.ratios: missing key (default: [0.5, 0.5])",
        "params.yaml: sec.path: missing key (default: null)",
        "params.yaml: sec.colour: missing key (default: red)",
        "params.yaml: sec.inner: missing key",
        "params.yaml: other.rate: missing key (default: 0.5)",
        "params.yaml: other.names: missing key",
    ]


def test_errors_from_a_file_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("sec:\n  mode: alpha\n  inner:\n    rate: 3\n  flg: true\nother: {}\n")
    assert key_lines(path) == {
        "sec": 1,
        "sec.mode": 2,
        "sec.inner": 3,
        "sec.inner.rate": 4,
        "sec.flg": 5,
        "other": 6,
    }
    with pytest.raises(ParamsError) as info:
        load_file(File, path)
    assert [str(p) for p in info.value.problems] == [  # in file order
        f"{path}:4: sec.inner.rate: must be at most 1, got 3.0",
        f"{path}:5: sec.flg: unknown key; did you mean `sec.flag`? "
        "(sec takes: mode, count, flag, ratios, path, colour, inner)",
    ]
    with pytest.raises(ParamsError) as missing:
        load_file(File, path.with_name("other.yaml"))
    assert str(missing.value) == f"{path.with_name('other.yaml')}: params file not found"


def test_a_missing_key_is_placed_at_its_section(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("other: {}\nsec:\n  count: 2\n")
    with pytest.raises(ParamsError) as info:
        load_file(Section, path, "sec")
    assert str(info.value) == f"{path}:2: sec.mode: missing key"


def test_check_names_the_field_relative_to_the_dataclass() -> None:
    with pytest.raises(InvalidValue, match="count: must be positive, got -1"):
        Section(mode="alpha", count=-1)


def test_missing_section_takes_the_defaults_and_missing_file_is_named(tmp_path: Path) -> None:
    assert load_section(Inner, "sec", {"other": {}}) == Inner()
    with pytest.raises(ParamsError, match="params file not found"):
        load_params(tmp_path / "params.yaml")


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("a: 1\nb: [unclosed\nc: 2\n")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert info.value.file == str(path) and info.value.line == 3
