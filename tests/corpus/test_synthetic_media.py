"""Audio and video of the generated corpus: formats, consistency, and the emotion cues."""

from __future__ import annotations

from pathlib import Path

import cv2
import librosa
import numpy as np
import pytest
import soundfile as sf

from pipeline.corpus import layout
from pipeline.corpus.synthetic import CorpusPlan, SyntheticUtterance
from pipeline.corpus.synthetic.emotions import EMOTIONS

HIGH_AROUSAL = {"ang", "hap", "exc", "sur", "fea"}
LOW_AROUSAL = {"sad", "neu", "fru", "dis"}


def _cue(u: SyntheticUtterance, modality: str) -> str:
    return dict(u.cues)[modality]


def test_sentence_wavs_are_16k_mono_int16(tiny_corpus_plan: CorpusPlan) -> None:
    for u in tiny_corpus_plan.usable:
        info = sf.info(tiny_corpus_plan.root / layout.sentence_wav_path(u.utterance_id))
        assert (info.samplerate, info.channels, info.subtype, info.format) == (
            16000, 1, "PCM_16", "WAV"
        )  # fmt: skip
        assert info.frames == round((u.end - u.start) * 16000)


def test_dialog_wavs_are_two_channel_16k_int16(tiny_corpus_plan: CorpusPlan) -> None:
    for dialog in tiny_corpus_plan.dialogs:
        info = sf.info(tiny_corpus_plan.root / layout.dialog_wav_path(dialog))
        assert (info.samplerate, info.channels, info.subtype) == (16000, 2, "PCM_16")


def test_sentence_wav_is_the_speakers_channel_of_the_dialog_cut(
    tiny_corpus_plan: CorpusPlan,
) -> None:
    root = tiny_corpus_plan.root
    recordings: dict[str, np.ndarray] = {}
    for u in tiny_corpus_plan.usable:
        if u.dialog not in recordings:
            path = root / layout.dialog_wav_path(u.dialog)
            recordings[u.dialog], _ = sf.read(path, dtype="int16")
        cut = recordings[u.dialog][round(u.start * 16000) : round(u.end * 16000)]
        sentence, _ = sf.read(root / layout.sentence_wav_path(u.utterance_id), dtype="int16")
        own, other = (0, 1) if u.speaker == "F" else (1, 0)
        np.testing.assert_array_equal(sentence, cut[:, own])
        # the actor speaks mostly into their own microphone
        assert np.abs(cut[:, own].astype(float)).mean() > 4 * np.abs(cut[:, other]).mean()


def test_dialog_video_format(tiny_corpus_plan: CorpusPlan) -> None:
    fps = tiny_corpus_plan.params.video_fps
    for dialog in tiny_corpus_plan.dialogs[:3]:
        capture = cv2.VideoCapture(str(tiny_corpus_plan.root / layout.dialog_avi_path(dialog)))
        assert capture.isOpened()
        assert capture.get(cv2.CAP_PROP_FRAME_WIDTH) == 720
        assert capture.get(cv2.CAP_PROP_FRAME_HEIGHT) == 480
        assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(fps, abs=0.01)
        seconds = sf.info(tiny_corpus_plan.root / layout.dialog_wav_path(dialog)).duration
        assert capture.get(cv2.CAP_PROP_FRAME_COUNT) == pytest.approx(seconds * fps, abs=1)
        capture.release()


def _middle_frame(plan: CorpusPlan, u: SyntheticUtterance) -> np.ndarray:
    capture = cv2.VideoCapture(str(plan.root / layout.dialog_avi_path(u.dialog)))
    capture.set(cv2.CAP_PROP_POS_FRAMES, int((u.start + u.end) / 2 * capture.get(cv2.CAP_PROP_FPS)))
    ok, frame = capture.read()
    capture.release()
    assert ok
    return frame


def _halves(frame: np.ndarray, speaker: str) -> tuple[np.ndarray, np.ndarray]:
    """(speaker's, listener's) 224×224 centre crops; the female actor is on the left."""
    crops = [half[128:352, 68:292] for half in (frame[:, :360], frame[:, 360:])]
    return (crops[0], crops[1]) if speaker == "F" else (crops[1], crops[0])


def _saturation(crop: np.ndarray) -> float:
    return float(cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)[..., 1].mean())


def _hue_distance(first: str, second: str) -> float:
    degrees = abs(EMOTIONS[first].hue - EMOTIONS[second].hue) % 360
    return min(degrees, 360 - degrees)


def test_speaker_half_carries_the_cue_and_listener_half_is_idle(
    tiny_corpus_plan: CorpusPlan,
) -> None:
    # two utterances whose video cue labels have clearly different face colours
    by_cue = {_cue(u, "video"): u for u in tiny_corpus_plan.usable}
    a, b = max(((a, b) for a in by_cue for b in by_cue), key=lambda pair: _hue_distance(*pair))
    assert _hue_distance(a, b) > 90
    first, second = by_cue[a], by_cue[b]
    speaking, listening = zip(
        *(_halves(_middle_frame(tiny_corpus_plan, u), u.speaker) for u in (first, second)),
        strict=True,
    )
    for crop in speaking:
        assert _saturation(crop) > 2 * _saturation(listening[0])  # coloured vs grey face
    colour = [crop.reshape(-1, 3).mean(0) for crop in speaking]
    assert np.abs(colour[0] - colour[1]).max() > 40
    grey = [crop.reshape(-1, 3).mean(0) for crop in listening]
    assert np.abs(grey[0] - grey[1]).max() < 15


def _median_f0(path: Path) -> float:
    y, sr = sf.read(path, dtype="float32")
    f0 = librosa.yin(y, fmin=60, fmax=600, sr=sr, frame_length=1024, hop_length=160)
    rms = librosa.feature.rms(y=y, frame_length=1024, hop_length=160)[0][: len(f0)]
    return float(np.median(f0[: len(rms)][rms > 0.3 * rms.max()]))


@pytest.mark.parametrize("speaker", ["F", "M"])
def test_high_arousal_speech_has_higher_pitch(tiny_corpus_plan: CorpusPlan, speaker: str) -> None:
    pitch: dict[bool, list[float]] = {True: [], False: []}
    for u in tiny_corpus_plan.usable:
        cue = _cue(u, "audio")
        if u.speaker == speaker and cue in HIGH_AROUSAL | LOW_AROUSAL:
            path = tiny_corpus_plan.root / layout.sentence_wav_path(u.utterance_id)
            pitch[cue in HIGH_AROUSAL].append(_median_f0(path))
    assert len(pitch[True]) >= 3 and len(pitch[False]) >= 3
    assert np.median(pitch[True]) > 1.15 * np.median(pitch[False])
