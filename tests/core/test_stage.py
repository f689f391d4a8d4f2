"""The one error exit of every stage: MmserError and OS errors become one line and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import stage
from tests.corpus.release_files import write_dialog

REPO = Path(__file__).resolve().parents[2]


def _exit_of(main, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        stage.run(main)
    return info.value.code, capsys.readouterr().err


def test_os_error_is_one_line_naming_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    def main() -> None:
        raise PermissionError(13, "Permission denied", "data/features/text/tokens.npy")

    code, err = _exit_of(main, capsys)
    assert code == 1
    assert err == "error: data/features/text/tokens.npy: Permission denied\n"


def test_failed_rename_names_both_paths(capsys: pytest.CaptureFixture[str]) -> None:
    def main() -> None:
        raise OSError(18, "Invalid cross-device link", "/tmp/a.tmp", None, "data/a.csv")

    code, err = _exit_of(main, capsys)
    assert (code, err) == (1, "error: /tmp/a.tmp -> data/a.csv: Invalid cross-device link\n")


def test_stage_run_directly_with_an_unwritable_output_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "release"
    write_dialog(corpus, "Ses01F_impro01", [("Ses01F_impro01_F000", 1.0, 2.0, "neu", "Hi.")])
    work = tmp_path / "work"
    work.mkdir()
    (work / "data").write_text("a file where the output folder should be\n")
    params = {"corpus": {"source": "iemocap", "root": str(corpus)}}
    (work / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "stages.manifest"],
        cwd=work, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: data/manifest.csv: cannot write the file: ")
    assert "data must be a writable folder" in last
