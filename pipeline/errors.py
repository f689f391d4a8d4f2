"""The project's one exception type, and the "did you mean" hint of its messages.

Library code raises :class:`MmserError` (or wraps a third-party exception into it) with the file,
and where it applies the line, that caused the problem. Stages catch it at the top (see
:mod:`pipeline.stage`), print it (one line per problem) and exit non-zero.
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


def did_you_mean(word: str, choices: Iterable[str], *, prefix: str = "") -> str:
    """``"; did you mean `<prefix><closest>`?"`` for a near miss among ``choices``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{prefix}{close[0]}`?" if close else ""
