"""Render one planned dialog into its release files (runs in a worker process per dialog)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus import layout
from pipeline.corpus.synthetic import annotations, audio, tts, video
from pipeline.corpus.synthetic.plan import DialogPlan
from pipeline.corpus.synthetic.release import write_apple_double
from pipeline.corpus.synthetic.timeline import place_turns


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


def render_dialog(plan: DialogPlan, root: Path, fps: float) -> list[SyntheticUtterance]:
    """Synthesize, mix, draw and write every file of one dialog under ``root``.

    Returns:
        The dialog's listed utterances with their times.
    """
    speech = [
        tts.synthesize(tts.spoken_text(turn.transcript), voice=turn.voice.name,
                       pitch=turn.voice.pitch, pitch_range=turn.voice.pitch_range,
                       rate=turn.voice.rate, volume=turn.voice.volume)
        for turn in plan.turns
    ]  # fmt: skip
    timed, length = place_turns(plan, speech)
    recording = audio.mix_dialog(timed, speech, length, plan.seed)
    dialog = plan.dialog
    written = [root / layout.dialog_wav_path(dialog), root / layout.dialog_avi_path(dialog)]
    audio.write_wav(written[0], recording)
    video.write_dialog_video(written[1], timed, length, fps, plan.seed)
    for item in timed:
        if item.turn.has_wav:
            path = root / layout.sentence_wav_path(item.turn.turn_id)
            audio.write_wav(path, audio.sentence_cut(recording, item))
    texts = {
        layout.emo_evaluation_path(dialog): annotations.emo_evaluation(timed),
        layout.transcription_path(dialog): annotations.transcription(plan, timed),
    }
    folder = layout.emo_evaluation_path(dialog).parent
    texts.update({folder / name: text for name, text in annotations.evaluator_files(dialog, timed).items()})  # fmt: skip
    for relative, text in texts.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if plan.apple_double:
        written += [
            root / layout.emo_evaluation_path(dialog),
            root / layout.transcription_path(dialog),
        ]
        for path in written:
            write_apple_double(path)
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
