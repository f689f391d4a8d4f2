"""Test helper: a folder this process cannot write to, even as root."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """Make ``folder`` (created if needed) read-only: chmod 555, and as root (who ignores
    permissions) the immutable attribute; skips the test where neither works."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    probe = folder / "probe"
    try:
        probe.touch()
    except PermissionError:
        pass
    else:
        probe.unlink()
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            folder.chmod(0o755)
            pytest.skip("cannot make a folder read-only here (root, and no chattr)")
        immutable = True
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
