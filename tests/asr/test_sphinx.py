"""Offline recognition with pocketsphinx on espeak-ng speech and on the synthetic corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from pipeline.asr.base import AudioItem
from pipeline.asr.params import AsrParams, PocketsphinxParams
from pipeline.asr.report import error_rates
from pipeline.asr.run import audio_items, recognize
from pipeline.asr.sphinx import PocketsphinxBackend, add_noise_floor
from pipeline.corpus.synthetic.tts import Voice, synthesize
from pipeline.manifest import Utterance

SENTENCES = [
    "I am very happy to see you again today",
    "where did you put my keys",
    "please give me the book on the table",
]


def sphinx(workers: int = 1, **settings: object) -> PocketsphinxBackend:
    params = PocketsphinxParams(**settings)  # type: ignore[arg-type]
    return PocketsphinxBackend(
        AsrParams(backend="pocketsphinx", workers=workers, pocketsphinx=params)
    )


def test_recognises_synthesized_sentences(tmp_path: Path) -> None:
    items = []
    for i, sentence in enumerate(SENTENCES):
        speech = synthesize(
            sentence, Voice("en-us", pitch=50, pitch_range=50, rate=150, volume=100)
        )
        sf.write(tmp_path / f"s{i}.wav", speech, 16000, subtype="PCM_16")
        items.append(AudioItem(f"s{i}", str(tmp_path / f"s{i}.wav"), sentence))
    result = recognize(items, sphinx(), tmp_path / "cache")
    hyps = [t.text for t in result.transcripts if t is not None]
    assert len(hyps) == 3 and all(hyps)
    assert error_rates(SENTENCES, hyps)["wer"] < 0.5, hyps
    for t in result.transcripts:
        assert t is not None and t.confidence is not None and 0 < t.confidence <= 1
        assert t.seconds > 0 and t.audio_seconds > 1


def test_results_do_not_depend_on_decoding_order(
    tiny_corpus: Path, tiny_manifest: list[Utterance], tmp_path: Path
) -> None:
    items = audio_items(tiny_manifest[6:10], tiny_corpus)
    forward = recognize(items, sphinx(workers=1), tmp_path / "a").transcripts
    backward = recognize(items[::-1], sphinx(workers=1), tmp_path / "b").transcripts[::-1]
    assert [t.text for t in forward if t] == [t.text for t in backward if t]


def test_silence_gives_an_empty_transcript(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    sf.write(path, np.zeros(16000, dtype=np.int16), 16000, subtype="PCM_16")
    result = recognize([AudioItem("quiet", str(path), "")], sphinx(), tmp_path / "cache")
    transcript = result.transcripts[0]
    assert transcript is not None and transcript.text == "" and transcript.confidence is None


def test_noise_floor_level_and_determinism() -> None:
    silence = np.zeros(160000, dtype=np.int16)
    assert add_noise_floor(silence, None) is silence
    noisy = add_noise_floor(silence, -60.0)
    rms = np.sqrt(np.mean(noisy.astype(np.float64) ** 2)) / 32767
    assert 20 * np.log10(rms) == pytest.approx(-60, abs=0.5)
    assert (add_noise_floor(silence, -60.0) == noisy).all()


def test_synthetic_corpus_speech_in_worker_processes(
    tiny_corpus: Path, tiny_manifest: list[Utterance], tmp_path: Path
) -> None:
    utterances = tiny_manifest[:6]
    items = audio_items(utterances, tiny_corpus)
    result = recognize(items, sphinx(workers=2), tmp_path)
    assert not result.failures
    hyps = [t.text for t in result.transcripts if t is not None]
    rates = error_rates([u.transcript for u in utterances], hyps)
    assert rates["wer"] < 0.7, list(zip([u.transcript for u in utterances], hyps, strict=True))
    # cached now: a rerun recognises nothing
    again = recognize(items, sphinx(workers=2), tmp_path)
    assert again.cache_hits == 6 and [t.text for t in again.transcripts] == hyps
