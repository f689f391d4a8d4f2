"""The IEMOCAP parser on hand-written release-format files, one test per quirk of the release."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.corpus.iemocap import parse_corpus, parse_emo_evaluation, parse_transcription
from pipeline.errors import MmserError
from tests.corpus.release_files import HEADER, emo_block, write, write_dialog

IMPRO = "Ses01F_impro01"
TURNS = [
    ("Ses01F_impro01_F000", 6.2901, 8.2357, "neu", "Excuse me."),
    ("Ses01F_impro01_M000", 8.5, 10.25, "ang", "Listen: I said no."),
    ("Ses01F_impro01_F001", 10.5, 12.0, "xxx", "Café au lait, s'il vous plaît."),
]


@pytest.fixture
def release(tmp_path: Path) -> Path:
    root = tmp_path / "IEMOCAP_full_release"
    write_dialog(
        root,
        IMPRO,
        TURNS,
        extra_transcript_lines=("M: sorry.", "Ses01F_impro01_MXX0 [012.1000-013.0000]: Mm-hmm."),
    )
    write_dialog(root, "Ses03M_impro05a", [("Ses03M_impro05a_M000", 1.0, 2.5, "hap", "Yes!")])
    write_dialog(
        root, "Ses05M_script01_1b", [("Ses05M_script01_1b_F012", 3.0, 4.0, "exc", "Great.")]
    )
    return root


def test_parses_every_turn_with_its_fields(release: Path) -> None:
    result = parse_corpus(release)
    ids = [u.utterance_id for u in result.utterances]
    assert ids == sorted(ids)
    assert ids == sorted(
        [
            "Ses01F_impro01_F000",
            "Ses01F_impro01_F001",
            "Ses01F_impro01_M000",
            "Ses03M_impro05a_M000",
            "Ses05M_script01_1b_F012",
        ]
    )
    first = result.utterances[0]
    assert (first.session, first.dialog, first.mode, first.speaker) == (1, IMPRO, "impro", "F")
    assert (first.start, first.end, first.label_raw) == (6.2901, 8.2357, "neu")
    assert (first.valence, first.arousal, first.dominance) == (2.5, 2.5, 2.5)
    assert first.wav == "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000.wav"
    assert first.dialog_wav == "Session1/dialog/wav/Ses01F_impro01.wav"
    assert first.dialog_avi == "Session1/dialog/avi/DivX/Ses01F_impro01.avi"
    by_id = {u.utterance_id: u for u in result.utterances}
    script = by_id["Ses05M_script01_1b_F012"]
    assert (script.session, script.dialog, script.mode, script.speaker) == (
        5,
        "Ses05M_script01_1b",
        "script",
        "F",
    )
    assert by_id["Ses03M_impro05a_M000"].dialog == "Ses03M_impro05a"


def test_colon_and_non_ascii_text_are_kept(release: Path) -> None:
    by_id = {u.utterance_id: u for u in parse_corpus(release).utterances}
    assert by_id["Ses01F_impro01_M000"].transcript == "Listen: I said no."
    assert by_id["Ses01F_impro01_F001"].transcript == "Café au lait, s'il vous plaît."


def test_non_turn_transcription_lines_are_ignored_and_reported(release: Path) -> None:
    result = parse_corpus(release)
    report = result.report()
    assert report["ignored_transcript_lines"] == 2
    assert any("M: sorry." in line for line in report["ignored_transcript_line_examples"])
    assert "Ses01F_impro01_MXX0" not in {u.utterance_id for u in result.utterances}


def test_evaluator_subfolders_and_stray_files_are_ignored(release: Path) -> None:
    emo = release / "Session1" / "dialog" / "EmoEvaluation"
    # per-evaluator files with utterance ids must not be read as label files
    write(emo / "Categorical" / f"{IMPRO}_e1_cat.txt", f"{TURNS[0][0]} :Anger; ()\n")
    write(emo / "Attribute" / f"{IMPRO}_e1_atr.txt", "garbage that is not a label file\n")
    write(emo / "Self-evaluation" / f"{IMPRO}_s.txt", "garbage\n")
    write(emo / f"._{IMPRO}.txt", bytes([0, 5, 22, 7, 0, 2, 0, 0, 0xFF, 0xFE]))
    write(release / "Session1" / "dialog" / "transcriptions" / f"._{IMPRO}.txt", b"\x00\x05\x16")
    write(emo / "notes.txt", "random notes\n")
    result = parse_corpus(release)
    assert len(result.utterances) == 5
    assert {u.label_raw for u in result.utterances if u.dialog == IMPRO} == {"neu", "ang", "xxx"}
    ignored = result.report()["ignored_files"]
    assert f"Session1/dialog/EmoEvaluation/._{IMPRO}.txt" in ignored
    assert "Session1/dialog/EmoEvaluation/notes.txt" in ignored


def test_one_non_utf8_line_falls_back_alone_and_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "rel"
    write_dialog(root, IMPRO, TURNS)
    trans = root / "Session1" / "dialog" / "transcriptions" / f"{IMPRO}.txt"
    trans.write_bytes(
        f"{TURNS[0][0]} [006.2901-008.2357]: Caf\xc3\xa9 na\xc3\xafve.\n".encode("latin-1")
        + f"{TURNS[1][0]} [008.5000-010.2500]: Caf\xe9 time.\n".encode("latin-1")
        + f"{TURNS[2][0]} [010.5000-012.0000]: \u00fcber.\n".encode()
    )
    with caplog.at_level("WARNING"):
        result = parse_corpus(root)
    by_id = {u.utterance_id: u.transcript for u in result.utterances}
    assert by_id == {TURNS[0][0]: "Café naïve.", TURNS[1][0]: "Café time.", TURNS[2][0]: "über."}
    where = f"Session1/dialog/transcriptions/{IMPRO}.txt:2"
    assert result.report()["latin1_lines"] == [where]
    assert f"1 line(s) not valid UTF-8, read as latin-1: {where}" in caplog.text


def test_missing_transcription_file_is_reported_with_counts_and_file(
    release: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (release / "Session1" / "dialog" / "transcriptions" / f"{IMPRO}.txt").unlink()
    wav = (
        release / "Session3" / "sentences" / "wav" / "Ses03M_impro05a" / "Ses03M_impro05a_M000.wav"
    )
    wav.unlink()
    with caplog.at_level("WARNING"):
        result = parse_corpus(release)
    assert len(result.utterances) == 1
    files = {s.utterance_id: (s.reason, s.file) for s in result.skipped}
    assert files[TURNS[0][0]] == (
        "no transcription file",
        f"Session1/dialog/transcriptions/{IMPRO}.txt",
    )
    lines = caplog.text.splitlines()
    assert any("4 of 5 listed utterance(s) skipped" in line for line in lines)
    assert any(
        f"3× no transcription file: Session1/dialog/transcriptions/{IMPRO}.txt (3)" in line
        for line in lines
    )
    assert any(
        "1× missing sentence wav: Session3/sentences/wav/Ses03M_impro05a/Ses03M_impro05a_M000.wav"
        in line
        for line in lines
    )


def test_skip_summary_shows_the_first_files_and_how_many_more(tmp_path: Path) -> None:
    root = tmp_path / "rel"
    turns = [(f"Ses01F_impro01_F{i:03d}", i + 1.0, i + 1.5, "neu", "Hi.") for i in range(5)]
    write_dialog(root, IMPRO, turns, wav_for=set())
    lines = parse_corpus(root).warnings(limit=2)
    wav = "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F00"
    assert lines[1] == f"  5× missing sentence wav: {wav}0.wav, {wav}1.wav and 3 more"


def test_crlf_and_latin1_files(tmp_path: Path) -> None:
    root = tmp_path / "rel"
    write_dialog(root, IMPRO, TURNS[:2], newline="\r\n")
    trans = root / "Session1" / "dialog" / "transcriptions" / f"{IMPRO}.txt"
    trans.write_bytes(
        f"{TURNS[0][0]} [006.2901-008.2357]: Caf\xe9 time.\r\n"
        f"{TURNS[1][0]} [008.5000-010.2500]: No.\r\n".encode("latin-1")
    )
    by_id = {u.utterance_id: u for u in parse_corpus(root).utterances}
    assert by_id[TURNS[0][0]].transcript == "Café time."
    assert by_id[TURNS[1][0]].transcript == "No."
    assert by_id[TURNS[0][0]].end == 8.2357


def test_missing_sentence_wav_and_transcript_are_skipped_with_reason(tmp_path: Path) -> None:
    root = tmp_path / "rel"
    write_dialog(root, IMPRO, TURNS, wav_for={TURNS[0][0], TURNS[2][0]})
    trans = root / "Session1" / "dialog" / "transcriptions" / f"{IMPRO}.txt"
    trans.write_text(f"{TURNS[0][0]} [006.2901-008.2357]: Excuse me.\n", encoding="utf-8")
    result = parse_corpus(root)
    assert [u.utterance_id for u in result.utterances] == [TURNS[0][0]]
    reasons = {s.utterance_id: s.reason for s in result.skipped}
    assert reasons == {TURNS[1][0]: "missing sentence wav", TURNS[2][0]: "no transcription line"}
    report = result.report()
    assert report["listed"] == 3
    assert report["skip_reasons"] == {"missing sentence wav": 1, "no transcription line": 1}


def test_missing_dialog_avi_is_recorded(release: Path) -> None:
    (release / "Session1" / "dialog" / "avi" / "DivX" / f"{IMPRO}.avi").unlink()
    result = parse_corpus(release)
    assert {u.dialog_avi for u in result.utterances if u.dialog == IMPRO} == {""}
    assert result.report()["missing_dialog_avi"] == [f"Session1/dialog/avi/DivX/{IMPRO}.avi"]


def test_nested_release_folder_is_accepted(release: Path) -> None:
    assert len(parse_corpus(release.parent).utterances) == 5


def test_counts_per_session_and_label(release: Path) -> None:
    report = json.loads(json.dumps(parse_corpus(release).report()))
    assert report["per_session"] == {"Session1": 3, "Session3": 1, "Session5": 1}
    assert report["per_label"] == {"ang": 1, "exc": 1, "hap": 1, "neu": 1, "xxx": 1}
    assert report["per_mode"] == {"impro": 4, "script": 1}


def test_missing_root_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MmserError, match="corpus root does not exist") as info:
        parse_corpus(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)
    assert "corpus.root in params.yaml must be the IEMOCAP_full_release folder" in str(info.value)


def test_root_without_sessions_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MmserError, match=r"no Session1\.\.Session5"):
        parse_corpus(tmp_path)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu", "not an EmoEvaluation line"),
        ("[6.2901 - 8.2357]\tSes01F_impro01_F000\tjoy\t[2.5, 2.5, 2.5]", "unknown label 'joy'"),
        ("[8.2 - 6.2]\tSes01F_impro01_F000\tneu\t[2.5, 2.5, 2.5]", "start 8.2 >= end 6.2"),
        ("[1.0 - 2.0]\tSes02F_impro01_F000\tneu\t[2.5, 2.5, 2.5]", "belongs to dialog"),
        ("[1.0 - 2.0]\tnot_an_id\tneu\t[2.5, 2.5, 2.5]", "not an IEMOCAP utterance id"),
        ("something unexpected", "not an EmoEvaluation line"),
    ],
)
def test_malformed_label_line_names_file_and_line(
    tmp_path: Path, bad_line: str, message: str
) -> None:
    path = write(
        tmp_path / f"{IMPRO}.txt",
        HEADER + "\n\n" + emo_block(*TURNS[1][:4]) + "\n" + bad_line + "\n",
    )
    with pytest.raises(MmserError, match=message) as info:
        parse_emo_evaluation(path, IMPRO)
    assert info.value.file == str(path)
    assert info.value.line == 9  # header, blank, 5-line block, blank, then the bad line


def test_malformed_file_in_corpus_stops_the_parse(release: Path) -> None:
    emo = release / "Session1" / "dialog" / "EmoEvaluation" / f"{IMPRO}.txt"
    emo.write_text(emo.read_text() + "[oops]\n", encoding="utf-8")
    with pytest.raises(MmserError, match=r"Ses01F_impro01\.txt:\d+: not an EmoEvaluation line"):
        parse_corpus(release)


def test_transcription_parse_returns_ignored_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.txt",
        "Ses01F_impro01_F000 [006.2901-008.2357]: Hi: there.\n\nF: hm.\n"
        "Ses01F_impro01_FXX1 [009.0000-010.0000]: Huh.\n",
    )
    texts, ignored = parse_transcription(path)
    assert texts == {"Ses01F_impro01_F000": "Hi: there."}
    assert ignored == ["t.txt:3: F: hm.", "t.txt:4: Ses01F_impro01_FXX1 [009.0000-010.0000]: Huh."]


def test_duplicate_listing_is_an_error(release: Path) -> None:
    emo = release / "Session1" / "dialog" / "EmoEvaluation" / f"{IMPRO}.txt"
    emo.write_text(emo.read_text() + "\n" + emo_block(*TURNS[0][:4]), encoding="utf-8")
    with pytest.raises(MmserError, match="listed twice"):
        parse_corpus(release)
