"""Both backends on the same espeak-ng speech: how close they are, per feature group.

Measured on this utterance (3.5 s; opensmile 2.6, librosa 0.11) and bounded with margin:

- MFCC and AMH statics, deltas: identical definitions, equal to 1e-3 (16-bit input).
  Accelerations too, except the last two frames (openSMILE's end-of-input handling).
- loudness functionals: same definition, within 0.5 %.
- F0 (Hz and semitones): SHS + Viterbi vs pyin; the voiced-frame sets differ a little, so the
  functionals differ by a few percent (measured: mean 0.4 %, stddev 3 %, percentiles < 1 %).
- HNR: same ACF definition over different voiced frames: mean within 1 dB (measured 0.6 dB).
- voicing: different estimators of the same idea (SHS score vs ACF peak): mean within 0.05,
  spread not comparable (measured: mean 0.774 vs 0.773; stddev 0.09 vs 0.19).
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
    for contour, rel in (("F0final_sma", 0.05), ("F0finalLog_sma", 0.05)):
        for name in ("amean", "percentile10.0", "percentile90.0", "stddev"):
            key = f"{contour}_{name}"
            assert librosa[key] == pytest.approx(smile[key], rel=rel), key


def test_voicing_and_hnr_agree_loosely(both) -> None:
    smile, librosa = (_prosody(f) for f in both)
    hnr = "HarmonicsToNoiseRatioACFLogdB_sma_amean"
    assert abs(librosa[hnr] - smile[hnr]) < 1.0
    voicing = "voicingFinalUnclipped_sma_amean"
    assert abs(librosa[voicing] - smile[voicing]) < 0.05
