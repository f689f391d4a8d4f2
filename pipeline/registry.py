"""A tiny name → class registry used for every swappable backend (audio, ASR, video weights).

Example:
    >>> backends: Registry[type] = Registry("audio backend")
    >>> @backends.register("dummy")
    ... class Dummy: ...
    >>> backends.get("dummy") is Dummy
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pipeline.errors import MmserError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps a params value (e.g. ``"opensmile"``) to the object that implements it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Class decorator that registers ``obj`` under ``name``."""

        def decorate(obj: T) -> T:
            if name in self._items:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = obj
            return obj

        return decorate

    def get(self, name: str) -> T:
        """Return what is registered under ``name`` or raise an error listing the choices."""
        try:
            return self._items[name]
        except KeyError:
            raise MmserError(
                f"unknown {self.kind} {name!r}; choose one of {', '.join(self.names())}"
            ) from None

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items
