"""The openSMILE backend against independent definitions; its configs through opensmile.Smile."""

from __future__ import annotations

import numpy as np
import opensmile
import pytest

from pipeline.audio.backends import create_backend
from pipeline.audio.features import AMH_COLUMNS, MFCC_COLUMNS, PROSODY_COLUMNS
from pipeline.audio.opensmile_backend import SMILE_CONFIGS
from pipeline.audio.prosody import functionals, smooth
from pipeline.errors import MmserError
from tests.audio import htk_reference as htk
from tests.audio import opensmile_reference as reference
from tests.audio.wavs import chirp, harmonic_tone, speech


@pytest.fixture(scope="module")
def backend():
    return create_backend("opensmile")


def _smile(level: str, signal: np.ndarray, config: str | None = None) -> np.ndarray:
    """``[frames, features]`` of one level through the public opensmile.Smile API."""
    smile = opensmile.Smile(feature_set=str(config or SMILE_CONFIGS[level]), feature_level=level)
    return smile(signal, 16000)[0].T


def test_mfcc_matches_htk_definition(backend) -> None:
    signal = chirp(2.0)
    mfcc = backend.extract(signal).mfcc.astype(np.float64)
    assert mfcc.shape == (1 + (len(signal) - 400) // 160, len(MFCC_COLUMNS))
    static = np.concatenate(
        [htk.cepstra(signal, 26, list(range(1, 13))), htk.log_energy(signal)[:, None]], 1
    )
    np.testing.assert_allclose(mfcc[:, :13], static, atol=2e-3)
    delta = htk.deltas(mfcc[:, :13])
    np.testing.assert_allclose(mfcc[:, 13:26], delta, atol=1e-4)
    # Accelerations: openSMILE's end-of-input handling differs from HTK on the last 2 frames.
    np.testing.assert_allclose(mfcc[:-2, 26:], htk.deltas(delta)[:-2], atol=1e-4)


def test_amh_features_are_40_cepstra_c0_last_with_deltas(backend) -> None:
    signal = chirp(1.5, seed=1)
    amh = backend.extract(signal).amh.astype(np.float64)
    assert amh.shape[1] == len(AMH_COLUMNS) == 120
    static = htk.cepstra(signal, 40, [*range(1, 40), 0])
    np.testing.assert_allclose(amh[:, :40], static, atol=5e-3, rtol=1e-5)
    np.testing.assert_allclose(amh[:, 40:80], htk.deltas(amh[:, :40]), atol=1e-3)


@pytest.mark.parametrize("f0", [110.0, 220.0])
def test_prosody_pitch_of_a_harmonic_tone(backend, f0: float) -> None:
    prosody = dict(
        zip(PROSODY_COLUMNS, backend.extract(harmonic_tone(f0, 2.0)).prosody, strict=True)
    )
    assert prosody["F0final_sma_amean"] == pytest.approx(f0, rel=0.01)
    assert prosody["F0final_sma_percentile10.0"] == pytest.approx(f0, rel=0.01)
    assert prosody["F0final_sma_stddev"] < 0.01 * f0
    assert prosody["F0finalLog_sma_amean"] == pytest.approx(12 * np.log2(f0 / 27.5), abs=0.15)
    assert prosody["voicingFinalUnclipped_sma_amean"] > 0.6
    assert prosody["HarmonicsToNoiseRatioACFLogdB_sma_amean"] > 5  # a clean periodic signal
    assert prosody["loudness_sma_amean"] > 0


def test_silence_has_no_pitch(backend) -> None:
    prosody = dict(
        zip(PROSODY_COLUMNS, backend.extract(np.zeros(16000, np.float32)).prosody, strict=True)
    )
    assert prosody["F0final_sma_amean"] == 0 and prosody["F0final_sma_stddev"] == 0


def test_one_pass_equals_the_standalone_smile_configs(backend) -> None:
    signal = speech()
    features = backend.extract(signal)
    np.testing.assert_array_equal(features.mfcc, _smile("mfcc", signal))
    np.testing.assert_array_equal(features.amh, _smile("amh", signal))
    np.testing.assert_array_equal(features.prosody, _smile("prosody", signal)[0])
    names = opensmile.Smile(feature_set=str(SMILE_CONFIGS["prosody"]), feature_level="prosody")
    assert tuple(names.feature_names) == PROSODY_COLUMNS


def test_numpy_functionals_reproduce_opensmile_on_its_loudness_contour() -> None:
    signal = speech()
    config = SMILE_CONFIGS["prosody"]
    loudness = _smile("pr_ld_loudness", signal, config)[:, 0]
    expected = _smile("prosody", signal, config)[0, 28:35]
    np.testing.assert_allclose(functionals(smooth(loudness)), expected, rtol=1e-4, atol=1e-6)


def test_numpy_functionals_reproduce_opensmile_on_its_hnr_contour() -> None:
    """Over non-zero frames, with negative values (the centroid of the signed values)."""
    signal = reference.signal("w4_m_long")
    config = SMILE_CONFIGS["prosody"]
    hnr = _smile("pr_hnr", signal, config)[:, 0]
    assert (hnr < 0).sum() > 10 and (hnr == 0).sum() > 10
    expected = _smile("prosody", signal, config)[0, 21:28]
    ours = functionals(smooth(hnr, skip_zeros=True), nonzero=True)
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-6)


def test_shortest_signal_gives_frames_and_prosody(backend) -> None:
    features = backend.extract(harmonic_tone(200.0, 880 / 16000))
    assert features.frames == 4  # 1 + (880 - 400) // 160
    assert np.isfinite(features.prosody).all()


def test_reused_and_renewed_instances_give_identical_results(monkeypatch) -> None:
    from pipeline.audio import opensmile_backend

    monkeypatch.setattr(opensmile_backend, "RUNS_PER_INSTANCE", 2)
    backend = create_backend("opensmile")
    signals = [harmonic_tone(150.0, 0.5), chirp(0.7), harmonic_tone(150.0, 0.5)]
    results = [backend.extract(s) for s in signals]  # fresh, reset, renewed
    np.testing.assert_array_equal(results[0].mfcc, results[2].mfcc)
    np.testing.assert_array_equal(results[0].prosody, results[2].prosody)
    assert results[1].frames == 1 + (len(signals[1]) - 400) // 160
    backend.close()


def test_opensmile_errors_carry_the_log_message(monkeypatch, tmp_path) -> None:
    from pipeline.audio import opensmile_backend

    broken = tmp_path / "broken.conf"
    broken.write_text(
        "[componentInstances:cComponentManager]\ninstance[x].type = cNoSuchComponent\n"
    )
    monkeypatch.setattr(opensmile_backend, "ALL_FEATURES", broken)
    with pytest.raises(MmserError, match=r"openSMILE failed .*cNoSuchComponent"):
        create_backend("opensmile").extract(harmonic_tone(150.0, 0.2))
