"""End-to-end: `dvc repro` of the real dvc.yaml on a tiny synthetic corpus, in a copy of the repo.

Checks the outputs, that a second `dvc repro` reruns nothing, and that a param change reruns
exactly the stages that depend on it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.zoo import MODELS
from pipeline.io import load_npy, read_csv, read_json
from tests.project_copy import copy_project, run_dvc

pytestmark = pytest.mark.slow


# Small but complete: every stage runs on 50 listed utterances, with full-size feature arrays.
# Training is cut to a few small steps over the first 100 audio frames: these tests check the
# wiring; tests/models checks that the models learn.
TINY: dict[str, Any] = {
    "corpus.synthetic.utterances": 50,
    "corpus.synthetic.seed": 7,
    "train.max_steps": 4,
    "train.min_steps": 0,
    **{f"models.{m}.optim.batch_size": 8 for m in MODELS},
    **{f"models.{m}.audio.encoder_size": 100 for m in MODELS if "audio" in MODELS.get(m).roles},
}


def _set(params: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = params
    for part in parents:
        node = node[part]
    assert last in node, f"params.yaml has no {dotted}"
    node[last] = value


def write_params(repo: Path, changes: dict[str, Any]) -> None:
    path = repo / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        _set(params, key, value)
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def dvc_repro(repo: Path) -> set[str]:
    """Run `dvc repro` in ``repo``; return the names of the stages that ran besides ``validate``
    (the params check, which runs every time)."""
    proc = run_dvc(repo, "repro", timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ran = set(re.findall(r"Running stage '([^']+)'", proc.stdout))
    assert "validate" in ran
    return ran - {"validate"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the working tree's project files with tiny params, after one `dvc repro`."""
    dest = copy_project(tmp_path_factory.mktemp("e2e") / "repo")
    write_params(dest, TINY)
    dvc_repro(dest)
    return dest


def test_repro_builds_manifest_and_split(repo: Path) -> None:
    report = read_json(repo / "data/manifest_report.json")
    manifest = read_csv(repo / "data/manifest.csv", ["utterance_id", "label_raw"])
    assert report["listed"] == 50
    assert len(manifest) == report["utterances"] == 50 - report["skipped"]
    split = read_csv(repo / "data/split.csv", ["utterance_id", "partition"])
    assert {r["partition"] for r in split} == {"train", "dev", "test"}
    assert {r["utterance_id"] for r in split} <= {r["utterance_id"] for r in manifest}


def test_second_repro_reruns_nothing(repo: Path) -> None:
    assert dvc_repro(repo) == set()


def test_split_seed_change_reruns_split_only(repo: Path) -> None:
    write_params(repo, {"split.seed": 43})
    assert dvc_repro(repo) == {"split"}


def test_repro_builds_audio_features(repo: Path) -> None:
    n = len(read_csv(repo / "data/manifest.csv", ["utterance_id"]))
    audio = repo / "data/features/audio"
    assert load_npy(audio / "mfcc.npy", shape=[n, 750, 39], mmap=True).dtype.name == "float32"
    assert load_npy(audio / "amh_audio.npy", shape=[n, 1000, 120], mmap=True) is not None
    assert load_npy(audio / "prosody.npy", shape=[n, 35]) is not None
    assert read_json(audio / "meta.json")["counts"]["ok"] == n


def test_audio_param_change_reruns_audio_only(repo: Path) -> None:
    write_params(repo, {"audio.workers": 1, "audio.normalize": "none"})
    assert not {"audio", "manifest", "split"} & dvc_repro(repo)  # audio reads neither
    write_params(repo, {"audio.on_error": "skip"})
    # Same arrays, so nothing downstream retrains; the report reads audio/meta.json, which
    # records on_error.
    assert dvc_repro(repo) == {"audio", "report"}


def test_repro_builds_video_features(repo: Path) -> None:
    n = len(read_csv(repo / "data/manifest.csv", ["utterance_id"]))
    video = repo / "data/features/video"
    assert load_npy(video / "video.npy", shape=[n, 32, 2048], mmap=True).dtype.name == "float32"
    assert (load_npy(video / "video_seqN.npy", shape=[n]) >= 1).all()
    meta = read_json(video / "meta.json")
    assert meta["failed"] == 0 and meta["weights"]["source"] in {"imagenet", "random"}


def test_video_param_change_reruns_video_from_cache(repo: Path) -> None:
    write_params(repo, {"video.batch_size": 4, "video.decode_threads": 2})
    assert "video" not in dvc_repro(repo)  # speed settings only
    write_params(repo, {"video.max_frames": 25})
    ran = dvc_repro(repo)
    assert "video" in ran and not {"manifest", "split", "audio", "asr", "text"} & ran
    assert read_json(repo / "data/features/video/meta.json")["run"]["crops_computed"] == 0


def test_repro_trains_evaluates_and_reports_every_model(repo: Path) -> None:
    for model in MODELS:
        results = repo / "results" / model
        metrics = read_json(results / "metrics.json")
        assert 0.0 <= metrics["test"]["wa"] <= 1.0 and 0.0 <= metrics["test"]["ua"] <= 1.0
        assert (results / "confusion.png").stat().st_size > 0
        predictions = read_csv(results / "predictions.csv", ["actual", "predicted"])
        assert len(predictions) == sum(c["support"] for c in metrics["test"]["per_class"].values())
    summary = read_csv(repo / "results/summary.csv", ["model", "wa_mean"])
    assert [r["model"] for r in summary] == list(MODELS)
    assert all(f"| {m}" in (repo / "results/summary.md").read_text() for m in MODELS)


def test_model_param_change_retrains_that_model_only(repo: Path) -> None:
    write_params(repo, {"models.mdrea.attention_mask": False})
    ran = dvc_repro(repo)  # the report reruns if MDREA's test metrics changed
    assert {"train@mdrea", "evaluate@mdrea"} <= ran <= {"train@mdrea", "evaluate@mdrea", "report"}
