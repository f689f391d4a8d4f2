"""params.yaml → typed, validated, frozen dataclasses.

Each params section is a frozen dataclass (``pipeline/*/params.py``, ``models/params.py``, ...);
:mod:`pipeline.config` lists them all. :func:`from_dict` builds one from a mapping and reports
every problem at once, each with its dotted key: unknown keys (with the closest allowed key),
missing keys, wrong types, values outside a ``Literal`` or a :class:`~pipeline.registry.Registry`
(``Annotated[str, REGISTRY]``), and the range rules of the dataclass's ``__post_init__``
(written with :func:`check`), e.g. ``params.yaml:47: audio.backend: unknown audio backend
'librosaa'; choose one of opensmile, librosa; did you mean `librosa`?``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union

import yaml

from pipeline.errors import MmserError, did_you_mean
from pipeline.registry import Registry

D = TypeVar("D")
DEFAULT_PARAMS = Path("params.yaml")


class ParamsError(MmserError):
    """Values in params.yaml that are missing, unknown or invalid.

    One problem names its dotted ``key``; several found at once are kept in ``problems`` (each a
    one-problem :class:`ParamsError`) and printed one per line.
    """

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        file: str | Path | None = DEFAULT_PARAMS,
        line: int | None = None,
        hint: str | None = None,
        problems: Iterable[ParamsError] = (),
    ) -> None:
        self.key = key or None
        self.text = message
        self.problems: tuple[ParamsError, ...] = tuple(problems) or (self,)
        super().__init__(f"{key}: {message}" if key else message, file=file, line=line, hint=hint)

    @classmethod
    def combine(cls, problems: Iterable[ParamsError]) -> ParamsError:
        """One error holding every problem of ``problems`` (flattened)."""
        flat = [p for error in problems for p in error.problems]
        if len(flat) == 1:
            return flat[0]
        files = {p.file for p in flat}
        file = files.pop() if len(files) == 1 else None
        return cls(f"{len(flat)} problems", file=file, problems=flat)

    def located(self, lines: Mapping[str, int]) -> ParamsError:
        """The same problems in file order, each with the line of its key (or of the closest
        parent key)."""
        found = []
        for p in self.problems:
            key, line = p.key, None
            while key and line is None:
                line = lines.get(key)
                key = key.rpartition(".")[0]
            found.append(ParamsError(p.text, key=p.key, file=p.file, line=line, hint=p.hint))
        return ParamsError.combine(sorted(found, key=lambda p: (p.line is None, p.line or 0)))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        return "\n  ".join([super().__str__() + ":", *(str(p) for p in self.problems)])


class InvalidValue(ValueError):
    """Raised by :func:`check` in a params dataclass; :func:`from_dict` adds the dotted key.

    Each problem is ``(field, message)`` with ``field`` relative to the dataclass being built
    (``""`` for the dataclass as a whole, dotted for nested fields).
    """

    def __init__(self, *problems: tuple[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in problems))


def check(condition: bool, field: str, message: str) -> None:
    """In ``__post_init__``: refuse the value of ``field`` (relative to the dataclass) unless
    ``condition`` holds. The error shown to the user names the full dotted key."""
    if not condition:
        raise InvalidValue((field, message))


def load_params(path: str | Path = DEFAULT_PARAMS) -> dict[str, Any]:
    """Read params.yaml as a plain dict."""
    return _mapping(_compose(path), path)


def key_lines(path: str | Path = DEFAULT_PARAMS) -> dict[str, int]:
    """Dotted key → 1-based line of that key in the YAML file (for error messages)."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                key = f"{prefix}{key_node.value}"
                lines[key] = key_node.start_mark.line + 1
                walk(value, key + ".")

    walk(_compose(path), "")
    return lines


def _compose(path: str | Path) -> yaml.Node:
    path = Path(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except FileNotFoundError:
        raise ParamsError("params file not found", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(
            f"invalid YAML: {exc}", file=path, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(node, yaml.MappingNode):
        raise ParamsError("expected a mapping at the top level", file=path)
    return node


def _mapping(node: yaml.Node, path: str | Path) -> dict[str, Any]:
    try:
        return yaml.SafeLoader("").construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(
            f"invalid YAML: {exc}", file=path, line=mark.line + 1 if mark else None
        ) from None


def load_section(
    cls: type[D], key: str, params: Mapping[str, Any] | str | Path = DEFAULT_PARAMS
) -> D:
    """Parse the section ``key`` of params (a dict, or a path to params.yaml) into ``cls``.

    A missing section, or missing keys in it, take the dataclass's defaults.
    """
    if isinstance(params, Mapping):
        return from_dict(cls, _get(params, key), key)
    return load_file(cls, params, key)


def load_file(
    cls: type[D], path: str | Path = DEFAULT_PARAMS, key: str = "", *, strict: bool = False
) -> D:
    """Parse the section ``key`` of the params file at ``path`` (``""``: the whole file).

    Errors name the line of each offending key; ``strict`` as in :func:`from_dict`.
    """
    try:
        return from_dict(cls, _get(load_params(path), key), key, file=path, strict=strict)
    except ParamsError as exc:
        raise exc.located(key_lines(path)) from None


def _get(params: Mapping[str, Any], dotted: str) -> Any:
    node: Any = params
    for part in filter(None, dotted.split(".")):
        node = node.get(part, {}) if isinstance(node, Mapping) else node
    return node


def from_dict(
    cls: type[D],
    data: Any,
    where: str,
    *,
    file: str | Path = DEFAULT_PARAMS,
    strict: bool = False,
) -> D:
    """Build dataclass ``cls`` from ``data``, reporting every problem at once.

    Args:
        cls: A (frozen) dataclass whose field types say what each key takes.
        data: The mapping to read.
        where: The dotted key of ``data`` in the file (``""`` for the whole file), for messages.
        file: The file named in messages.
        strict: Also report keys that are missing (a missing key otherwise takes its default).
    """
    if not isinstance(data, Mapping):
        raise ParamsError(f"expected a mapping, got {data!r}", key=where, file=file)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls, include_extras=True)
    problems = [
        ParamsError(_unknown(name, where, fields), key=_join(where, name), file=file)
        for name in data
        if name not in fields
    ]
    values: dict[str, Any] = {}
    for name, field in fields.items():
        key = _join(where, name)
        if name in data:
            try:
                values[name] = _convert(hints[name], data[name], key, file, strict)
            except ParamsError as exc:
                problems.append(exc)
        elif strict or _required(field):
            default = "" if _required(field) else _default_text(field)
            problems.append(ParamsError(f"missing key{default}", key=key, file=file))
    if problems:
        raise ParamsError.combine(problems)
    try:
        return cls(**values)
    except InvalidValue as exc:
        raise ParamsError.combine(
            ParamsError(message, key=_join(where, field), file=file)
            for field, message in exc.problems
        ) from None
    except ValueError as exc:
        raise ParamsError(str(exc), key=where, file=file) from None


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where and name else where or name


def _required(field: dataclasses.Field[Any]) -> bool:
    no_factory = field.default_factory is dataclasses.MISSING
    return field.default is dataclasses.MISSING and no_factory


def _default_text(field: dataclasses.Field[Any]) -> str:
    value = field.default
    if value is dataclasses.MISSING:
        return ""
    if value is None or isinstance(value, bool):
        value = "null" if value is None else str(value).lower()
    return f" (default: {list(value) if isinstance(value, tuple) else value})"


def _unknown(name: str, where: str, fields: Iterable[str]) -> str:
    what, owner = ("key", f"{where} takes") if where else ("section", "sections are")
    prefix = f"{where}." if where else ""
    return f"unknown {what}{did_you_mean(str(name), fields, prefix=prefix)} ({owner}: " + (
        f"{', '.join(fields)})"
    )


def _convert(hint: Any, value: Any, where: str, file: str | Path, strict: bool) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin is Annotated:
        value = _convert(args[0], value, where, file, strict)
        for registry in (a for a in args[1:] if isinstance(a, Registry)):
            if value not in registry:
                raise ParamsError(registry.unknown(value), key=where, file=file)
        return value
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(str(a) for a in args)
            close = did_you_mean(str(value), [str(a) for a in args])
            raise ParamsError(f"{value!r} is not one of {allowed}{close}", key=where, file=file)
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _convert(arg, value, where, file, strict)
            except ParamsError as exc:
                errors.append(exc.text)
        nullable = " or null" if type(None) in args else ""
        raise ParamsError(" / ".join(errors) + nullable, key=where, file=file)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, where, file=file, strict=strict)  # type: ignore[arg-type]
    if origin in (list, tuple):
        return _sequence(origin, args, value, where, file, strict)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ParamsError(f"expected a mapping, got {value!r}", key=where, file=file)
        return dict(value)
    expected = _SCALARS.get(hint)
    if expected is None:
        raise TypeError(f"{where}: unsupported type {hint!r} in a params dataclass")
    kinds, description = expected
    if isinstance(value, bool) != (hint is bool) or not isinstance(value, kinds):
        raise ParamsError(f"expected {description}, got {value!r}", key=where, file=file)
    return float(value) if hint is float else value


_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    bool: ((bool,), "true or false"),
    int: ((int,), "an integer"),
    float: ((int, float), "a number"),
    str: ((str,), "a string"),
}


def _sequence(
    origin: Any, args: tuple[Any, ...], value: Any, where: str, file: str | Path, strict: bool
) -> Any:
    if not isinstance(value, list | tuple):
        raise ParamsError(f"expected a list, got {value!r}", key=where, file=file)
    if origin is tuple and args and args[-1] is not Ellipsis:
        if len(args) != len(value):
            raise ParamsError(f"expected {len(args)} values, got {value!r}", key=where, file=file)
        items = list(args)
    else:
        items = [args[0] if args else Any] * len(value)
    converted = [
        _convert(a, v, f"{where}[{i}]", file, strict)
        for i, (a, v) in enumerate(zip(items, value, strict=True))
    ]
    return tuple(converted) if origin is tuple else converted


def to_dict(obj: Any) -> dict[str, Any]:
    """A dataclass as a plain dict (for cache keys and ``meta.json``)."""
    return dataclasses.asdict(obj)
