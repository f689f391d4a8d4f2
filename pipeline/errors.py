"""The project's exception types, and the "did you mean" hint of its messages.

Library code raises :class:`MmserError` (or wraps a third-party exception into it) with the file,
and where it applies the line, that caused the problem. Stages catch it at the top (see
:mod:`pipeline.stage`), print it (one line per problem) and exit non-zero. :class:`StopRun` marks
the errors that are not one input's fault; :class:`Interrupted` is a SIGINT/SIGTERM turned into
an exception.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class MmserError(Exception):
    """A user-facing error that names the offending file (and line) when there is one.

    Args:
        message: What is wrong, with the values involved.
        file: The file the problem is in, if any.
        line: The 1-based line number inside ``file``, if any.
        hint: An optional suggestion on how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def __reduce__(self) -> tuple:
        """Pickle with the file, line and hint (errors travel back from worker processes)."""
        return _rebuild, (type(self), self.message, self.file, self.line, self.hint), self.__dict__


def _rebuild(
    cls: type[MmserError], message: str, file: str | None, line: int | None, hint: str | None
) -> MmserError:
    error = Exception.__new__(cls)
    MmserError.__init__(error, message, file=file, line=line, hint=hint)
    return error


class StopRun(MmserError):
    """An error that stops the whole run instead of failing one item: the machine or a service
    failed (an unusable cache folder, a worker process that died, missing credentials), not the
    item's input. :func:`pipeline.parallel.parallel_map` lets it through; other exceptions raised
    for an item become that item's failure."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; raised once whatever was running stopped cleanly (stages exit
    with 128 + the signal number)."""

    def __init__(self, signum: int = 2) -> None:
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")

    def __reduce__(self) -> tuple:
        return type(self), (self.signum,)


def did_you_mean(word: str, choices: Iterable[str], *, prefix: str = "") -> str:
    """``"; did you mean `<prefix><closest>`?"`` for a near miss among ``choices``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{prefix}{close[0]}`?" if close else ""
