"""The librosa backend against the independent HTK definition and openSMILE's contours."""

from __future__ import annotations

import numpy as np
import opensmile
import pytest

from pipeline.audio import librosa_backend
from pipeline.audio.backends import create_backend
from pipeline.audio.features import PROSODY_COLUMNS
from pipeline.audio.opensmile_backend import SMILE_CONFIGS
from tests.audio import htk_reference as htk
from tests.audio.wavs import chirp, harmonic_tone, speech


def test_cepstral_features_match_htk_definition() -> None:
    signal = chirp(1.0)
    mfcc, amh = librosa_backend.cepstral_features(signal)
    static = np.concatenate(
        [htk.cepstra(signal, 26, list(range(1, 13))), htk.log_energy(signal)[:, None]], 1
    )
    np.testing.assert_allclose(mfcc[:, :13], static, atol=1e-6)
    np.testing.assert_allclose(mfcc[:, 13:26], htk.deltas(static), atol=1e-6)
    np.testing.assert_allclose(mfcc[:, 26:], htk.deltas(htk.deltas(static)), atol=1e-6)
    np.testing.assert_allclose(amh[:, :40], htk.cepstra(signal, 40, [*range(1, 40), 0]), atol=1e-6)


def test_deltas_of_a_single_frame_are_zero() -> None:
    mfcc, _ = librosa_backend.cepstral_features(harmonic_tone(150.0, 400 / 16000))
    assert mfcc.shape == (1, 39)
    np.testing.assert_allclose(mfcc[:, 13:], 0.0, atol=1e-9)


def test_loudness_matches_opensmile_contour() -> None:
    signal = speech()
    smile = opensmile.Smile(
        feature_set=str(SMILE_CONFIGS["prosody"]), feature_level="pr_ld_loudness"
    )
    reference = smile(signal, 16000)[0, 0]
    ours = librosa_backend.loudness(signal)
    assert len(ours) == len(reference)
    np.testing.assert_allclose(ours, reference, rtol=5e-3, atol=1e-4)  # lowest band edge differs


@pytest.mark.parametrize("f0", [110.0, 220.0])
def test_prosody_pitch_of_a_harmonic_tone(f0: float) -> None:
    features = create_backend("librosa").extract(harmonic_tone(f0, 1.5))
    prosody = dict(zip(PROSODY_COLUMNS, features.prosody, strict=True))
    assert prosody["F0final_sma_amean"] == pytest.approx(f0, rel=0.02)  # pyin: 1/4-semitone grid
    assert prosody["F0finalLog_sma_amean"] == pytest.approx(12 * np.log2(f0 / 27.5), abs=0.3)
    assert prosody["voicingFinalUnclipped_sma_amean"] > 0.6
    assert prosody["HarmonicsToNoiseRatioACFLogdB_sma_amean"] > 5
