"""Naming and path rules of the IEMOCAP_full_release tree.

One place knows how dialog and utterance ids look and where their files live; the parser and the
synthetic generator both use it, so they cannot drift apart.

Example:
    >>> name = parse_utterance_id("Ses05M_script01_1b_F012")
    >>> (name.dialog, name.session, name.speaker, name.mode)
    ('Ses05M_script01_1b', 5, 'F', 'script')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import MmserError

SESSIONS = (1, 2, 3, 4, 5)

DIALOG_RE = re.compile(r"^Ses(?P<session>\d{2})(?P<mocap>[FM])_(?P<mode>impro|script)\w*$")
UTTERANCE_RE = re.compile(
    r"^(?P<dialog>Ses\d{2}[FM]_(?:impro|script)\w*?)_(?P<speaker>[FM])(?P<turn>\d{3})$"
)
EMO_HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]"
EVALUATOR_SUBFOLDERS = ("Categorical", "Attribute", "Self-evaluation")


@dataclass(frozen=True)
class UtteranceName:
    """The parts of an utterance id such as ``Ses01F_impro01_M003``."""

    utterance_id: str
    dialog: str
    session: int
    speaker: str  # gender of the speaking actor: "F" or "M"
    mode: str  # "impro" or "script"

    @property
    def actor(self) -> str:
        """Speaker identity: session + speaking gender, e.g. ``Ses01_M``."""
        return f"Ses{self.session:02d}_{self.speaker}"


def is_dialog_name(name: str) -> bool:
    """Whether ``name`` is a dialog id like ``Ses03M_impro05a`` or ``Ses05M_script01_1b``."""
    return DIALOG_RE.match(name) is not None


def parse_utterance_id(utterance_id: str) -> UtteranceName:
    """Split an utterance id into its parts; raise ``ValueError`` if it is not one."""
    match = UTTERANCE_RE.match(utterance_id)
    if match is None:
        raise ValueError(f"not an IEMOCAP utterance id: {utterance_id!r}")
    dialog = match["dialog"]
    dialog_match = DIALOG_RE.match(dialog)
    assert dialog_match is not None  # UTTERANCE_RE only admits dialog-shaped prefixes
    return UtteranceName(
        utterance_id=utterance_id,
        dialog=dialog,
        session=int(dialog_match["session"]),
        speaker=match["speaker"],
        mode=dialog_match["mode"],
    )


def utterance_id(dialog: str, speaker: str, turn: int) -> str:
    """The id of a speaker's ``turn``-th utterance (from 0) in a dialog: ``Ses01F_impro01_M003``."""
    uid = f"{dialog}_{speaker}{turn:03d}"
    parse_utterance_id(uid)  # raises ValueError for a bad dialog, speaker or turn
    return uid


def dialog_session(dialog: str) -> int:
    """The session number (1..5) of a dialog id."""
    match = DIALOG_RE.match(dialog)
    if match is None:
        raise ValueError(f"not an IEMOCAP dialog id: {dialog!r}")
    return int(match["session"])


def session_dir(session: int) -> PurePosixPath:
    return PurePosixPath(f"Session{session}")


def emo_evaluation_path(dialog: str) -> PurePosixPath:
    """``SessionK/dialog/EmoEvaluation/<dialog>.txt`` relative to the corpus root."""
    return session_dir(dialog_session(dialog)) / "dialog" / "EmoEvaluation" / f"{dialog}.txt"


def transcription_path(dialog: str) -> PurePosixPath:
    """``SessionK/dialog/transcriptions/<dialog>.txt`` relative to the corpus root."""
    return session_dir(dialog_session(dialog)) / "dialog" / "transcriptions" / f"{dialog}.txt"


def dialog_wav_path(dialog: str) -> PurePosixPath:
    """``SessionK/dialog/wav/<dialog>.wav`` (two channels) relative to the corpus root."""
    return session_dir(dialog_session(dialog)) / "dialog" / "wav" / f"{dialog}.wav"


def dialog_avi_path(dialog: str) -> PurePosixPath:
    """``SessionK/dialog/avi/DivX/<dialog>.avi`` relative to the corpus root."""
    return session_dir(dialog_session(dialog)) / "dialog" / "avi" / "DivX" / f"{dialog}.avi"


def sentence_wav_path(utterance_id: str) -> PurePosixPath:
    """``SessionK/sentences/wav/<dialog>/<utterance>.wav`` relative to the corpus root."""
    name = parse_utterance_id(utterance_id)
    return session_dir(name.session) / "sentences" / "wav" / name.dialog / f"{utterance_id}.wav"


def is_stray(path: Path) -> bool:
    """macOS AppleDouble (``._x``) and other hidden files that are not corpus data."""
    return path.name.startswith(".")


def resolve_root(root: str | Path) -> Path:
    """The folder holding ``Session1..5``; accepts a nested ``IEMOCAP_full_release`` folder.

    Returns ``root`` itself when no session folder is found, so the caller reports the error.
    """
    root = Path(root)
    if any((root / f"Session{k}").is_dir() for k in SESSIONS):
        return root
    for child in sorted(root.glob("*")) if root.is_dir() else []:
        if child.is_dir() and any((child / f"Session{k}").is_dir() for k in SESSIONS):
            return child
    return root


RELEASE_CONTENT = (
    "the IEMOCAP_full_release folder, holding Session1..Session5 (each with "
    "dialog/EmoEvaluation, dialog/transcriptions and sentences/wav)"
)
ROOT_HINT = f"corpus.root in params.yaml must be {RELEASE_CONTENT}"


def release_root(root: str | Path) -> tuple[Path, list[int]]:
    """The folder holding the sessions (see :func:`resolve_root`) and the sessions found there.

    Raises:
        MmserError: naming ``root`` and what it must hold, if it does not exist or holds no
            session folder.
    """
    given = Path(root)
    if not given.is_dir():
        problem = "is not a folder" if given.exists() else "does not exist"
        raise MmserError(f"corpus root {problem}", file=given, hint=ROOT_HINT)
    found = resolve_root(given)
    sessions = [k for k in SESSIONS if (found / f"Session{k}").is_dir()]
    if not sessions:
        raise MmserError(
            "no Session1..Session5 folder under the corpus root",
            file=given,
            hint=ROOT_HINT,
        )
    return found, sessions
