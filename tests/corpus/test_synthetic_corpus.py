"""The generated corpus parses into exactly what the generator planned."""

from __future__ import annotations

from pathlib import Path

from pipeline.corpus.iemocap import parse_corpus
from pipeline.corpus.synthetic import CorpusPlan


def test_parser_recovers_the_plan(tiny_corpus_plan: CorpusPlan, tiny_corpus: Path) -> None:
    result = parse_corpus(tiny_corpus)
    parsed = {u.utterance_id: u for u in result.utterances}
    planned = {u.utterance_id: u for u in tiny_corpus_plan.usable}
    assert parsed.keys() == planned.keys()
    for uid, want in planned.items():
        got = parsed[uid]
        assert (got.session, got.dialog, got.mode, got.speaker) == (
            want.session,
            want.dialog,
            want.mode,
            want.speaker,
        )
        assert (got.start, got.end, got.label_raw) == (want.start, want.end, want.label)
        assert (got.valence, got.arousal, got.dominance) == (
            want.valence,
            want.arousal,
            want.dominance,
        )
        assert got.transcript == want.transcript
    skipped = {s.utterance_id: s.reason for s in result.skipped}
    assert skipped == {u.utterance_id: "missing sentence wav" for u in tiny_corpus_plan.missing_wav}
