"""Generation is deterministic, atomic, and the corpus stage honours ``corpus.source``."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.corpus.params import SYNTHETIC_ROOT, CorpusParams, SyntheticParams
from pipeline.corpus.synthetic import CorpusPlan, build_corpus, generate
from pipeline.corpus.synthetic import build as build_module
from pipeline.corpus.synthetic.tts import Voice, synthesize
from pipeline.errors import MmserError

REPO = Path(__file__).resolve().parents[2]


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tiny_corpus_plan: CorpusPlan, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", tiny_corpus_plan.params, workers=2, progress=False)
    first, second = _digests(tiny_corpus_plan.root), _digests(again.root)
    assert len(first) > 100
    assert first == second
    assert again.utterances == tiny_corpus_plan.utterances


def test_speech_does_not_depend_on_what_was_said_before() -> None:
    voice = Voice("en-us+f2", pitch=60, pitch_range=50, rate=170, volume=100)
    first = synthesize("Hello there, how are you?", voice)
    synthesize("Something else entirely.", Voice("en-us+m3", 30, 20, 130, 80))
    np.testing.assert_array_equal(first, synthesize("Hello there, how are you?", voice))
    assert first.dtype == np.float32 and 0.5 < len(first) / 16000 < 3


def test_a_failing_dialog_leaves_the_previous_corpus_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "IEMOCAP_synthetic"
    root.mkdir()
    (root / "previous.txt").write_text("old corpus")
    calls = []

    def flaky(plan, root, fps):
        calls.append(plan.dialog)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return []

    monkeypatch.setattr(build_module, "render_dialog", flaky)
    with pytest.raises(MmserError, match=r"1 dialog\(s\) failed.*disk full"):
        generate(root, SyntheticParams(utterances=50), workers=1, progress=False)
    assert [p.name for p in root.iterdir()] == ["previous.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IEMOCAP_synthetic"]


def test_iemocap_source_writes_only_a_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    old = tmp_path / SYNTHETIC_ROOT / "Session1"
    old.mkdir(parents=True)
    result = build_corpus(CorpusParams(source="iemocap", root="/data/IEMOCAP_full_release"))
    assert result is None
    files = [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [Path(SYNTHETIC_ROOT) / "README.txt"]
    assert "Unused" in (tmp_path / SYNTHETIC_ROOT / "README.txt").read_text()


def _run_stage(tmp_path: Path, corpus: dict) -> subprocess.CompletedProcess[str]:
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"corpus": corpus}))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "stages.corpus", "--params", str(params)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_stage_placeholder_and_bad_params(tmp_path: Path) -> None:
    done = _run_stage(tmp_path, {"source": "iemocap", "root": "/elsewhere"})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / SYNTHETIC_ROOT / "README.txt").is_file()
    bad = {"source": "synthetic", "root": SYNTHETIC_ROOT, "synthetic": {"utterances": 10}}
    done = _run_stage(tmp_path, bad)
    assert done.returncode == 1
    assert "corpus.synthetic.utterances" in done.stderr
    assert "Traceback" not in done.stderr
