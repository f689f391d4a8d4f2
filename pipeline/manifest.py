"""The manifest: one row per usable utterance, the record every later stage consumes.

Rows are in the canonical order of the original code (sorted by utterance id, which is sessions
1..5, dialogs and turns in order); every per-utterance array downstream is aligned with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pipeline.errors import MmserError
from pipeline.io import read_csv, write_csv


@dataclass(frozen=True)
class Utterance:
    """One labelled turn of the release.

    Paths are relative to the corpus root (POSIX separators); ``dialog_wav``/``dialog_avi`` are
    empty strings when the release lacks that file.
    """

    utterance_id: str
    session: int
    dialog: str
    mode: str  # impro | script
    speaker: str  # F | M: gender of the speaking actor
    start: float  # seconds inside the dialog recording
    end: float
    label_raw: str  # ang, hap, exc, sad, neu, fru, sur, fea, dis, oth, xxx
    valence: float
    arousal: float
    dominance: float
    transcript: str
    wav: str
    dialog_wav: str
    dialog_avi: str

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def actor(self) -> str:
        """Speaker identity (session + gender), e.g. ``Ses01_F``."""
        return f"Ses{self.session:02d}_{self.speaker}"


MANIFEST_COLUMNS = tuple(f.name for f in fields(Utterance))
_FLOATS = ("start", "end", "valence", "arousal", "dominance")


def _to_row(u: Utterance) -> dict[str, object]:
    row: dict[str, object] = asdict(u)
    for key in _FLOATS:
        row[key] = f"{getattr(u, key):.4f}"
    return row


def write_manifest(path: str | Path, utterances: Iterable[Utterance]) -> int:
    """Write ``manifest.csv`` atomically; return the row count."""
    return write_csv(path, (_to_row(u) for u in utterances), MANIFEST_COLUMNS)


def read_manifest(path: str | Path) -> list[Utterance]:
    """Read ``manifest.csv`` back into :class:`Utterance` records, checking it as it goes."""
    rows = read_csv(path, MANIFEST_COLUMNS)
    utterances = []
    for line, row in enumerate(rows, start=2):
        try:
            values: dict[str, object] = {k: row[k] for k in MANIFEST_COLUMNS}
            values["session"] = int(row["session"])
            for key in _FLOATS:
                values[key] = float(row[key])
        except ValueError as exc:
            raise MmserError(f"bad manifest row: {exc}", file=path, line=line) from None
        utterances.append(Utterance(**values))  # type: ignore[arg-type]
    validate(utterances, source=path)
    return utterances


def validate(utterances: Sequence[Utterance], source: str | Path = "manifest") -> None:
    """Check unique ids and ``0 <= start < end``; errors name the utterance."""
    seen: set[str] = set()
    for u in utterances:
        if u.utterance_id in seen:
            raise MmserError(f"duplicate utterance id {u.utterance_id}", file=source)
        seen.add(u.utterance_id)
        if not 0 <= u.start < u.end:
            raise MmserError(
                f"utterance {u.utterance_id} has start {u.start} and end {u.end}; "
                "expected 0 <= start < end",
                file=source,
            )
