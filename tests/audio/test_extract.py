"""The audio stage's work end to end: outputs, alignment, lengths, bad input, cache."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from pipeline.audio.backends import create_backend
from pipeline.audio.extract import extract_audio
from pipeline.audio.features import AudioFeatures
from pipeline.audio.opensmile_backend import OpenSmileBackend
from pipeline.audio.params import AudioParams
from pipeline.audio.signal import load_signal
from pipeline.cache import CacheError
from pipeline.errors import Interrupted, MmserError
from pipeline.failures import read_failures
from pipeline.io import load_npy, read_csv, read_json
from pipeline.manifest import Utterance
from tests.audio.wavs import harmonic_tone, write_wav
from tests.folders import read_only_folder

SKIP = AudioParams(on_error="skip", workers=1)


def _utterance(uid: str, wav: str) -> Utterance:
    return Utterance(
        uid, 1, "Ses01F_impro01", "impro", "F", 0.0, 1.0, "neu", 3, 3, 3, "hi", wav, "", ""
    )


def _run(utterances, root, params, tmp_path: Path, out: str = "out"):
    report = extract_audio(
        utterances, root, params, tmp_path / "cache", tmp_path / out, progress=False
    )
    return report, tmp_path / out


def _frames(seconds: float) -> int:
    return 1 + (round(seconds * 16000) - 400) // 160


@pytest.fixture(scope="module")
def tiny_run(tiny_corpus: Path, tiny_manifest, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("audio_tiny")
    report, out = _run(tiny_manifest, tiny_corpus, AudioParams(workers=2), tmp)
    return report, out


def test_outputs_on_the_tiny_corpus(tiny_run, tiny_corpus: Path, tiny_manifest) -> None:
    report, out = tiny_run
    n = len(tiny_manifest)
    assert report.failed == 0 and report.computed == n
    mfcc = load_npy(out / "mfcc.npy", shape=[n, 750, 39])
    amh = load_npy(out / "amh_audio.npy", shape=[n, 1000, 120])
    prosody = load_npy(out / "prosody.npy", shape=[n, 35])
    seqn, amh_seqn, frames = (
        load_npy(out / f"{k}.npy", shape=[n]) for k in ("seqN", "amh_seqN", "frames")
    )
    assert mfcc.dtype == amh.dtype == prosody.dtype == np.float32
    assert seqn.dtype == amh_seqn.dtype == frames.dtype == np.int64
    index = read_csv(out / "index.csv", ["utterance_id", "frames", "status"])
    assert [r["utterance_id"] for r in index] == [u.utterance_id for u in tiny_manifest]
    for i, u in enumerate(tiny_manifest):
        true_frames = 1 + (sf.info(tiny_corpus / u.wav).frames - 400) // 160
        assert frames[i] == int(index[i]["frames"]) == true_frames
        assert seqn[i] == min(true_frames, 750) and amh_seqn[i] == min(true_frames, 1000)
        assert not mfcc[i, seqn[i] :].any() and not amh[i, amh_seqn[i] :].any()
    assert np.isfinite(mfcc).all() and np.isfinite(prosody).all()
    assert read_json(out / "prosody_columns.json")[0] == "F0final_sma_stddev"
    assert read_failures(out / "failed.csv") == []
    meta = read_json(out / "meta.json")
    assert meta["backend"] == "opensmile" and meta["counts"]["ok"] == n
    assert len(meta["statistics"]["mfcc"]["mean"]) == 39


def test_rows_follow_the_manifest(tiny_run, tiny_corpus: Path, tiny_manifest) -> None:
    _, out = tiny_run
    mfcc, prosody = np.load(out / "mfcc.npy", mmap_mode="r"), np.load(out / "prosody.npy")
    backend = create_backend("opensmile")
    for i in (0, len(tiny_manifest) - 1):
        path = tiny_corpus / tiny_manifest[i].wav
        direct = backend.extract(load_signal(path.read_bytes(), path)[0])
        np.testing.assert_array_equal(mfcc[i, : direct.frames], direct.mfcc[:750])
        np.testing.assert_array_equal(prosody[i], direct.prosody)


@pytest.fixture
def odd_corpus(tmp_path: Path) -> tuple[Path, list[Utterance]]:
    """Long, short, resampled stereo, and four unusable wavs."""
    root = tmp_path / "corpus"
    (root / "Session1").mkdir(parents=True)
    write_wav(root / "long.wav", harmonic_tone(120.0, 10.5))
    write_wav(root / "short.wav", harmonic_tone(200.0, 0.03))
    t = np.arange(22050) / 22050
    stereo = np.stack([0.3 * np.sin(2 * np.pi * 180 * t), 0.1 * np.sin(2 * np.pi * 360 * t)], 1)
    write_wav(root / "stereo.wav", stereo, sr=22050)
    (root / "text.wav").write_text("not audio")
    (root / "empty.wav").write_bytes(b"")
    truncated = write_wav(root / "cut.wav", harmonic_tone(150.0, 1.0)).read_bytes()[:9000]
    (root / "cut.wav").write_bytes(truncated)
    names = ["long", "short", "stereo", "text", "empty", "cut", "missing"]
    return root, [_utterance(f"Ses01F_impro01_F{i:03d}", f"{n}.wav") for i, n in enumerate(names)]


def test_lengths_conditioning_and_failures(odd_corpus, tmp_path: Path) -> None:
    root, utterances = odd_corpus
    report, out = _run(utterances, root, SKIP, tmp_path)
    seqn, amh_seqn, frames = (np.load(out / f"{k}.npy") for k in ("seqN", "amh_seqN", "frames"))
    assert frames[:3].tolist() == [_frames(10.5), 4, _frames(1.0)]
    assert seqn[:3].tolist() == [750, 4, _frames(1.0)]
    assert amh_seqn[:3].tolist() == [1000, 4, _frames(1.0)]
    index = {r["wav"]: r for r in read_csv(out / "index.csv", ["wav", "padded"])}
    assert index["short.wav"]["padded"] == "1"
    assert (index["stereo.wav"]["resampled"], index["stereo.wav"]["mixed_down"]) == ("1", "1")
    assert index["stereo.wav"]["sample_rate"] == "22050"
    meta = read_json(out / "meta.json")
    assert meta["conditioning"]["resampled_to_16k_from"] == {"22050": 1}
    assert meta["conditioning"]["mixed_down_from_channels"] == {"2": 1}
    assert meta["counts"]["mfcc_truncated"] == meta["counts"]["amh_truncated"] == 1
    failures = {r.file: r.reason for r in read_failures(out / "failed.csv")}
    assert report.failed == 4 and set(failures) == {
        "text.wav",
        "empty.wav",
        "cut.wav",
        "missing.wav",
    }
    assert "not a WAV file" in failures["text.wav"] and "empty file" in failures["empty.wav"]
    assert "truncated" in failures["cut.wav"] and "file not found" in failures["missing.wav"]
    mfcc, prosody = np.load(out / "mfcc.npy"), np.load(out / "prosody.npy")
    assert np.isnan(mfcc[3:]).all() and np.isnan(prosody[3:]).all() and not seqn[3:].any()
    assert np.isfinite(mfcc[:3]).all()


def test_on_error_fail_stops_after_writing_failed_csv(odd_corpus, tmp_path: Path) -> None:
    root, utterances = odd_corpus
    with pytest.raises(MmserError, match=r"4 utterance\(s\) failed") as info:
        _run(utterances, root, AudioParams(workers=1), tmp_path)
    assert info.value.file == str(tmp_path / "out" / "failed.csv")
    assert "text.wav" in str(info.value)
    assert len(read_failures(tmp_path / "out" / "failed.csv")) == 4


def test_missing_corpus_root(tmp_path: Path) -> None:
    with pytest.raises(MmserError, match="corpus root not found"):
        _run([], tmp_path / "nowhere", SKIP, tmp_path)


def test_cache_makes_reruns_and_backend_switches_free(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_wav(root / "a.wav", harmonic_tone(150.0, 0.4))
    write_wav(root / "b.wav", harmonic_tone(250.0, 0.3))
    utterances = [
        _utterance("Ses01F_impro01_F000", "a.wav"),
        _utterance("Ses01F_impro01_F001", "b.wav"),
    ]
    first, out = _run(utterances, root, SKIP, tmp_path)
    before = np.load(out / "prosody.npy")
    assert (first.computed, first.cached) == (2, 0)
    again, out = _run(utterances, root, replace(SKIP, on_error="fail"), tmp_path)
    assert (again.computed, again.cached) == (0, 2)
    np.testing.assert_array_equal(np.load(out / "prosody.npy"), before)
    assert _run(utterances, root, replace(SKIP, backend="librosa"), tmp_path)[0].computed == 2
    assert _run(utterances, root, SKIP, tmp_path)[0].cached == 2
    assert _run(utterances, root, replace(SKIP, backend="librosa"), tmp_path)[0].cached == 2
    write_wav(root / "a.wav", harmonic_tone(151.0, 0.4))  # new content → recomputed
    assert _run(utterances, root, SKIP, tmp_path)[0].computed == 1
    assert json.loads((out / "meta.json").read_text())["counts"]["ok"] == 2


def _two_wavs(tmp_path: Path, seconds: float = 0.4) -> tuple[Path, list[Utterance]]:
    root = tmp_path / "corpus"
    write_wav(root / "a.wav", harmonic_tone(150.0, seconds))
    write_wav(root / "b.wav", harmonic_tone(250.0, 0.3))
    names = ("a.wav", "b.wav")
    return root, [_utterance(f"Ses01F_impro01_F00{i}", n) for i, n in enumerate(names)]


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.npz"))


def test_an_interrupt_inside_opensmile_keeps_nothing_partial(tmp_path: Path) -> None:
    """SIGINT while openSMILE runs (its callback would swallow a KeyboardInterrupt and return
    a frame short): the run stops without outputs or cache entries; the rerun is exact."""
    root, utterances = _two_wavs(tmp_path, seconds=120.0)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(Interrupted):
            _run(utterances, root, AudioParams(workers=1), tmp_path)
    finally:
        timer.cancel()
    assert _entries(tmp_path) == [] and list((tmp_path / "out").iterdir()) == []
    report, out = _run(utterances, root, AudioParams(workers=1), tmp_path)
    assert report.computed == 2 and np.load(out / "frames.npy")[0] == _frames(120.0)


def test_a_result_cut_short_is_a_failure_and_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, utterances = _two_wavs(tmp_path)
    original = OpenSmileBackend.extract

    def one_frame_short(self: OpenSmileBackend, signal_: np.ndarray) -> AudioFeatures:
        full = original(self, signal_)
        return AudioFeatures(full.mfcc[:-1], full.amh[:-1], full.prosody)

    monkeypatch.setattr(OpenSmileBackend, "extract", one_frame_short)
    report, out = _run(utterances, root, SKIP, tmp_path)
    reasons = [r.reason for r in read_failures(out / "failed.csv")]
    expected = f"opensmile returned {_frames(0.4) - 1} frames for 6400 samples, expected "
    assert report.failed == 2 and reasons[0].startswith(expected + str(_frames(0.4)))
    assert _entries(tmp_path) == []


def test_an_unusable_cache_stops_the_run_and_blames_no_input(tmp_path: Path) -> None:
    root, utterances = _two_wavs(tmp_path)
    with read_only_folder(tmp_path / "cache"), pytest.raises(CacheError) as info:
        _run(utterances, root, SKIP, tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'cache' / 'audio/opensmile'}: cannot write")
    assert "cache.dir in params.yaml" in str(info.value)
    assert not (tmp_path / "out" / "failed.csv").exists()


def test_a_corrupt_cache_entry_is_recomputed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root, utterances = _two_wavs(tmp_path)
    _, out = _run(utterances, root, SKIP, tmp_path)
    before = np.load(out / "mfcc.npy")
    damaged = _entries(tmp_path)[0]
    damaged.write_bytes(damaged.read_bytes()[:1000])  # truncated zip
    with caplog.at_level(logging.WARNING):
        report, out = _run(utterances, root, replace(SKIP, on_error="fail"), tmp_path)
    assert (report.computed, report.cached, report.failed) == (1, 1, 0)
    assert f"discarding corrupt cache entry {damaged}" in caplog.text
    np.testing.assert_array_equal(np.load(out / "mfcc.npy"), before)
