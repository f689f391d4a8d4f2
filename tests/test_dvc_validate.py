"""`dvc repro` of the real dvc.yaml checks the whole params.yaml first, in a copy of the repo: a
mistake stops it before any other stage with the line, key and suggestion; a passing check
reruns nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.project_copy import copy_project, run_dvc

pytestmark = pytest.mark.slow


def stages_run(result: subprocess.CompletedProcess[str]) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", result.stdout))


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (unique) by ``new`` in ``path``; return the line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def failed_repro(repo: Path) -> str:
    """`dvc repro` that must fail in the params check, before any other stage: its output."""
    result = run_dvc(repo, "repro")
    assert result.returncode != 0
    assert stages_run(result) == {"validate"}
    return result.stdout + result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "repo")


def test_typo_stops_repro_before_any_stage_with_key_line_and_suggestion(repo: Path) -> None:
    params = repo / "params.yaml"
    line = edit(
        params, "  normalize: speaker_zscore", "  bakend: librosa\n  normalize: speaker_zscore"
    )
    section = edit(params, "\ncache:\n", "\naudoi:\n  workers: 1\ncache:\n") + 1
    output = failed_repro(repo)
    assert (
        f"params.yaml:{line}: audio.bakend: unknown key; did you mean `audio.backend`? "
        "(audio takes: backend, on_error, workers, normalize)"
    ) in output
    assert f"params.yaml:{section}: audoi: unknown section; did you mean `audio`?" in output
    assert not (repo / "data" / "IEMOCAP_synthetic").exists()


def test_corpus_root_pointing_nowhere_is_named_before_dvc_looks_for_it(repo: Path) -> None:
    params = repo / "params.yaml"
    edit(params, "  source: synthetic", "  source: iemocap")
    line = edit(params, "  root: data/IEMOCAP_synthetic", "  root: /nowhere/IEMOCAP_full_release")
    output = failed_repro(repo)
    assert (
        f"params.yaml:{line}: corpus.root: '/nowhere/IEMOCAP_full_release': corpus root does not "
        "exist; with corpus.source: iemocap it must be the IEMOCAP_full_release folder, holding "
        "Session1..Session5"
    ) in output
    assert "Errno 2" not in output


def test_noop_repro_after_a_good_run_reruns_only_the_check(repo: Path) -> None:
    first = run_dvc(repo, "repro", "validate")
    assert first.returncode == 0, first.stderr
    assert (repo / "data" / "params.ok").is_file()
    # Stand-ins for every path the other stages read or write, recorded as a finished run.
    listed = subprocess.run(
        [sys.executable, "-c", _LIST_PATHS], cwd=repo, capture_output=True, text=True, check=True
    )
    for target in (repo / name for name in listed.stdout.split()):
        if target.exists():
            continue
        folder = target.parent if target.suffix else target
        folder.mkdir(parents=True, exist_ok=True)
        (target if target.suffix else target / "placeholder").write_text(target.name)
    committed = run_dvc(repo, "commit", "--force", "--quiet")
    assert committed.returncode == 0, committed.stderr
    again = run_dvc(repo, "repro")
    assert again.returncode == 0, again.stdout + again.stderr
    assert stages_run(again) == {"validate"}
    assert "Stage 'corpus' didn't change, skipping" in again.stdout
    assert "Stage 'report' didn't change, skipping" in again.stdout


_LIST_PATHS = """
from dvc.repo import Repo
with Repo(".") as repo:
    for stage in repo.index.stages:
        for path in (*stage.deps, *stage.outs):
            print(path.def_path)
"""
