"""Checkpoints hold tensors and plain values only: nothing in one is executed, and a damaged
resume checkpoint is discarded with a warning (training starts afresh)."""

from __future__ import annotations

import io
import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from models.checkpoint import load, save
from pipeline.errors import MmserError
from tests.models.test_train import TRAIN, _run

SHORT = replace(TRAIN, max_steps=24)


class Payload:
    """An object whose unpickling runs a shell command (what a crafted checkpoint does)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return os.system, (f"touch {self.marker}",)


def _crafted(marker: Path) -> bytes:
    buffer = io.BytesIO()
    torch.save({"state": Payload(marker), "model": {}}, buffer)
    return buffer.getvalue()


DAMAGE = {
    "garbage": lambda data, marker: b"\x80\x02garbage" * 100,
    "truncated": lambda data, marker: data[: len(data) // 2],
    "crafted": lambda data, marker: _crafted(marker),
}
MESSAGES = {
    "garbage": "truncated or corrupt checkpoint",
    "truncated": "truncated or corrupt checkpoint",
    "crafted": "refused checkpoint: it holds objects other than tensors and plain values",
}


@pytest.fixture(scope="module")
def reference(datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    _run("are", datasets, out, SHORT)
    return out


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_resume_checkpoint_is_discarded_and_training_starts_afresh(
    datasets: Path,
    reference: Path,
    tmp_path: Path,
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def interrupt(row: dict) -> None:
        if row["step"] >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run("are", datasets, tmp_path, SHORT, on_validation=interrupt)
    (resume,) = (tmp_path / "cache/train/are").glob("*.pt")
    marker = tmp_path / "code-ran"
    resume.write_bytes(DAMAGE[damage](resume.read_bytes(), marker))
    steps: list[int] = []
    with caplog.at_level(logging.WARNING):
        _run("are", datasets, tmp_path, SHORT, on_validation=lambda r: steps.append(r["step"]))
    assert f"discarding resume checkpoint {resume}: {MESSAGES[damage]}" in caplog.text
    assert "training starts afresh" in caplog.text
    assert not marker.exists()  # the crafted file's code never ran
    assert steps[0] < 8  # from the start
    model = (tmp_path / "model/model.pt").read_bytes()
    assert model == (reference / "model/model.pt").read_bytes()  # exactly a fresh run


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_model_file_is_an_error_naming_it(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "model.pt"
    save(path, {"state_dict": {"w": torch.ones(3)}, "name": "are"})
    path.write_bytes(DAMAGE[damage](path.read_bytes(), tmp_path / "code-ran"))
    with pytest.raises(MmserError, match=MESSAGES[damage]) as info:
        load(path)
    assert info.value.file == str(path)
    assert not (tmp_path / "code-ran").exists()


def test_same_payload_same_bytes(tmp_path: Path) -> None:
    payload = {"name": "are", "state_dict": {"w": torch.arange(6.0)}, "best_step": 3}
    save(tmp_path / "a" / "model.pt", payload)
    save(tmp_path / "b" / "other_name.pt", payload)
    first = (tmp_path / "a" / "model.pt").read_bytes()
    assert first == (tmp_path / "b" / "other_name.pt").read_bytes()
    assert load(tmp_path / "a" / "model.pt")["best_step"] == 3
