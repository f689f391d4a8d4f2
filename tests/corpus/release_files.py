"""Hand-written release-format files for parser tests (independent of the synthetic generator)."""

from __future__ import annotations

from pathlib import Path

HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]"


def emo_block(uid: str, start: float, end: float, label: str, vad=(2.5, 2.5, 2.5)) -> str:
    v, a, d = vad
    return (
        f"[{start:.4f} - {end:.4f}]\t{uid}\t{label}\t[{v:.4f}, {a:.4f}, {d:.4f}]\n"
        "C-E2:\tNeutral;\t()\n"
        "C-E3:\tNeutral; Frustration;\t(a comment: with colon)\n"
        "A-E3:\tval 3; act 2; dom  2;\t()\n"
        "A-F1:\tval 3; act 2; dom  1;\t()\n"
    )


def write(path: Path, text: str | bytes, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.replace("\n", newline).encode("utf-8")
    path.write_bytes(text)
    return path


def write_dialog(
    root: Path,
    dialog: str,
    turns: list[tuple[str, float, float, str, str]],
    *,
    newline: str = "\n",
    wav_for: set[str] | None = None,
    extra_transcript_lines: tuple[str, ...] = (),
) -> None:
    """Write EmoEvaluation, transcription, sentence wavs (dummy bytes), dialog wav and avi.

    ``turns`` are ``(uid, start, end, label, text)``; ``wav_for`` limits which turns get a
    sentence wav (default: all).
    """
    session = root / f"Session{int(dialog[3:5])}"
    emo = HEADER + "\n\n" + "\n".join(emo_block(u, s, e, lab) for u, s, e, lab, _ in turns)
    write(session / "dialog" / "EmoEvaluation" / f"{dialog}.txt", emo, newline)
    lines = [f"{u} [{s:08.4f}-{e:08.4f}]: {t}" for u, s, e, _, t in turns]
    lines.extend(extra_transcript_lines)
    write(session / "dialog" / "transcriptions" / f"{dialog}.txt", "\n".join(lines) + "\n", newline)
    for uid, *_ in turns:
        if wav_for is None or uid in wav_for:
            write(session / "sentences" / "wav" / dialog / f"{uid}.wav", b"RIFF0000WAVE")
    write(session / "dialog" / "wav" / f"{dialog}.wav", b"RIFF0000WAVE")
    write(session / "dialog" / "avi" / "DivX" / f"{dialog}.avi", b"RIFF0000AVI ")
