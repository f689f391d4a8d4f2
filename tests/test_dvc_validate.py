"""`dvc repro` of the real dvc.yaml checks the whole params.yaml first, in a copy of the repo: a
mistake stops it before any other stage with the line, key and suggestion; a passing check
reruns nothing else."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
DVC = Path(sys.executable).parent / "dvc"


def copy_repo(dest: Path) -> Path:
    """The project's files (no run state) in a fresh git repository at ``dest``."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        if name != "dvc.lock" and (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    (dest / ".dvc" / "config.local").write_text(
        f"[core]\n    site_cache_dir = {dest.parent / 'dvc-site'}\n"
    )
    return dest


def dvc(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DVC_NO_ANALYTICS="1", GRPC_VERBOSITY="ERROR")
    env["PATH"] = f"{DVC.parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [str(DVC), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )


def stages_run(result: subprocess.CompletedProcess[str]) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", result.stdout))


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (unique) by ``new`` in ``path``; return the line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


def test_typo_stops_repro_before_any_stage_with_key_line_and_suggestion(repo: Path) -> None:
    params = repo / "params.yaml"
    line = edit(params, "  normalize: train_zscore", "  bakend: librosa\n  normalize: train_zscore")
    section = edit(params, "\ncache:\n", "\naudoi:\n  workers: 1\ncache:\n") + 1
    result = dvc(repo, "repro")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (
        f"params.yaml:{line}: audio.bakend: unknown key; did you mean `audio.backend`? "
        "(audio takes: backend, on_error, workers, normalize)"
    ) in output
    assert f"params.yaml:{section}: audoi: unknown section; did you mean `audio`?" in output
    assert stages_run(result) == {"validate"}
    assert not (repo / "data" / "IEMOCAP_synthetic").exists()


def test_corpus_root_pointing_nowhere_is_named_before_dvc_looks_for_it(repo: Path) -> None:
    params = repo / "params.yaml"
    edit(params, "  source: synthetic", "  source: iemocap")
    line = edit(params, "  root: data/IEMOCAP_synthetic", "  root: /nowhere/IEMOCAP_full_release")
    result = dvc(repo, "repro")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (
        f"params.yaml:{line}: corpus.root: '/nowhere/IEMOCAP_full_release': corpus root does not "
        "exist; with corpus.source: iemocap it must be the IEMOCAP_full_release folder, holding "
        "Session1..Session5"
    ) in output
    assert "Errno 2" not in output
    assert stages_run(result) == {"validate"}


def test_noop_repro_after_a_good_run_reruns_only_the_check(repo: Path) -> None:
    first = dvc(repo, "repro", "validate")
    assert first.returncode == 0, first.stderr
    assert (repo / "data" / "params.ok").is_file()
    # Stand-ins for every other stage's outputs, recorded as a finished run.
    outs = subprocess.run(
        [sys.executable, "-c", _LIST_OUTS],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for out in outs:
        target = repo / out
        if not target.exists():
            if target.suffix:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(out)
            else:
                target.mkdir(parents=True)
                (target / "placeholder").write_text(out)
    committed = dvc(repo, "commit", "--force", "--quiet")
    assert committed.returncode == 0, committed.stderr
    again = dvc(repo, "repro")
    assert again.returncode == 0, again.stdout + again.stderr
    assert stages_run(again) == {"validate"}
    assert "Stage 'corpus' didn't change, skipping" in again.stdout
    assert "Stage 'report' didn't change, skipping" in again.stdout


_LIST_OUTS = """
from dvc.repo import Repo
with Repo(".") as repo:
    for stage in repo.index.stages:
        for path in (*stage.deps, *stage.outs):
            print(path.def_path)
"""
