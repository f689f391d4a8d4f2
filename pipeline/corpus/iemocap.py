"""Parse an IEMOCAP_full_release tree into manifest records.

Parses by the release's documented format, not by what the synthetic
generator writes: label files are the top-level ``EmoEvaluation/<dialog>.txt`` files (evaluator
sub-folders, AppleDouble ``._*`` and other stray files are ignored and reported); transcription
lines are split at the first ``]:`` so a colon inside the text stays part of it; CRLF is
accepted, and a line that is not valid UTF-8 is read as latin-1 (that line only; each such
``file:line`` is reported). A malformed label line is an error naming the file and line.

Listed utterances without a sentence wav, a transcription file or a transcription line are
skipped with the reason (``manifest_skipped.csv``) and logged as a warning with counts per reason
and the first files concerned.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path

from pipeline.corpus import layout
from pipeline.errors import MmserError
from pipeline.manifest import Utterance, validate

log = logging.getLogger(__name__)

RAW_LABELS = ("ang", "hap", "exc", "sad", "neu", "fru", "sur", "fea", "dis", "oth", "xxx")

_NUMBER = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
_UTTERANCE_LINE = re.compile(
    rf"^\[\s*(?P<start>{_NUMBER})\s*-\s*(?P<end>{_NUMBER})\s*\]\s+(?P<uid>\S+)\s+(?P<label>\S+)"
    rf"\s+\[\s*(?P<v>{_NUMBER}|nan)\s*,\s*(?P<a>{_NUMBER}|nan)\s*,\s*(?P<d>{_NUMBER}|nan)\s*\]\s*$",
    re.IGNORECASE,
)
_EVALUATOR_LINE = re.compile(r"^[A-Z]+-[A-Za-z0-9]+\s*:")
_TRANSCRIPT_LINE = re.compile(r"^(?P<uid>\S+)\s*\[[^\]]*\]\s*:(?P<text>.*)$")


@dataclass(frozen=True)
class LabelEntry:
    """One utterance line of an EmoEvaluation file."""

    utterance_id: str
    start: float
    end: float
    label: str
    valence: float
    arousal: float
    dominance: float
    file: Path
    line: int


@dataclass(frozen=True)
class Skipped:
    """A listed utterance that cannot be used, with the reason."""

    utterance_id: str
    session: int
    label_raw: str
    reason: str
    source: str  # file:line of the label entry
    file: str  # the missing or incomplete file, relative to the corpus root


@dataclass
class ParseResult:
    """Everything the parser found: usable utterances, skipped ones, and report counters."""

    root: Path
    utterances: list[Utterance] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    ignored_transcript_lines: list[str] = field(default_factory=list)
    missing_dialog_wav: list[str] = field(default_factory=list)
    missing_dialog_avi: list[str] = field(default_factory=list)
    latin1_lines: list[str] = field(default_factory=list)  # file:line not valid UTF-8

    def report(self) -> dict[str, object]:
        """Counts per session and raw label, skip reasons and ignored material (JSON-ready)."""
        per_session = Counter(f"Session{u.session}" for u in self.utterances)
        per_label = Counter(u.label_raw for u in self.utterances)
        per_session_label: dict[str, dict[str, int]] = {}
        for u in self.utterances:
            bucket = per_session_label.setdefault(f"Session{u.session}", {})
            bucket[u.label_raw] = bucket.get(u.label_raw, 0) + 1
        return {
            "root": str(self.root),
            "utterances": len(self.utterances),
            "skipped": len(self.skipped),
            "listed": len(self.utterances) + len(self.skipped),
            "per_session": dict(sorted(per_session.items())),
            "per_label": dict(sorted(per_label.items())),
            "per_session_label": dict(sorted(per_session_label.items())),
            "per_mode": dict(sorted(Counter(u.mode for u in self.utterances).items())),
            "skip_reasons": dict(Counter(s.reason for s in self.skipped)),
            "ignored_files": self.ignored_files,
            "ignored_transcript_lines": len(self.ignored_transcript_lines),
            "ignored_transcript_line_examples": self.ignored_transcript_lines[:20],
            "missing_dialog_wav": self.missing_dialog_wav,
            "missing_dialog_avi": self.missing_dialog_avi,
            "latin1_lines": self.latin1_lines,
        }

    def warnings(self, limit: int = 3) -> list[str]:
        """One line per kind of problem: skips per reason, missing dialog files, latin-1 lines."""
        out = []
        if self.skipped:
            out.append(
                f"{len(self.skipped)} of {len(self.skipped) + len(self.utterances)} listed "
                "utterance(s) skipped (listed in manifest_skipped.csv):"
            )
        by_reason: dict[str, Counter[str]] = {}
        for s in self.skipped:
            by_reason.setdefault(s.reason, Counter())[s.file] += 1
        for reason, files in sorted(by_reason.items(), key=lambda item: -item[1].total()):
            shown = ", ".join(f"{f} ({n})" if n > 1 else f for f, n in list(files.items())[:limit])
            out.append(f"  {files.total()}× {reason}: {shown}{_more(len(files), limit)}")
        for what, items in (
            ("dialog wav(s) missing", self.missing_dialog_wav),
            ("dialog video(s) missing", self.missing_dialog_avi),
            ("line(s) not valid UTF-8, read as latin-1", self.latin1_lines),
        ):
            if items:
                shown = ", ".join(items[:limit])
                out.append(f"{len(items)} {what}: {shown}{_more(len(items), limit)}")
        return out


def _more(count: int, limit: int) -> str:
    return f" and {count - limit} more" if count > limit else ""


def read_lines(path: Path, latin1_lines: list[str] | None = None) -> list[str]:
    """Lines of a text file without line endings (LF, CRLF or CR; a UTF-8 BOM is dropped).

    Each line is decoded as UTF-8; a line that is not valid UTF-8 is decoded as latin-1 (every
    byte one character) and its ``file:line`` appended to ``latin1_lines``.

    Raises:
        MmserError: naming the file if it cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MmserError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    lines = []
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).splitlines(), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("latin-1"))
            if latin1_lines is not None:
                latin1_lines.append(f"{path}:{number}")
    return lines


def parse_emo_evaluation(
    path: Path, dialog: str, latin1_lines: list[str] | None = None
) -> list[LabelEntry]:
    """Parse the utterance lines of one top-level EmoEvaluation file.

    Lines read as latin-1 are appended to ``latin1_lines`` (see :func:`read_lines`).

    Raises:
        MmserError: naming the file and line, for a line that is neither an utterance line, an
            evaluator line (``C-E1:``, ``A-F1:`` ...), a ``%`` comment nor blank; for an
            utterance of another dialog, an unknown label, or ``start >= end``.
    """
    entries = []
    for number, raw in enumerate(read_lines(path, latin1_lines), start=1):
        line = raw.strip()
        if not line or line.startswith("%") or _EVALUATOR_LINE.match(line):
            continue
        match = _UTTERANCE_LINE.match(line)
        if match is None:
            raise MmserError(
                f"not an EmoEvaluation line (expected '[START - END]<TAB>ID<TAB>LABEL<TAB>"
                f"[V, A, D]' or an evaluator line): {raw[:120]!r}",
                file=path,
                line=number,
            )
        uid, label = match["uid"], match["label"].lower()
        try:
            name = layout.parse_utterance_id(uid)
        except ValueError as exc:
            raise MmserError(str(exc), file=path, line=number) from None
        if name.dialog != dialog:
            raise MmserError(
                f"utterance {uid} belongs to dialog {name.dialog}, not {dialog}",
                file=path,
                line=number,
            )
        if label not in RAW_LABELS:
            raise MmserError(
                f"unknown label {label!r} for {uid}; expected one of {', '.join(RAW_LABELS)}",
                file=path,
                line=number,
            )
        start, end = float(match["start"]), float(match["end"])
        if not 0 <= start < end:
            raise MmserError(
                f"utterance {uid} has start {start} >= end {end}", file=path, line=number
            )
        entries.append(
            LabelEntry(
                uid,
                start,
                end,
                label,
                float(match["v"]),
                float(match["a"]),
                float(match["d"]),
                path,
                number,
            )
        )
    return entries


def parse_transcription(
    path: Path, latin1_lines: list[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Map utterance id → text for one transcription file, plus the lines that are not turns.

    Text is everything after the first ``]:`` (so colons inside it are kept), stripped. Lines
    without an utterance id (``M: sorry``) and ``XX`` turns, which have no label, are returned
    as ignored lines (``file:line: text``). Lines read as latin-1 are appended to
    ``latin1_lines`` (see :func:`read_lines`).
    """
    texts: dict[str, str] = {}
    ignored: list[str] = []
    for number, raw in enumerate(read_lines(path, latin1_lines), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _TRANSCRIPT_LINE.match(line)
        if match is None or layout.UTTERANCE_RE.match(match["uid"]) is None:
            ignored.append(f"{path.name}:{number}: {line[:80]}")
            continue
        uid, text = match["uid"], match["text"].strip()
        if uid in texts and texts[uid] != text:
            raise MmserError(
                f"utterance {uid} is transcribed twice with different text", file=path, line=number
            )
        texts[uid] = text
    return texts, ignored


def _dialog_files(folder: Path, result: ParseResult) -> dict[str, Path]:
    """Top-level ``<dialog>.txt`` files of a folder; everything else is recorded as ignored."""
    files: dict[str, Path] = {}
    if not folder.is_dir():
        return files
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name in layout.EVALUATOR_SUBFOLDERS:
            continue
        if (
            path.is_file()
            and path.suffix == ".txt"
            and not layout.is_stray(path)
            and layout.is_dialog_name(path.stem)
        ):
            files[path.stem] = path
        else:
            result.ignored_files.append(str(path.relative_to(result.root)))
    return files


def _sentence_wavs(session_root: Path) -> set[str]:
    """Utterance ids that have a sentence wav in ``sentences/wav/<dialog>/``."""
    found = set()
    for wav in (session_root / "sentences" / "wav").glob("*/*.wav"):
        if not layout.is_stray(wav):
            found.add(wav.stem)
    return found


def parse_corpus(root: str | Path) -> ParseResult:
    """Parse the release at ``root`` (or a nested ``IEMOCAP_full_release`` below it).

    Every utterance listed in an EmoEvaluation file becomes either a manifest record or a
    :class:`Skipped` entry with its reason; nothing listed is dropped silently.

    Raises:
        MmserError: if ``root`` does not exist or holds no session folders, or a label or
            transcription file is malformed (naming the file and line).
    """
    root, sessions = layout.release_root(root)
    result = ParseResult(root=root)
    for session in sessions:
        _parse_session(root, session, result)
    result.utterances.sort(key=lambda u: u.utterance_id)
    result.skipped.sort(key=lambda s: s.utterance_id)
    result.latin1_lines = [line.removeprefix(f"{root}/") for line in result.latin1_lines]
    validate(result.utterances, source=root)
    log.info(
        "parsed %d utterances (%d skipped) from %d session(s) under %s",
        len(result.utterances),
        len(result.skipped),
        len(sessions),
        root,
    )
    for line in result.warnings():
        log.warning("%s", line)
    return result


def _parse_session(root: Path, session: int, result: ParseResult) -> None:
    session_root = root / f"Session{session}"
    label_files = _dialog_files(session_root / "dialog" / "EmoEvaluation", result)
    transcript_files = _dialog_files(session_root / "dialog" / "transcriptions", result)
    wavs = _sentence_wavs(session_root)
    seen: dict[str, LabelEntry] = {}
    for dialog, label_file in label_files.items():
        texts: dict[str, str] = {}
        transcript = transcript_files.get(dialog)
        if transcript is not None:
            texts, ignored = parse_transcription(transcript, result.latin1_lines)
            result.ignored_transcript_lines.extend(ignored)
        dialog_wav = _existing(root, layout.dialog_wav_path(dialog), result.missing_dialog_wav)
        dialog_avi = _existing(root, layout.dialog_avi_path(dialog), result.missing_dialog_avi)
        for entry in parse_emo_evaluation(label_file, dialog, result.latin1_lines):
            uid = entry.utterance_id
            if uid in seen:
                first = seen[uid]
                raise MmserError(
                    f"utterance {uid} is listed twice (first at {first.file}:{first.line})",
                    file=entry.file,
                    line=entry.line,
                )
            seen[uid] = entry
            source = f"{label_file.relative_to(root)}:{entry.line}"
            missing = _missing_input(uid, dialog, wavs, transcript, texts)
            if missing is not None:
                reason, file = missing
                result.skipped.append(Skipped(uid, session, entry.label, reason, source, file))
                continue
            name = layout.parse_utterance_id(uid)
            result.utterances.append(
                Utterance(
                    utterance_id=uid,
                    session=session,
                    dialog=dialog,
                    mode=name.mode,
                    speaker=name.speaker,
                    start=entry.start,
                    end=entry.end,
                    label_raw=entry.label,
                    valence=entry.valence,
                    arousal=entry.arousal,
                    dominance=entry.dominance,
                    transcript=texts[uid],
                    wav=str(layout.sentence_wav_path(uid)),
                    dialog_wav=dialog_wav,
                    dialog_avi=dialog_avi,
                )
            )


def _missing_input(
    uid: str, dialog: str, wavs: set[str], transcript: Path | None, texts: dict[str, str]
) -> tuple[str, str] | None:
    """``(reason, file)`` when an utterance lacks its sentence wav or transcript, else None."""
    if uid not in wavs:
        return "missing sentence wav", str(layout.sentence_wav_path(uid))
    if transcript is None:
        return "no transcription file", str(layout.transcription_path(dialog))
    if uid not in texts:
        return "no transcription line", str(layout.transcription_path(dialog))
    return None


def _existing(root: Path, relative: Path | object, missing: list[str]) -> str:
    """``relative`` as a string if the file exists under ``root``; else record it and return ''."""
    if (root / str(relative)).is_file():
        return str(relative)
    if str(relative) not in missing:
        missing.append(str(relative))
    return ""


SKIPPED_COLUMNS = tuple(f.name for f in fields(Skipped))


def write_outputs(result: ParseResult, manifest: Path, skipped: Path, report: Path) -> None:
    """Write ``manifest.csv``, ``manifest_skipped.csv`` and ``manifest_report.json`` atomically."""
    from dataclasses import asdict

    from pipeline.io import write_csv, write_json
    from pipeline.manifest import write_manifest

    write_manifest(manifest, result.utterances)
    write_csv(skipped, (asdict(s) for s in result.skipped), SKIPPED_COLUMNS)
    write_json(report, result.report())
