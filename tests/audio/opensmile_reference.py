"""What openSMILE's official configs wrote for the wavs of ``reference/opensmile/`` (its README).

Each ``<name>.wav`` has ``<name>.MFCC12_E_D_A.csv`` (config/mfcc/MFCC12_E_D_A.conf: csv sink,
``;``-separated, header ``name;frameTime;`` + 39 columns) and
``<name>.prosodyShsViterbiLoudness.arff`` (config/prosody/prosodyShsViterbiLoudness.conf: the
ARFF sink appends one ``name,<35 values>,class`` row per run, so the last ``@data`` row counts).
The files are read here as openSMILE wrote them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

REFERENCE_DIR = Path(__file__).parent / "reference" / "opensmile"
NAMES = tuple(sorted(p.stem for p in REFERENCE_DIR.glob("*.wav")))


@dataclass(frozen=True)
class Table:
    """Named columns and their values (``[frames, columns]`` or ``[columns]``)."""

    columns: tuple[str, ...]
    values: np.ndarray


def signal(name: str) -> np.ndarray:
    """The wav's samples, float32 in [-1, 1) (16-bit PCM / 32768)."""
    samples, rate = sf.read(REFERENCE_DIR / f"{name}.wav", dtype="float32")
    assert rate == 16000 and samples.ndim == 1
    return samples


def mfcc(name: str) -> Table:
    """The MFCC12_E_D_A csv: its 39 feature columns (``name`` and ``frameTime`` checked and
    dropped; frame ``i`` must be at ``i * 10 ms``)."""
    with (REFERENCE_DIR / f"{name}.MFCC12_E_D_A.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=";"))
    assert header[:2] == ["name", "frameTime"]
    times = np.array([float(row[1]) for row in rows])
    np.testing.assert_allclose(times, np.arange(len(rows)) * 0.01, atol=1e-6)
    values = np.array([[float(v) for v in row[2:]] for row in rows])
    return Table(tuple(header[2:]), values)


def prosody(name: str) -> Table:
    """The prosody ARFF: its numeric ``@attribute`` names (without ``name`` and ``class``) and
    the values of its last ``@data`` row."""
    attributes: list[str] = []
    rows: list[list[str]] = []
    in_data = False
    for line in (REFERENCE_DIR / f"{name}.prosodyShsViterbiLoudness.arff").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if in_data:
            rows.append(line.split(","))
        elif line.lower().startswith("@attribute"):
            attributes.append(line.split()[1])
        elif line.lower() == "@data":
            in_data = True
    assert attributes[0] == "name" and attributes[-1] == "class" and rows
    last = rows[-1]
    assert len(last) == len(attributes)
    return Table(tuple(attributes[1:-1]), np.array([float(v) for v in last[1:-1]]))


def relative_error(ours: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``|a - b| / max(|b|, 1e-3)`` per element."""
    return np.abs(ours - reference) / np.maximum(np.abs(reference), 1e-3)
