"""What one utterance's audio features are: shapes and column names.

The stored frame-level arrays keep the originals' conventions: one frame per
10 ms, the first ``MFCC_FRAMES`` (R1) or ``AMH_FRAMES`` (AMH) frames, zero right-padding, and a
valid length that counts the frames actually present (at most the fixed length).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.audio.signal import HOP

MFCC_FRAMES = 750  # R1: 7.5 s at a 10 ms hop
AMH_FRAMES = 1000  # AMH: 10 s at a 10 ms hop
MFCC_DIM = 39
AMH_DIM = 120
PROSODY_DIM = 35
FRAME_SAMPLES = 400  # 25 ms cepstral analysis frames at 16 kHz, one every HOP (10 ms)


def _with_deltas(static: list[str]) -> tuple[str, ...]:
    return (*static, *(f"{n}_de" for n in static), *(f"{n}_de_de" for n in static))


# R1 MFCC12_E_D_A order: mfcc1..12, logE, then their deltas, then their accelerations.
MFCC_COLUMNS = _with_deltas([*(f"mfcc{i}" for i in range(1, 13)), "logE"])
# AMH: 40 cepstra of 40 mel bands in HTK order (c0 last, as openSMILE's htkcompatible cMfcc).
AMH_COLUMNS = _with_deltas([*(f"mfcc{i}" for i in range(1, 40)), "mfcc0"])

# The functionals of the first four contours run over voiced (non-zero) frames only.
PROSODY_CONTOURS = (
    "F0final_sma",  # fundamental frequency (Hz), 0 when unvoiced
    "F0finalLog_sma",  # the same in semitones above 27.5 Hz, 0 when unvoiced
    "voicingFinalUnclipped_sma",  # voicing probability of the pitch estimate
    "HarmonicsToNoiseRatioACFLogdB_sma",  # harmonics-to-noise ratio (dB), 0 when unvoiced
    "loudness_sma",  # auditory-weighted, cube-root-compressed band energy sum
)
PROSODY_FUNCTIONALS = (
    "stddev",
    "amean",
    "linregc1",
    "centroid",
    "percentile10.0",
    "percentile90.0",
    "pctlrange0-1",
)
PROSODY_COLUMNS = tuple(f"{c}_{f}" for c in PROSODY_CONTOURS for f in PROSODY_FUNCTIONALS)


@dataclass(frozen=True)
class AudioFeatures:
    """A backend's output for one utterance, before fitting to the fixed frame counts.

    Attributes:
        mfcc: ``[T, 39]`` float32, every frame.
        amh: ``[T, 120]`` float32, every frame (same framing as ``mfcc``).
        prosody: ``[35]`` float32 utterance functionals in :data:`PROSODY_COLUMNS` order.
    """

    mfcc: np.ndarray
    amh: np.ndarray
    prosody: np.ndarray

    def __post_init__(self) -> None:
        frames = len(self.mfcc)
        expected = {
            "mfcc": (self.mfcc, (frames, MFCC_DIM)),
            "amh": (self.amh, (frames, AMH_DIM)),
            "prosody": (self.prosody, (PROSODY_DIM,)),
        }
        for name, (array, shape) in expected.items():
            if array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
        if frames < 1:
            raise ValueError("no frames")

    @property
    def frames(self) -> int:
        """Number of 10 ms frames (untruncated)."""
        return len(self.mfcc)


def expected_frames(samples: int) -> int:
    """Frames of a 16 kHz signal of ``samples`` samples: whole 25 ms frames every 10 ms from t = 0
    (what both backends produce; a result with any other count was cut short)."""
    return max(0, (samples - FRAME_SAMPLES) // HOP + 1)
