"""Naming and path rules of the release."""

from __future__ import annotations

import pytest

from pipeline.corpus import layout


@pytest.mark.parametrize(
    ("uid", "dialog", "session", "speaker", "mode"),
    [
        ("Ses01F_impro01_F000", "Ses01F_impro01", 1, "F", "impro"),
        ("Ses01F_impro01_M013", "Ses01F_impro01", 1, "M", "impro"),
        ("Ses03M_impro05a_F002", "Ses03M_impro05a", 3, "F", "impro"),
        ("Ses05M_script01_1b_M021", "Ses05M_script01_1b", 5, "M", "script"),
        ("Ses02F_script02_2_F000", "Ses02F_script02_2", 2, "F", "script"),
    ],
)
def test_parse_utterance_id(uid: str, dialog: str, session: int, speaker: str, mode: str) -> None:
    name = layout.parse_utterance_id(uid)
    assert (name.dialog, name.session, name.speaker, name.mode) == (dialog, session, speaker, mode)
    assert name.actor == f"Ses{session:02d}_{speaker}"


@pytest.mark.parametrize(
    "bad", ["Ses01F_impro01_MXX0", "Ses01F_impro01", "M: sorry", "Ses1F_x_F000"]
)
def test_rejects_non_utterance_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="not an IEMOCAP utterance id"):
        layout.parse_utterance_id(bad)


def test_paths() -> None:
    uid = "Ses05M_script01_1b_F012"
    assert str(layout.sentence_wav_path(uid)) == (
        "Session5/sentences/wav/Ses05M_script01_1b/Ses05M_script01_1b_F012.wav"
    )
    dialog = "Ses03M_impro05a"
    assert (
        str(layout.emo_evaluation_path(dialog))
        == "Session3/dialog/EmoEvaluation/Ses03M_impro05a.txt"
    )
    assert str(layout.transcription_path(dialog)) == (
        "Session3/dialog/transcriptions/Ses03M_impro05a.txt"
    )
    assert str(layout.dialog_wav_path(dialog)) == "Session3/dialog/wav/Ses03M_impro05a.wav"
    assert str(layout.dialog_avi_path(dialog)) == "Session3/dialog/avi/DivX/Ses03M_impro05a.avi"
    assert layout.is_dialog_name(dialog) and not layout.is_dialog_name("notes")


def test_utterance_id_builds_parseable_ids() -> None:
    assert layout.utterance_id("Ses05M_script01_1b", "F", 12) == "Ses05M_script01_1b_F012"
    assert layout.parse_utterance_id(layout.utterance_id("Ses03M_impro05a", "M", 0)).speaker == "M"
    for bad in (("notes", "F", 1), ("Ses01F_impro01", "X", 1), ("Ses01F_impro01", "F", 1000)):
        with pytest.raises(ValueError):
            layout.utterance_id(*bad)
