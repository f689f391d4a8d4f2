"""Manifest records: CSV round trip and validation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import MmserError
from pipeline.manifest import Utterance, read_manifest, validate, write_manifest

U = Utterance(
    "Ses01F_impro01_F000",
    1,
    "Ses01F_impro01",
    "impro",
    "F",
    6.2901,
    8.2357,
    "neu",
    2.5,
    3.0,
    1.5,
    'He said: "no", café.',
    "Session1/x.wav",
    "d.wav",
    "",
)


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    second = replace(U, utterance_id="Ses01F_impro01_M000", speaker="M", transcript="")
    assert write_manifest(path, [U, second]) == 2
    assert read_manifest(path) == [U, second]
    assert U.actor == "Ses01_F" and U.duration == pytest.approx(1.9456)


def test_validation_names_the_utterance() -> None:
    with pytest.raises(MmserError, match="duplicate utterance id Ses01F_impro01_F000"):
        validate([U, U])
    with pytest.raises(MmserError, match=r"Ses01F_impro01_F000 has start 3\.0 and end 2\.0"):
        validate([replace(U, start=3.0, end=2.0)])


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    write_manifest(path, [U])
    path.write_text(path.read_text().replace("6.2901", "six"))
    with pytest.raises(MmserError) as info:
        read_manifest(path)
    assert info.value.file == str(path) and info.value.line == 2
