"""A copy of the project's files in a fresh git repository, and `dvc` run inside it (for the
tests that run the real dvc.yaml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_project(dest: Path) -> Path:
    """The tracked and untracked-but-not-ignored files (no run state: no dvc.lock) at ``dest``,
    a new git repository whose DVC site cache lives beside it."""
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
    config = dest / ".dvc" / "config.local"
    config.write_text(f"[core]\n    site_cache_dir = {dest.parent / 'dvc-site'}\n")
    return dest


def dvc_env() -> dict[str, str]:
    """The environment dvc runs in: this interpreter's environment first on PATH."""
    env = dict(os.environ, DVC_NO_ANALYTICS="1", GRPC_VERBOSITY="ERROR")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def run_dvc(repo: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``dvc <args>`` in ``repo`` with this interpreter's environment first on PATH."""
    return subprocess.run(
        ["dvc", *args], cwd=repo, env=dvc_env(), capture_output=True, text=True, timeout=timeout
    )
