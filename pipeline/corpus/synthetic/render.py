"""Render one planned dialog into its release files (runs in a worker process per dialog)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus import layout
from pipeline.corpus.synthetic import annotations, audio, tts, video
from pipeline.corpus.synthetic.plan import DialogPlan
from pipeline.corpus.synthetic.release import write_apple_double
from pipeline.corpus.synthetic.timeline import TimedTurn, place_turns


@dataclass(frozen=True)
class SyntheticUtterance:
    """A listed utterance as the generated corpus holds it (what a parser must recover).

    ``cues`` says which label's cue each modality shows (``text`` may be
    ``group:<valence group>``), for tests and analysis.
    """

    utterance_id: str
    session: int
    dialog: str
    mode: str
    speaker: str
    start: float
    end: float
    label: str
    valence: float
    arousal: float
    dominance: float
    transcript: str
    has_wav: bool
    cues: tuple[tuple[str, str], ...]


def write_text_files(plan: DialogPlan, timed: Sequence[TimedTurn], root: Path) -> None:
    """Write the dialog's label, evaluator and transcription files under ``root``."""
    dialog = plan.dialog
    texts = {
        layout.emo_evaluation_path(dialog): annotations.emo_evaluation(timed),
        layout.transcription_path(dialog): annotations.transcription(plan, timed),
    }
    folder = layout.emo_evaluation_path(dialog).parent
    for name, text in annotations.evaluator_files(dialog, timed).items():
        texts[folder / name] = text
    for relative, text in texts.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def render_dialog(plan: DialogPlan, root: Path, fps: float) -> list[SyntheticUtterance]:
    """Synthesize, mix, draw and write every file of one dialog under ``root``.

    Returns:
        The dialog's listed utterances with their times.
    """
    speech = [tts.synthesize(tts.spoken_text(t.transcript), t.voice) for t in plan.turns]
    timed, length = place_turns(plan, speech)
    recording = audio.mix_dialog(timed, speech, length, plan.seed)
    dialog = plan.dialog
    audio.write_wav(root / layout.dialog_wav_path(dialog), recording)
    video.write_dialog_video(root / layout.dialog_avi_path(dialog), timed, length, fps, plan.seed)
    for item in timed:
        if item.turn.has_wav:
            path = root / layout.sentence_wav_path(item.turn.turn_id)
            audio.write_wav(path, audio.sentence_cut(recording, item))
    write_text_files(plan, timed, root)
    if plan.apple_double:  # macOS companions beside the label, transcript, wav and avi files
        for relative in (
            layout.emo_evaluation_path(dialog),
            layout.transcription_path(dialog),
            layout.dialog_wav_path(dialog),
            layout.dialog_avi_path(dialog),
        ):
            write_apple_double(root / relative)
    return [
        SyntheticUtterance(
            utterance_id=item.turn.turn_id,
            session=plan.session,
            dialog=dialog,
            mode=plan.mode,
            speaker=item.turn.speaker,
            start=item.start_s,
            end=item.end_s,
            label=item.turn.label,
            valence=item.turn.vad[0],
            arousal=item.turn.vad[1],
            dominance=item.turn.vad[2],
            transcript=item.turn.transcript,
            has_wav=item.turn.has_wav,
            cues=item.turn.cues,
        )
        for item in timed
        if item.turn.listed
    ]
