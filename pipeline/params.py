"""params.yaml → typed, validated, frozen dataclasses.

Each stage declares a dataclass per params section and reads it with :func:`load_section`.
Unknown keys, missing keys, wrong types and values outside a ``Literal`` are reported with the
dotted key and the allowed values, e.g. ``params.yaml: audio.backend: 'foo' is not one of
'opensmile', 'librosa'``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar, Union

import yaml

from pipeline.errors import MmserError

D = TypeVar("D")
DEFAULT_PARAMS = Path("params.yaml")


class ParamsError(MmserError):
    """A value in params.yaml is missing, unknown or invalid."""


def load_params(path: str | Path = DEFAULT_PARAMS) -> dict[str, Any]:
    """Read params.yaml as a plain dict."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParamsError("params file not found", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(
            f"invalid YAML: {exc}", file=path, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(data, dict):
        raise ParamsError("expected a mapping at the top level", file=path)
    return data


def get_key(params: Mapping[str, Any], dotted: str, *, file: str | Path = DEFAULT_PARAMS) -> Any:
    """The value at a dotted key such as ``"corpus.synthetic"``."""
    node: Any = params
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise ParamsError(f"missing key {dotted!r}", file=file)
        node = node[part]
    return node


def load_section(
    cls: type[D], key: str, params: Mapping[str, Any] | str | Path = DEFAULT_PARAMS
) -> D:
    """Parse the section ``key`` of params (a dict, or a path to params.yaml) into ``cls``."""
    file: str | Path = DEFAULT_PARAMS
    if not isinstance(params, Mapping):
        file = params
        params = load_params(params)
    return from_dict(cls, get_key(params, key, file=file), key, file=file)


def from_dict(cls: type[D], data: Any, where: str, *, file: str | Path = DEFAULT_PARAMS) -> D:
    """Build dataclass ``cls`` from ``data``; ``where`` is the dotted key used in errors."""
    if not isinstance(data, Mapping):
        raise ParamsError(f"{where}: expected a mapping, got {data!r}", file=file)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ParamsError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(fields))}",
            file=file,
        )
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            required = field.default is dataclasses.MISSING
            if required and field.default_factory is dataclasses.MISSING:
                raise ParamsError(f"{where}.{name}: missing required key", file=file)
            continue
        values[name] = _convert(hints[name], data[name], f"{where}.{name}", file)
    try:
        return cls(**values)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, MmserError):
            raise
        raise ParamsError(f"{where}: {exc}", file=file) from None


def _convert(hint: Any, value: Any, where: str, file: str | Path) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise ParamsError(f"{where}: {value!r} is not one of {allowed}", file=file)
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _convert(arg, value, where, file)
            except ParamsError as exc:
                errors.append(exc.message)
        raise ParamsError(" / ".join(errors), file=file)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, where, file=file)
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise ParamsError(f"{where}: expected a list, got {value!r}", file=file)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise ParamsError(f"{where}: expected {len(args)} values, got {value!r}", file=file)
            pairs = enumerate(zip(args, value, strict=True))
            return tuple(_convert(a, v, f"{where}[{i}]", file) for i, (a, v) in pairs)
        item = args[0] if args else Any
        converted = [_convert(item, v, f"{where}[{i}]", file) for i, v in enumerate(value)]
        return tuple(converted) if origin is tuple else converted
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ParamsError(f"{where}: expected a mapping, got {value!r}", file=file)
        return dict(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ParamsError(f"{where}: expected true or false, got {value!r}", file=file)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamsError(f"{where}: expected an integer, got {value!r}", file=file)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParamsError(f"{where}: expected a number, got {value!r}", file=file)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ParamsError(f"{where}: expected a string, got {value!r}", file=file)
        return value
    raise TypeError(f"{where}: unsupported type {hint!r} in a params dataclass")


def check(condition: bool, key: str, message: str) -> None:
    """Raise :class:`ParamsError` for ``key`` unless ``condition`` holds (for ``__post_init__``)."""
    if not condition:
        raise ParamsError(f"{key}: {message}", file=DEFAULT_PARAMS)


def to_dict(obj: Any) -> dict[str, Any]:
    """A dataclass as a plain dict (for cache keys and ``meta.json``)."""
    return dataclasses.asdict(obj)
