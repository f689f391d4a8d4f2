"""The asr stage's work on the tiny synthetic corpus: outputs, report, failures, policy."""

from __future__ import annotations

import json
from pathlib import Path

import grpc
import pytest
from google.cloud import speech_v1 as speech

from pipeline.asr.audio import read_pcm16
from pipeline.asr.base import read_transcripts
from pipeline.asr.fake_google import FakeSpeechServer, transcript_response
from pipeline.asr.params import AsrParams, GoogleParams
from pipeline.asr.report import WORDS
from pipeline.asr.run import audio_items, run_asr
from pipeline.errors import MmserError
from pipeline.failures import read_failures
from pipeline.manifest import Utterance
from pipeline.params import ParamsError, load_section


def test_gold_backend_writes_normalised_transcripts_and_a_zero_wer_report(
    tiny_corpus: Path, tiny_manifest: list[Utterance], tmp_path: Path
) -> None:
    report = run_asr(tiny_manifest, tiny_corpus, AsrParams(backend="gold"), tmp_path, tmp_path)
    texts = read_transcripts(tmp_path / "gold.csv")
    assert list(texts) == [u.utterance_id for u in tiny_manifest]
    assert all(texts[u.utterance_id] == " ".join(u.transcript.split()) for u in tiny_manifest)
    assert report["overall"]["wer"] == 0 and report["failed"] == 0
    assert report["timing"]["rtf"] is None  # gold recognises no audio
    assert json.loads((tmp_path / "gold_report.json").read_text()) == report
    assert read_failures(tmp_path / "gold_failed.csv") == []


def google_params(endpoint: str, on_error: str = "fail") -> AsrParams:
    google = GoogleParams(endpoint=endpoint, retries=0, connect_timeout_s=2.0, max_concurrency=1)
    return AsrParams(backend="google", on_error=on_error, google=google)  # type: ignore[arg-type]


def test_google_report_failures_and_policy(
    tiny_corpus: Path, tiny_manifest: list[Utterance], tmp_path: Path
) -> None:
    utterances = tiny_manifest[:4]
    items = audio_items(utterances, tiny_corpus)
    gold = {read_pcm16(i.wav).tobytes(): i for i in items}
    silent, rejected = items[1].utterance_id, items[2].utterance_id

    def respond(request: speech.RecognizeRequest) -> speech.RecognizeResponse:
        item = gold[request.audio.content]
        return transcript_response("" if item.utterance_id == silent else item.gold.upper())

    with FakeSpeechServer(respond) as server:
        server.fail_next(grpc.StatusCode.INVALID_ARGUMENT, "bad audio", after=2)
        with pytest.raises(MmserError, match="1 utterance") as info:
            run_asr(utterances, tiny_corpus, google_params(server.endpoint), tmp_path, tmp_path)
        assert "google_failed.csv" in str(info.value)
        # outputs are written before the policy stops the stage
        failed = read_failures(tmp_path / "google_failed.csv")
        assert [f.utterance_id for f in failed] == [rejected]
        assert "INVALID_ARGUMENT" in failed[0].reason
        texts = read_transcripts(tmp_path / "google.csv")
        assert list(texts) == [u.utterance_id for u in utterances if u.utterance_id != rejected]
        assert texts[silent] == ""
        report = json.loads((tmp_path / "google_report.json").read_text())
        assert (report["recognised"], report["empty"], report["failed"]) == (3, 1, 1)
        # upper-cased gold scores 0 after normalisation; the empty one deletes all its words
        words = {i.utterance_id: len(WORDS(i.gold)[0]) for i in items}
        total = sum(n for uid, n in words.items() if uid != rejected)
        assert report["overall"]["wer"] == pytest.approx(words[silent] / total)
        assert report["overall"]["deletions"] == words[silent]
        # skip: the failure is recorded but does not stop the stage; the rest comes from cache
        server.fail_next(grpc.StatusCode.INVALID_ARGUMENT, "bad audio")
        params = google_params(server.endpoint, "skip")
        report = run_asr(utterances, tiny_corpus, params, tmp_path, tmp_path)
        assert len(server.requests) == 4 + 1
        assert report["failed"] == 1 and report["timing"]["cache_hits"] == 3


def test_unknown_backend_names_the_choices(tiny_manifest: list[Utterance], tmp_path: Path) -> None:
    choices = "choose one of gold, pocketsphinx, google"
    with pytest.raises(ParamsError, match=rf"asr\.backend: unknown ASR backend 'vosk'; {choices}"):
        load_section(AsrParams, "asr", {"asr": {"backend": "vosk"}})
    with pytest.raises(MmserError, match=rf"unknown ASR backend 'vosk'; {choices}"):
        run_asr(tiny_manifest, tmp_path, AsrParams(backend="vosk"), tmp_path, tmp_path)
