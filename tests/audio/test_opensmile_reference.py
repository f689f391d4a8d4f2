"""The openSMILE backend equals openSMILE's official MFCC12_E_D_A and prosodyShsViterbiLoudness
configs on the reference wavs (tests/audio/reference/opensmile/, what those configs wrote).

Bounds: MFCC max |difference| 1e-4 on every frame (the csv holds 6 significant digits); every
prosody value within 1e-3 relative, ``|a - b| / max(|b|, 1e-3)`` (measured: 5e-5 and 4e-7).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from pipeline.audio.backends import create_backend
from pipeline.audio.features import MFCC_COLUMNS, PROSODY_COLUMNS
from tests.audio import opensmile_reference as reference


@pytest.fixture(scope="module")
def backend():
    return create_backend("opensmile")


def test_reference_folder_holds_every_output() -> None:
    assert len(reference.NAMES) == 7
    for name in reference.NAMES:
        assert (reference.REFERENCE_DIR / f"{name}.MFCC12_E_D_A.csv").is_file()
        assert (reference.REFERENCE_DIR / f"{name}.prosodyShsViterbiLoudness.arff").is_file()


@pytest.mark.parametrize("name", reference.NAMES)
def test_mfcc_equals_the_official_config(backend, name: str) -> None:
    expected = reference.mfcc(name)
    ours = backend.extract(reference.signal(name)).mfcc.astype(np.float64)
    assert ours.shape == expected.values.shape  # same frame count, 39 columns
    assert np.abs(ours - expected.values).max() <= 1e-4


@pytest.mark.parametrize("name", reference.NAMES)
def test_prosody_equals_the_official_config(backend, name: str) -> None:
    expected = reference.prosody(name)
    ours = backend.extract(reference.signal(name)).prosody.astype(np.float64)
    errors = reference.relative_error(ours, expected.values)
    worst = int(errors.argmax())
    assert errors.max() <= 1e-3, (expected.columns[worst], ours[worst], expected.values[worst])


def _mmser_name(official: str) -> str:
    """openSMILE's MFCC column name in mmser's spelling: ``pcm_fftMag_mfcc_de[3]`` is
    ``mfcc3_de``, ``pcm_LOGenergy_de_de`` is ``logE_de_de``."""
    if match := re.fullmatch(r"pcm_fftMag_mfcc((?:_de)*)\[(\d+)\]", official):
        return f"mfcc{match[2]}{match[1]}"
    if match := re.fullmatch(r"pcm_LOGenergy((?:_de)*)", official):
        return f"logE{match[1]}"
    raise AssertionError(f"unexpected column {official}")


@pytest.mark.parametrize("name", reference.NAMES)
def test_column_order_is_the_official_one(name: str) -> None:
    assert reference.prosody(name).columns == PROSODY_COLUMNS
    assert tuple(_mmser_name(c) for c in reference.mfcc(name).columns) == MFCC_COLUMNS
