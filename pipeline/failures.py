"""Per-utterance failure records (``failed.csv``) and the ``on_error`` policy.

A failed utterance is never dropped silently or zero-filled without a record: extractors write
one row per failure, and the stage either stops with a summary (``on_error: fail``) or goes on
(``on_error: skip``) so downstream stages can exclude the failures explicitly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from pipeline.errors import MmserError
from pipeline.io import read_csv, write_csv

OnError = Literal["fail", "skip"]
FAILURE_COLUMNS = ("utterance_id", "stage", "file", "reason")


@dataclass(frozen=True)
class FailureRecord:
    """One utterance a stage could not process."""

    utterance_id: str
    stage: str
    file: str
    reason: str


def write_failures(path: str | Path, records: Iterable[FailureRecord]) -> int:
    """Write ``failed.csv`` (header only when there are none); return the number of rows."""
    return write_csv(path, (asdict(r) for r in records), FAILURE_COLUMNS)


def read_failures(path: str | Path) -> list[FailureRecord]:
    """Read a ``failed.csv``; a missing file means no failures."""
    if not Path(path).exists():
        return []
    return [FailureRecord(**row) for row in read_csv(path, FAILURE_COLUMNS)]


def failed_ids(paths: Iterable[str | Path]) -> set[str]:
    """The utterance ids listed in any of the given ``failed.csv`` files."""
    return {r.utterance_id for path in paths for r in read_failures(path)}


def summarize(records: Sequence[FailureRecord], limit: int = 5) -> str:
    """A short human summary: count, most common reasons, first few utterances."""
    reasons = Counter(r.reason for r in records).most_common(3)
    shown = ", ".join(f"{r.utterance_id} ({r.file})" for r in records[:limit])
    more = f" and {len(records) - limit} more" if len(records) > limit else ""
    top = "; ".join(f"{n}× {reason}" for reason, n in reasons)
    return f"{len(records)} utterance(s) failed: {shown}{more}. Reasons: {top}"


def apply_policy(
    records: Sequence[FailureRecord], on_error: OnError, failed_csv: str | Path
) -> None:
    """Raise a summary error if there are failures and ``on_error`` is ``fail``."""
    if records and on_error == "fail":
        raise MmserError(
            summarize(records),
            file=failed_csv,
            hint="fix the inputs, or set on_error: skip to write the rest and exclude these",
        )
