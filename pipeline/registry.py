"""Name → implementation registries: every params value that picks an implementation.

A registry lists the names a params value may take (``audio.backend``, ``asr.backend``,
``train.rnn``, the models) and, for each, where its implementation lives as
``"package.module:attribute"``. The module is imported only when :meth:`Registry.get` asks for
it, so checking a name (params validation, ``python -m stages.validate``) imports nothing heavy.

Example:
    >>> shapes: Registry[type] = Registry("shape", {"fraction": "fractions:Fraction"})
    >>> shapes.get("fraction").__name__
    'Fraction'
    >>> shapes.names(), "circle" in shapes
    (['fraction'], False)
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

from pipeline.errors import MmserError, did_you_mean

T = TypeVar("T")


class Registry(Generic[T]):
    """The registered names of one kind of implementation, in the order given.

    Args:
        kind: What the names stand for, used in messages (``"audio backend"``).
        entries: Name → ``"package.module:attribute"`` of the implementation.
    """

    def __init__(self, kind: str, entries: Mapping[str, str]) -> None:
        for name, target in entries.items():
            if target.count(":") != 1:
                raise ValueError(f"{kind} {name!r}: {target!r} is not 'package.module:attribute'")
        self.kind = kind
        self._entries = dict(entries)

    def get(self, name: str) -> T:
        """The implementation registered as ``name`` (imported now), or an error naming choices."""
        if name not in self._entries:
            raise MmserError(self.unknown(name))
        module, attribute = self._entries[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def unknown(self, name: object) -> str:
        """Why ``name`` is refused: the registered names and the closest one."""
        suggestion = did_you_mean(name, self._entries) if isinstance(name, str) else ""
        return f"unknown {self.kind} {name!r}; choose one of {', '.join(self._entries)}{suggestion}"

    def names(self) -> list[str]:
        """The registered names, in registration order."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)
