"""Planning of the synthetic corpus: label allocation, dialog names, turns, cue probabilities."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from pipeline.corpus import layout
from pipeline.corpus.params import CorpusParams, SyntheticParams
from pipeline.corpus.synthetic.emotions import EMOTIONS
from pipeline.corpus.synthetic.plan import allocate_labels, dialog_names, plan_corpus
from pipeline.corpus.synthetic.timeline import GRID, place_turns
from pipeline.params import ParamsError, from_dict

SCHEME_LABELS = {"ang", "hap", "exc", "sad", "neu", "fru", "sur"}


@pytest.mark.parametrize("total", [50, 53, 600, 1003])
def test_allocation_covers_every_label_in_every_session(total: int) -> None:
    sessions = allocate_labels(total, np.random.default_rng(0))
    assert sum(len(s) for s in sessions) == total
    assert max(len(s) for s in sessions) - min(len(s) for s in sessions) <= 1
    for labels in sessions:
        assert set(labels) >= SCHEME_LABELS
    assert {"fea", "dis", "oth", "xxx"} <= {label for s in sessions for label in s}


def test_dialog_names_follow_the_release() -> None:
    for session in range(1, 6):
        names = dialog_names(session, 12)
        assert len(names) == len(set(names)) == 12
        assert all(layout.dialog_session(n) == session for n in names)
        assert {"impro", "script"} == {"script" if "_script" in n else "impro" for n in names}
    assert {"Ses03M_impro05a", "Ses03M_impro05b"} <= set(dialog_names(3, 3))
    assert "Ses05M_script01_1b" in dialog_names(5, 3)
    assert "Ses03M_impro05" not in dialog_names(3, 30)


def test_turns_are_numbered_per_speaker_and_quirks_exist() -> None:
    dialogs = plan_corpus(SyntheticParams(utterances=120, seed=3))
    turns = [t for d in dialogs for t in d.turns]
    listed = [t for t in turns if t.listed]
    assert len(listed) == 120
    assert len({t.turn_id for t in turns}) == len(turns)
    for d in dialogs:
        for speaker in "FM":
            ids = [t.turn_id for t in d.turns if t.listed and t.speaker == speaker]
            assert ids == [f"{d.dialog}_{speaker}{i:03d}" for i in range(len(ids))]
    assert sum(not t.has_wav for t in listed) == 2
    assert any(not t.listed for t in turns), "an XX backchannel turn"
    assert any(d.speaker_only_lines for d in dialogs)
    assert any(d.apple_double for d in dialogs)


def _own_share(dialogs, modality: str) -> float:
    turns = [t for d in dialogs for t in d.turns if t.listed and t.label != "xxx"]
    return float(np.mean([dict(t.cues)[modality] == t.label for t in turns]))


def test_cue_probabilities_follow_the_params() -> None:
    base = {"utterances": 1000, "seed": 5}
    dialogs = plan_corpus(SyntheticParams(**base, text_cue=0.5, audio_cue=0.7, video_cue=0.6))
    assert _own_share(dialogs, "text") == pytest.approx(0.5, abs=0.06)
    assert _own_share(dialogs, "audio") == pytest.approx(0.7, abs=0.06)
    assert _own_share(dialogs, "video") == pytest.approx(0.6, abs=0.06)
    clean = plan_corpus(SyntheticParams(**base, text_cue=1.0, audio_cue=1.0, video_cue=1.0))
    assert _own_share(clean, "audio") == _own_share(clean, "video") == 1.0
    noisy = plan_corpus(SyntheticParams(**base, audio_cue=0.0, video_cue=0.0))
    assert _own_share(noisy, "video") == 0.0
    for t in (t for d in noisy for t in d.turns if t.listed and t.label not in ("xxx", "oth")):
        audio = EMOTIONS[dict(t.cues)["audio"]]
        assert audio.arousal_group == EMOTIONS[t.label].arousal_group  # decoys keep arousal


def test_plan_is_a_function_of_the_seed() -> None:
    params = SyntheticParams(utterances=60, seed=11)
    assert plan_corpus(params) == plan_corpus(params)
    assert plan_corpus(params) != plan_corpus(SyntheticParams(utterances=60, seed=12))


def test_turn_spans_lie_on_the_sample_grid_without_overlap() -> None:
    dialog = plan_corpus(SyntheticParams(utterances=50))[0]
    speech = [np.ones(1000 + 37 * i, np.float32) for i in range(len(dialog.turns))]
    timed, length = place_turns(dialog, speech)
    for item, samples in zip(timed, speech, strict=True):
        assert item.start % GRID == 0 and item.end % GRID == 0
        assert item.start < item.speech_start and item.speech_start + len(samples) <= item.end
        for seconds, sample in ((item.start_s, item.start), (item.end_s, item.end)):
            assert float(f"{seconds:.4f}") * 16000 == pytest.approx(sample, abs=1e-6)
    assert all(a.end < b.start for a, b in itertools.pairwise(timed))
    assert timed[-1].end < length


@pytest.mark.parametrize(
    ("synthetic", "key"),
    [
        ({"utterances": 49}, "corpus.synthetic.utterances"),
        ({"video_fps": 0}, "corpus.synthetic.video_fps"),
        ({"text_cue": 1.5}, "corpus.synthetic.text_cue"),
        ({"video_cue": -0.1}, "corpus.synthetic.video_cue"),
        ({"frames": 3}, "unknown key"),
    ],
)
def test_invalid_synthetic_params_name_the_key(synthetic: dict, key: str) -> None:
    with pytest.raises(ParamsError, match=key.replace(".", r"\.")):
        from_dict(CorpusParams, {"synthetic": synthetic}, "corpus")


def test_synthetic_source_must_write_to_the_synthetic_root() -> None:
    with pytest.raises(ParamsError, match=r"corpus\.root"):
        from_dict(CorpusParams, {"source": "synthetic", "root": "/data/x"}, "corpus")
    assert from_dict(CorpusParams, {"source": "iemocap", "root": "/data/x"}, "corpus").root


def test_default_plan_size_and_label_counts() -> None:
    dialogs = plan_corpus(SyntheticParams())
    counts = Counter(t.label for d in dialogs for t in d.turns if t.listed)
    assert sum(counts.values()) == 1200
    assert min(counts[label] for label in SCHEME_LABELS) >= 25
