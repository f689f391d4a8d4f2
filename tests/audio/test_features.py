"""The declared shapes and columns."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio.features import (
    AMH_COLUMNS,
    MFCC_COLUMNS,
    PROSODY_COLUMNS,
    AudioFeatures,
)


def test_columns() -> None:
    assert len(MFCC_COLUMNS) == 39 and MFCC_COLUMNS[12] == "logE" and MFCC_COLUMNS[25] == "logE_de"
    assert len(AMH_COLUMNS) == 120 and AMH_COLUMNS[39] == "mfcc0"
    assert len(PROSODY_COLUMNS) == len(set(PROSODY_COLUMNS)) == 35
    assert (
        PROSODY_COLUMNS[0] == "F0final_sma_stddev"
        and PROSODY_COLUMNS[-1] == "loudness_sma_pctlrange0-1"
    )


def test_audio_features_checks_shapes() -> None:
    ok = AudioFeatures(np.zeros((5, 39)), np.zeros((5, 120)), np.zeros(35))
    assert ok.frames == 5
    with pytest.raises(ValueError, match="amh has shape"):
        AudioFeatures(np.zeros((5, 39)), np.zeros((4, 120)), np.zeros(35))
