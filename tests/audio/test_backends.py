"""Both backends on the same espeak-ng speech: how close they are, per feature group.

Measured on this utterance (3.5 s; opensmile 2.6, librosa 0.11) and bounded with margin:

- MFCC and AMH statics, deltas: identical definitions (measured max difference 3e-4), bound 1e-3.
  Accelerations too, except the last two frames (openSMILE's end-of-input handling).
- loudness functionals: same definition (measured < 0.01 %), bound 0.5 %.
- F0 (Hz and semitones): SHS + Viterbi vs pyin; the voiced-frame sets differ a little. Measured:
  mean 0.3 %, percentiles < 1 %, stddev 3-4 %; bounds 2 % and 8 %.
- HNR: same ACF definition over different voiced frames: mean within 1 dB (measured 0.6 dB).
- voicing: different estimators of the same idea (SHS score vs ACF peak): mean within 0.05
  (measured 0.774 vs 0.773); the spread is not comparable (stddev 0.09 vs 0.19), not bounded.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.audio.backends import create_backend
from pipeline.audio.features import PROSODY_COLUMNS
from tests.audio.wavs import speech


@pytest.fixture(scope="module")
def both():
    signal = speech()
    return create_backend("opensmile").extract(signal), create_backend("librosa").extract(signal)


def _prosody(features) -> dict[str, float]:
    return dict(zip(PROSODY_COLUMNS, features.prosody.astype(float), strict=True))


def test_cepstral_features_agree(both) -> None:
    smile, librosa = both
    assert smile.mfcc.shape == librosa.mfcc.shape and smile.amh.shape == librosa.amh.shape
    np.testing.assert_allclose(librosa.mfcc[:, :26], smile.mfcc[:, :26], atol=1e-3)
    np.testing.assert_allclose(librosa.mfcc[:-2, 26:], smile.mfcc[:-2, 26:], atol=1e-3)
    np.testing.assert_allclose(librosa.amh[:, :80], smile.amh[:, :80], atol=2e-3)
    np.testing.assert_allclose(librosa.amh[:-2, 80:], smile.amh[:-2, 80:], atol=2e-3)


def test_loudness_functionals_agree(both) -> None:
    smile, librosa = (_prosody(f) for f in both)
    for name in ("amean", "stddev", "percentile10.0", "percentile90.0", "centroid"):
        key = f"loudness_sma_{name}"
        assert librosa[key] == pytest.approx(smile[key], rel=5e-3), key


def test_pitch_functionals_agree(both) -> None:
    smile, librosa = (_prosody(f) for f in both)
    for contour in ("F0final_sma", "F0finalLog_sma"):
        for name, rel in (("amean", 0.02), ("percentile10.0", 0.02), ("percentile90.0", 0.02)):
            key = f"{contour}_{name}"
            assert librosa[key] == pytest.approx(smile[key], rel=rel), key
        key = f"{contour}_stddev"
        assert librosa[key] == pytest.approx(smile[key], rel=0.08), key


def test_voicing_and_hnr_agree_loosely(both) -> None:
    smile, librosa = (_prosody(f) for f in both)
    hnr = "HarmonicsToNoiseRatioACFLogdB_sma_amean"
    assert abs(librosa[hnr] - smile[hnr]) < 1.0
    voicing = "voicingFinalUnclipped_sma_amean"
    assert abs(librosa[voicing] - smile[voicing]) < 0.05
