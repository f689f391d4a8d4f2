"""Contour smoothing and the seven prosody functionals, in numpy (openSMILE's definitions).

Used by the librosa backend; tests check them against hand-computed values and against openSMILE's
own functionals of the same contours.
"""

from __future__ import annotations

import numpy as np

from pipeline.audio.features import PROSODY_FUNCTIONALS


def smooth(contour: np.ndarray, *, skip_zeros: bool = False) -> np.ndarray:
    """3-frame centred moving average, edges repeated (openSMILE ``cContourSmoother``, smaWin=3).

    With ``skip_zeros`` (``noZeroSma=1``) zero frames stay zero and a non-zero frame is the mean
    of the non-zero frames among itself and its two neighbours.

    Example:
        >>> smooth(np.array([3.0, 0.0, 6.0, 9.0]), skip_zeros=True).tolist()
        [3.0, 0.0, 7.5, 8.0]
    """
    contour = np.asarray(contour, dtype=np.float64)
    padded = np.pad(contour, 1, mode="edge")
    window = np.stack([padded[:-2], padded[1:-1], padded[2:]])
    if not skip_zeros:
        return window.mean(axis=0)
    count = (window != 0).sum(axis=0)
    return np.where(contour != 0, window.sum(axis=0) / np.maximum(count, 1), 0.0)


def functionals(contour: np.ndarray, *, nonzero: bool = False) -> np.ndarray:
    """The seven functionals of :data:`~pipeline.audio.features.PROSODY_FUNCTIONALS`.

    ``stddev`` (population), ``amean``, ``linregc1`` (slope of the least-squares line over the
    frame index), ``centroid`` (``sum(t * x) / sum(x) / n``, t = 0..n-1), the 10th and 90th
    percentiles (linear interpolation) and their difference. With ``nonzero``
    (``nonZeroFuncts=1``) only the non-zero frames count, in order; no such frame (or no frame)
    gives zeros, as openSMILE does.

    Example:
        >>> functionals(np.array([1.0, 2.0, 3.0])).round(4).tolist()
        [0.8165, 2.0, 1.0, 0.4444, 1.2, 2.8, 1.6]
    """
    values = np.asarray(contour, dtype=np.float64)
    if nonzero:
        values = values[values != 0]
    n = len(values)
    if n == 0:
        return np.zeros(len(PROSODY_FUNCTIONALS))
    t = np.arange(n, dtype=np.float64)
    t_centred = t - t.mean()
    denominator = (t_centred**2).sum()
    slope = (t_centred * (values - values.mean())).sum() / denominator if n > 1 else 0.0
    total = values.sum()
    centroid = (t * values).sum() / total / n if total != 0 else 0.0
    p10, p90 = np.percentile(values, [10, 90])
    return np.array([values.std(), values.mean(), slope, centroid, p10, p90, p90 - p10])
