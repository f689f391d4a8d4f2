"""The generated corpus is in the release's layout and formats and parses into exactly the plan."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.corpus import layout
from pipeline.corpus.iemocap import parse_corpus, read_lines
from pipeline.corpus.synthetic import CorpusPlan

# Category words of the release's evaluator lines (Categorical/ files).
CATEGORY = {"ang": "Anger", "hap": "Happiness", "exc": "Excited", "sad": "Sadness",
            "neu": "Neutral", "fru": "Frustration", "sur": "Surprise", "fea": "Fear",
            "dis": "Disgust", "oth": "Other"}  # fmt: skip
SCHEME_LABELS = {"ang", "hap", "exc", "sad", "neu", "fru", "sur"}
UTTERANCE_LINE = re.compile(
    r"^\[(\d+\.\d{4}) - (\d+\.\d{4})\]\t(\S+)\t([a-z]{3})\t"
    r"\[(\d\.\d{4}), (\d\.\d{4}), (\d\.\d{4})\]$"
)
VOTE_LINE = re.compile(r"^C-(E\d|[FM]1):\t((?:[A-Z][a-z]+; )*[A-Z][a-z]+;)\t\(.*\)$")
RATING_LINE = re.compile(r"^A-(E\d|[FM]1):\tval (\d); act (\d); dom  (\d);\t\(.*\)$")
TRANSCRIPT_LINE = re.compile(r"^(\S+) \[(\d{3}\.\d{4})-(\d{3}\.\d{4})\]: (.+)$")


@pytest.fixture(scope="module")
def parsed(tiny_corpus: Path):
    return parse_corpus(tiny_corpus)


def test_parser_recovers_the_plan(tiny_corpus_plan: CorpusPlan, parsed) -> None:
    got = {u.utterance_id: u for u in parsed.utterances}
    planned = {u.utterance_id: u for u in tiny_corpus_plan.usable}
    assert got.keys() == planned.keys()
    for uid, want in planned.items():
        u = got[uid]
        assert (u.session, u.dialog, u.mode, u.speaker) == (
            want.session, want.dialog, want.mode, want.speaker
        )  # fmt: skip
        assert (u.start, u.end, u.label_raw, u.transcript) == (
            want.start, want.end, want.label, want.transcript
        )  # fmt: skip
        assert (u.valence, u.arousal, u.dominance) == (want.valence, want.arousal, want.dominance)
        assert u.wav == str(layout.sentence_wav_path(uid))
        assert u.dialog_wav == str(layout.dialog_wav_path(u.dialog))
        assert u.dialog_avi == str(layout.dialog_avi_path(u.dialog))


def test_missing_sentence_wavs_are_listed_and_skipped(tiny_corpus_plan: CorpusPlan, parsed) -> None:
    missing = tiny_corpus_plan.missing_wav
    assert 1 <= len(missing) <= 2
    assert {s.utterance_id: s.reason for s in parsed.skipped} == {
        u.utterance_id: "missing sentence wav" for u in missing
    }
    for u in missing:
        assert not (tiny_corpus_plan.root / layout.sentence_wav_path(u.utterance_id)).exists()
        emo = (tiny_corpus_plan.root / layout.emo_evaluation_path(u.dialog)).read_text("utf-8")
        assert f"\t{u.utterance_id}\t" in emo


def test_every_scheme_label_in_every_session_and_rare_labels(parsed) -> None:
    per_session: dict[int, set[str]] = {}
    for u in parsed.utterances:
        per_session.setdefault(u.session, set()).add(u.label_raw)
    assert sorted(per_session) == [1, 2, 3, 4, 5]
    for session, labels in per_session.items():
        assert labels >= SCHEME_LABELS, f"Session{session} lacks {SCHEME_LABELS - labels}"
    assert {"fea", "dis", "oth", "xxx"} <= {u.label_raw for u in parsed.utterances}


def test_dialogs_have_release_names_both_modes_and_two_actors(parsed) -> None:
    dialogs = {u.dialog for u in parsed.utterances}
    assert {"Ses03M_impro05a", "Ses03M_impro05b", "Ses05M_script01_1b"} <= dialogs
    assert all(layout.is_dialog_name(d) for d in dialogs)
    assert {u.mode for u in parsed.utterances} == {"impro", "script"}
    for session in range(1, 6):
        assert {u.speaker for u in parsed.utterances if u.session == session} == {"F", "M"}


def test_transcript_quirks_are_present_and_kept(parsed) -> None:
    texts = [u.transcript for u in parsed.utterances]
    assert any(re.search(r"\w: \w", t) for t in texts), "a colon inside a transcript"
    assert any(re.search(r"\[[A-Z]+\]", t) for t in texts), "a [LAUGHTER]-style tag"
    assert any(not t.isascii() for t in texts), "non-ASCII text"
    report = parsed.report()
    examples = " ".join(report["ignored_transcript_line_examples"])
    assert re.search(r"XX\d \[", examples), "an XX turn line"
    assert re.search(r": [MF]: ", examples), "a speaker-only line"


def test_stray_files_exist_and_are_ignored(tiny_corpus: Path, parsed) -> None:
    strays = sorted(p.relative_to(tiny_corpus) for p in tiny_corpus.rglob("._*"))
    assert any(p.suffix == ".avi" for p in strays) and any(p.suffix == ".txt" for p in strays)
    for path in strays:
        with pytest.raises(UnicodeDecodeError):
            (tiny_corpus / path).read_bytes().decode("utf-8")
    ignored = set(parsed.report()["ignored_files"])
    text_strays = {str(p) for p in strays if p.parent.name in ("EmoEvaluation", "transcriptions")}
    assert text_strays and text_strays <= ignored
    assert (tiny_corpus / "README.txt").is_file()
    assert any((tiny_corpus / "Documentation").iterdir())


def _blocks(path: Path) -> list[list[str]]:
    lines = read_lines(path)
    assert lines[0] == layout.EMO_HEADER and lines[1] == ""
    blocks, current = [], []
    for line in [*lines[2:], ""]:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def test_evaluation_lines_agree_with_labels_and_ratings(tiny_corpus: Path, parsed) -> None:
    dialogs = sorted({u.dialog for u in parsed.utterances})
    checked = Counter()
    for dialog in dialogs:
        for block in _blocks(tiny_corpus / layout.emo_evaluation_path(dialog)):
            head = UTTERANCE_LINE.match(block[0])
            assert head, block[0]
            uid, label = head[3], head[4]
            votes = [VOTE_LINE.match(line) for line in block[1:] if line.startswith("C-")]
            ratings = [RATING_LINE.match(line) for line in block[1:] if line.startswith("A-")]
            assert all(votes) and all(ratings) and len(votes) + len(ratings) == len(block) - 1
            assert {v[1] for v in votes} >= {f"{uid[-4]}1"}, "the speaking actor's own vote"
            external = Counter(v[2].split(";")[0] for v in votes if v[1].startswith("E"))
            top, count = external.most_common(1)[0]
            if label == "xxx":
                assert count == 1, "xxx means the evaluators disagree"
            else:
                assert top == CATEGORY[label] and count >= 2, block
            rated = [tuple(int(x) for x in r.groups()[1:]) for r in ratings if r[1].startswith("E")]
            means = [sum(col) / len(rated) for col in zip(*rated, strict=True)]
            assert [float(x) for x in head.groups()[4:]] == pytest.approx(means)
            checked[label] += 1
    assert sum(checked.values()) == len(parsed.utterances) + len(parsed.skipped)


def test_evaluator_subfolders_hold_per_evaluator_files(tiny_corpus: Path, parsed) -> None:
    dialog = parsed.utterances[0].dialog
    folder = tiny_corpus / layout.emo_evaluation_path(dialog).parent
    categorical = sorted((folder / "Categorical").glob(f"{dialog}_e*_cat.txt"))
    assert len(categorical) == 3
    ids = {u.utterance_id for u in parsed.utterances if u.dialog == dialog}
    for path in categorical:
        for line in read_lines(path):
            uid, rest = line.split(" :", 1)
            assert re.fullmatch(r"([A-Z][a-z]+( state)?; )+\(.*\)", rest), line
            assert uid in ids or uid in {s.utterance_id for s in parsed.skipped}
    assert list((folder / "Attribute").glob(f"{dialog}_e*_atr.txt"))
    assert list((folder / "Self-evaluation").glob(f"{dialog}*"))


def test_transcription_times_match_the_label_file(tiny_corpus: Path, parsed) -> None:
    by_id = {u.utterance_id: u for u in parsed.utterances}
    seen = 0
    for dialog in sorted({u.dialog for u in parsed.utterances}):
        for line in read_lines(tiny_corpus / layout.transcription_path(dialog)):
            match = TRANSCRIPT_LINE.match(line)
            if match and match[1] in by_id:
                u = by_id[match[1]]
                got = (float(match[2]), float(match[3]), match[4])
                assert got == (u.start, u.end, u.transcript)
                seen += 1
    assert seen == len(parsed.utterances)
