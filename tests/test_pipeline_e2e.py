"""End-to-end: `dvc repro` of the real dvc.yaml on a tiny synthetic corpus, in a copy of the repo
with the default params (never the repository's params.yaml) and tiny overrides.

Checks the outputs (with the curated DVC metrics, the self-contained report page, the titled
confusion matrices and `make results` at 100 columns), that a second `dvc repro` reruns
nothing, that a param change reruns exactly the stages that depend on it, that a code edit
reruns exactly the stages that import the edited module (and recomputes rather than reading the
item cache), that a stage interrupted by SIGINT publishes nothing and its rerun gives exactly the
outputs of an uninterrupted run, and that more folds run only the new folds' stages.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from models.zoo import MODELS
from pipeline.io import load_npy, read_csv, read_json
from tests.params import write_default_params
from tests.project_copy import copy_project, dvc_env, run_dvc

pytestmark = pytest.mark.slow


# Small but complete: every stage runs on 50 listed utterances, with full-size feature arrays.
# Training is cut to a few small steps over the first 100 audio frames: these tests check the
# wiring; tests/models checks that the models learn. R2's setting trains AMH and its default
# baselines, ARE and TRE.
TINY: dict[str, Any] = {
    "corpus.synthetic.utterances": 50,
    "corpus.synthetic.seed": 7,
    "video.fps": 1,
    "train.max_steps": 4,
    "train.min_steps": 0,
    **{f"models.{m}.optim.batch_size": 8 for m in MODELS},
    **{f"models.{m}.audio.encoder_size": 100 for m in MODELS if "audio" in MODELS.get(m).roles},
}
RUNS = {"r1": ["are", "tre", "mdre", "mdrea"], "r2": ["amh", "are", "tre"]}  # setting → its models
R2BASE = ("train-r2base", "evaluate-r2base")


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


def dvc(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a dvc command in ``repo`` (it must succeed)."""
    proc = run_dvc(repo, *args, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def dvc_repro(repo: Path, *args: str) -> set[str]:
    """Run `dvc repro` in ``repo``; return the names of the stages that ran besides ``validate``
    (the params check, which runs on every whole-pipeline repro)."""
    ran = set(re.findall(r"Running stage '([^']+)'", dvc(repo, "repro", *args).stdout))
    assert args or "validate" in ran
    return ran - {"validate"}


def dvc_status(repo: Path) -> set[str]:
    """The stages `dvc status` reports as changed (``validate`` always is)."""
    return set(json.loads(dvc(repo, "status", "--json").stdout)) - {"validate"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the working tree's project files with tiny params, after one `dvc repro`."""
    dest = copy_project(tmp_path_factory.mktemp("e2e") / "repo")
    write_default_params(dest / "params.yaml", TINY)
    dvc_repro(dest)
    return dest


def test_repro_builds_manifest_and_split(repo: Path) -> None:
    report = read_json(repo / "data/manifest_report.json")
    manifest = read_csv(repo / "data/manifest.csv", ["utterance_id", "label_raw"])
    assert report["listed"] == 50
    assert len(manifest) == report["utterances"] == 50 - report["skipped"]
    ids = {r["utterance_id"] for r in manifest}
    for setting, labels in (("r1", {"ang", "hap", "sad", "neu"}), ("r2", {"fru", "sur", "exc"})):
        split = read_csv(repo / f"data/splits/{setting}/fold1.csv", ["utterance_id", "partition"])
        assert {r["partition"] for r in split} == {"train", "dev", "test"}
        assert {r["utterance_id"] for r in split} <= ids
        assert labels <= {r["label_name"] for r in split}  # R1: 4 classes, R2: 7


def test_second_repro_reruns_nothing(repo: Path) -> None:
    assert dvc_repro(repo) == set()


def test_split_seed_change_reruns_split_only(repo: Path) -> None:
    write_params(repo, {"split.seed": 43})  # loso / random only: same splits, nothing retrains
    assert dvc_repro(repo) == {"split@r1-1", "split@r2-1"}


def test_repro_builds_audio_features(repo: Path) -> None:
    n = len(read_csv(repo / "data/manifest.csv", ["utterance_id"]))
    audio = repo / "data/features/audio"
    assert load_npy(audio / "mfcc.npy", shape=[n, 750, 39], mmap=True).dtype.name == "float32"
    assert load_npy(audio / "amh_audio.npy", shape=[n, 1000, 120], mmap=True) is not None
    assert load_npy(audio / "prosody.npy", shape=[n, 35]) is not None
    assert read_json(audio / "meta.json")["counts"]["ok"] == n


def test_audio_param_change_reruns_audio_only(repo: Path) -> None:
    params = (repo / "params.yaml").read_text()
    write_params(repo, {"audio.workers": 1, "audio.normalize": "none"})
    # a speed setting changes nothing; audio.normalize is the dataset stages' (the status is
    # enough: DVC reruns a changed stage and then whatever reads an output that changed)
    assert dvc_status(repo) == {"dataset@r1-1", "dataset@r2-1"}
    (repo / "params.yaml").write_text(params)
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
    params = (repo / "params.yaml").read_text()
    write_params(repo, {"video.max_frames": 25})
    assert dvc_status(repo) == {"video"}
    assert dvc_repro(repo, "-s", "video") == {"video"}
    assert read_json(repo / "data/features/video/meta.json")["run"]["crops_computed"] == 0
    # Back, so nothing downstream retrains: DVC's run cache restores the earlier outputs.
    (repo / "params.yaml").write_text(params)
    assert dvc_repro(repo, "-s", "video") == set()
    assert dvc_status(repo) == set()


def test_repro_trains_evaluates_and_reports_every_run(repo: Path) -> None:
    for setting, models in RUNS.items():
        for model in models:
            results = repo / "results/runs" / setting / "fold1" / model
            metrics = read_json(results / "metrics.json")
            assert 0.0 <= metrics["test"]["wa"] <= 1.0 and 0.0 <= metrics["test"]["ua"] <= 1.0
            assert len(metrics["test"]["per_class"]) == (4 if setting == "r1" else 7)
            assert metrics["dataset"]["setting"] == setting and metrics["dataset"]["fold"] == 1
            assert (results / "confusion.png").stat().st_size > 0
            predictions = read_csv(results / "predictions.csv", ["actual", "predicted"])
            assert len(predictions) == metrics["test"]["n"]
    summary = read_csv(repo / "results/summary.csv", ["setting", "model", "scheme"])
    assert [(r["setting"], r["model"], r["scheme"]) for r in summary] == [
        (s, m, "4class" if s == "r1" else "7class") for s, models in RUNS.items() for m in models
    ]
    md = (repo / "results/summary.md").read_text()
    assert (
        "## R1 setting (SLT 2018): 4class" in md
        and "## R2 setting (ICASSP 2020, AMH): 7class" in md
    )


def test_dvc_metrics_are_the_reports_curated_numbers(repo: Path) -> None:
    shown = json.loads(dvc(repo, "metrics", "show", "--json").stdout)[""]["data"]
    assert list(shown) == ["results/metrics.json"]  # the only metrics file
    metrics = shown["results/metrics.json"]["data"]
    runs = {f"{s}.{m}.{k}" for s, models in RUNS.items() for m in models for k in ("wa", "ua")}
    stages = ("manifest", "audio", "asr", "text", "video")
    assert set(metrics) == runs | {"asr.wer", "asr.cer", "checks.failed"} | {
        f"failed.{stage}" for stage in stages
    }
    for setting, models in RUNS.items():
        for model in models:
            test = read_json(repo / "results/runs" / setting / "fold1" / model / "metrics.json")
            assert metrics[f"{setting}.{model}.wa"] == test["test"]["wa"]
            assert metrics[f"{setting}.{model}.ua"] == test["test"]["ua"]
    asr = read_json(repo / "data/transcripts/pocketsphinx_report.json")["overall"]
    assert (metrics["asr.wer"], metrics["asr.cer"]) == (asr["wer"], asr["cer"])
    assert metrics["failed.manifest"] == 2  # the tiny corpus lists 2 utterances without a wav
    assert [metrics[f"failed.{stage}"] for stage in stages[1:]] == [0, 0, 0, 0]


def _png_title(data: bytes) -> str:
    return Image.open(io.BytesIO(data)).text["Title"]


def test_every_confusion_matrix_is_titled_with_its_run_and_scores(repo: Path) -> None:
    pngs = sorted((repo / "results/runs").rglob("confusion.png"))
    assert len(pngs) == sum(map(len, RUNS.values()))
    for png in pngs:
        metrics = read_json(png.parent / "metrics.json")
        setting, fold, model = png.parts[-4:-1]
        scheme, test = metrics["dataset"]["scheme"], metrics["test"]
        assert _png_title(png.read_bytes()) == (
            f"{model}, {setting} ({scheme}), {fold[:4]} {fold[4:]}: "
            f"test WA {test['wa']:.3f}, UA {test['ua']:.3f}"
        )


def test_report_html_embeds_every_runs_figures_and_nothing_from_outside(repo: Path) -> None:
    page = (repo / "results/report.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", page) and "<script" not in page.lower()
    for setting, models in RUNS.items():
        for model in models:
            section = page.split(f'<h3 id="{setting}-{model}-fold1">')[1].split("<h")[0]
            found = re.findall(r'src="data:image/png;base64,([^"]+)"', section)
            curves, confusion = (base64.b64decode(data) for data in found)
            folder = repo / "results/runs" / setting / "fold1" / model
            assert confusion == (folder / "confusion.png").read_bytes()
            assert _png_title(curves).startswith(f"{model}, {setting} (")
            assert "training, model kept at step" in _png_title(curves)


def test_make_results_shows_each_models_test_wa_in_100_columns(repo: Path) -> None:
    # `dvc exp show` lists the experiments of a commit: commit the workspace as a user would
    env = {**dvc_env(), "COLUMNS": "100", "GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_AUTHOR_EMAIL": "t@localhost", "GIT_COMMITTER_EMAIL": "t@localhost"}
    for command in (["git", "add", "-A"], ["git", "commit", "-q", "-m", "default run"]):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    proc = subprocess.run(
        ["make", "-s", "results"], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert max(map(len, lines)) <= 100
    shown = {}  # column → the workspace's value, from each table's header and workspace rows
    for header, row in zip(lines, lines[2:], strict=False):
        if header.split()[:1] == ["Experiment"] and row.split()[:1] == ["workspace"]:
            shown |= dict(zip(header.split()[1:], row.split()[1:], strict=True))
    metrics = read_json(repo / "results/metrics.json")
    wa = {f"{s}.{m}.wa" for s, models in RUNS.items() for m in models}
    assert set(shown) == wa  # nothing else differs between the workspace and its commit
    for key in wa:
        assert float(shown[key]) == pytest.approx(metrics[key], abs=1e-5)  # DVC: 5 decimals


def test_model_param_change_retrains_that_model_only(repo: Path) -> None:
    write_params(repo, {"models.mdrea.attention_mask": False})
    ran = dvc_repro(repo)  # the report reruns if MDREA's test metrics changed
    mdrea = {"train-r1@mdrea-1", "evaluate-r1@mdrea-1"}
    assert mdrea <= ran <= mdrea | {"report"}


def test_a_code_edit_reruns_exactly_the_stages_that_import_it(repo: Path) -> None:
    assert dvc_status(repo) == set()
    edits = {  # module → the stages whose code imports it
        "models/are.py": {f"{k}@are-1" for k in ("train-r1", "evaluate-r1", *R2BASE)},
        "pipeline/asr/sphinx.py": {"asr"},
        "pipeline/audio/prosody.py": {"audio"},
    }
    for module, importers in edits.items():
        path = repo / module
        original = path.read_text()
        path.write_text(original + "\n\ndef _edited() -> int:\n    return 1\n")
        assert dvc_status(repo) == importers, module
        if module != "pipeline/audio/prosody.py":
            path.write_text(original)
    # the rerun recomputes every utterance instead of reading the cache, and since the features
    # are the same, nothing downstream reruns
    arrays = {p.name: p.read_bytes() for p in (repo / "data/features/audio").glob("*.npy")}
    proc = dvc(repo, "repro")
    assert set(re.findall(r"Running stage '([^']+)'", proc.stdout)) == {"validate", "audio"}
    n = len(read_csv(repo / "data/manifest.csv", ["utterance_id"]))
    assert f"{n} utterances: {n} computed, 0 from cache" in proc.stderr
    assert {p.name: p.read_bytes() for p in (repo / "data/features/audio").glob("*.npy")} == arrays


def interrupted(repo: Path, stage: str, started: Callable[[], bool]) -> subprocess.Popen[str]:
    """`dvc repro -f -s <stage>`, sent SIGINT (to its whole process group, like Ctrl-C) once
    ``started()`` holds; returns the finished process."""
    proc = subprocess.Popen(
        ["dvc", "repro", "-f", "-s", stage],
        cwd=repo,
        env=dvc_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while not started() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode != 0, f"{stage} finished before the interrupt: {out[-2000:]}{err}"
    return proc


def _cache_entries(repo: Path, namespace: str) -> list[Path]:
    return list((repo / ".cache/mmser" / namespace).rglob("*.npz"))


@pytest.mark.parametrize(
    ("stage", "outputs", "forget", "downstream"),
    [
        ("audio", "data/features/audio", 48, set()),
        # three dialogs' crops (a few seconds of ResNet-101 each); meta.json records the timing
        ("video", "data/features/video", 3, {"report"}),
    ],
)
def test_an_interrupted_extraction_reruns_to_identical_arrays(
    repo: Path, stage: str, outputs: str, forget: int, downstream: set[str]
) -> None:
    before = {p.name: p.read_bytes() for p in (repo / outputs).glob("*.npy")}
    for entry in sorted(_cache_entries(repo, stage))[:forget]:
        entry.unlink()
    kept = len(_cache_entries(repo, stage))
    interrupted(repo, stage, lambda: len(_cache_entries(repo, stage)) > kept)
    assert not list((repo / outputs).glob("*.npy"))  # nothing published
    assert not list((repo / outputs).glob(".*.tmp"))  # temporary files removed
    done = len(_cache_entries(repo, stage))
    assert dvc_repro(repo, "-f", "-s", stage) == {stage}
    assert {p.name: p.read_bytes() for p in (repo / outputs).glob("*.npy")} == before
    assert kept < done < len(_cache_entries(repo, stage))  # resumed: computed only the rest
    assert dvc_repro(repo) <= downstream


def test_an_interrupted_training_resumes_to_an_identical_model(repo: Path) -> None:
    model = repo / "data/models/r1/fold1/are/model.pt"
    before = model.read_bytes()
    assert dvc_repro(repo, "-f", "-s", "train-r1@are-1") == {"train-r1@are-1"}  # a no-op retrain...
    assert model.read_bytes() == before  # ...gives the same bytes
    assert dvc_repro(repo) == set()  # so nothing downstream reruns
    longer = {"train.max_steps": 150, "train.min_steps": 150}
    write_params(repo, longer)
    assert dvc_repro(repo, "-s", "train-r1@are-1") == {"train-r1@are-1"}
    reference = model.read_bytes()
    resume = repo / ".cache/mmser/train/are"
    interrupted(repo, "train-r1@are-1", lambda: any(resume.glob("*.pt")))
    assert not model.exists()
    proc = dvc(repo, "repro", "-f", "-s", "train-r1@are-1")
    assert re.search(r"resuming are from step [1-9]", proc.stderr)
    assert model.read_bytes() == reference
    write_params(repo, {k: TINY[k] for k in longer})
    assert dvc_repro(repo) <= {"train-r1@are-1"}  # the 4-step model again: nothing else reruns
    assert model.read_bytes() == before


def test_one_settings_labels_rerun_that_setting_only(repo: Path) -> None:
    # Without R2's baselines to keep this quick: their stages follow the setting like AMH's.
    write_params(repo, {"settings.r2.labels": "4class", "settings.r2.baselines": []})
    ran = dvc_repro(repo)
    r2 = {"split@r2-1", "dataset@r2-1", "train-r2@amh-1", "evaluate-r2@amh-1"}
    assert ran == r2 | {"report"}
    summary = read_csv(repo / "results/summary.csv", ["setting", "scheme", "paper_note"])
    amh = next(r for r in summary if r["setting"] == "r2")
    assert amh["scheme"] == "4class" and amh["paper_note"] == "ICASSP 2020 reported 7class only"
    write_params(repo, {"settings.r2.labels": "7class"})
    assert not dvc_repro(repo) & {"split@r1-1", "train-r1@are-1"}  # back: R1 untouched


def test_more_folds_run_only_the_new_folds(repo: Path) -> None:
    # Fewer runs keep this quick: the fold mechanism is the same for every model.
    fewer = {"settings.r1.models": ["tre"], "settings.r2.models": [], "settings.r2.baselines": []}
    write_params(repo, {**fewer, "split.folds": [1, 2]})
    ran = dvc_repro(repo)
    fold2 = {"split@r1-2", "split@r2-2", "dataset@r1-2", "dataset@r2-2"}
    assert ran == fold2 | {"train-r1@tre-2", "evaluate-r1@tre-2", "report"}
    md = (repo / "results/summary.md").read_text()
    assert "| test WA (2 folds) | test UA (2 folds) | test WA, fold 1" in md
    assert "protocol: original, 2 folds (1, 2)" in md
    summary = read_csv(repo / "results/summary.csv", ["model", "folds"])
    assert [(r["model"], r["folds"]) for r in summary] == [("tre", "1 2")]


def test_one_fold_reruns_alone(repo: Path) -> None:
    write_params(repo, {"train.max_steps": 3})  # changes every fold's training ...
    ran = dvc_repro(repo, "--glob", "*-2")  # ... but only fold 2 is rerun now
    assert ran == {"train-r1@tre-2", "evaluate-r1@tre-2"}
    # fold 1 is left as it was (stale), and the report waits for the next full `dvc repro`
    assert dvc_status(repo) == {"train-r1@tre-1", "report"}
