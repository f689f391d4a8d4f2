"""An independent, deliberately plain numpy implementation of HTK's MFCC_E / MFCC_0 definitions
(the HTK Book, ch. 5), used by the tests as ground truth for both backends.

Frames of 25 ms every 10 ms on 16-bit sample values, HTK pre-emphasis 0.97, Hamming window,
512-point power spectrum, triangular filters spaced and shaped linearly on the mel scale
mel(f) = 1127 ln(1 + f/700), log with floor 1, DCT c_i = sqrt(2/N) sum_j m_j cos(pi i (j-0.5)/N),
sinusoidal lifter 22; log energy of the raw frame; regression deltas with window 2.
"""

from __future__ import annotations

import numpy as np

SR = 16000


def frames(signal: np.ndarray, length: int = 400, hop: int = 160) -> np.ndarray:
    count = 1 + (len(signal) - length) // hop
    return np.stack([signal[i * hop : i * hop + length] for i in range(count)])


def mel_filters(bands: int, n_fft: int = 512, low: float = 0.0, high: float = 8000.0) -> np.ndarray:
    def mel(f: np.ndarray | float) -> np.ndarray:
        return 1127.0 * np.log(1.0 + np.asarray(f) / 700.0)

    bin_mel = mel(np.arange(n_fft // 2 + 1) * SR / n_fft)
    edges = np.linspace(mel(low), mel(high), bands + 2)
    filters = np.zeros((bands, n_fft // 2 + 1))
    for b in range(bands):
        left, centre, right = edges[b], edges[b + 1], edges[b + 2]
        for k in range(1, n_fft // 2 + 1):  # bin 0 (DC) is not used by HTK
            if left < bin_mel[k] <= centre:
                filters[b, k] = (bin_mel[k] - left) / (centre - left)
            elif centre < bin_mel[k] < right:
                filters[b, k] = (right - bin_mel[k]) / (right - centre)
    return filters


def cepstra(signal: np.ndarray, bands: int, coefficients: list[int]) -> np.ndarray:
    """Liftered cepstra ``c_i`` (i in ``coefficients``) per frame of a float signal in [-1, 1]."""
    x = frames(signal.astype(np.float64) * 32768.0)
    emphasised = np.empty_like(x)
    emphasised[:, 0] = x[:, 0] * (1 - 0.97)
    emphasised[:, 1:] = x[:, 1:] - 0.97 * x[:, :-1]
    n = x.shape[1]
    hamming = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(n) / (n - 1))
    power = np.abs(np.fft.rfft(emphasised * hamming, 512)) ** 2
    log_mel = np.log(np.maximum(power @ mel_filters(bands).T, 1.0))
    out = np.zeros((len(x), len(coefficients)))
    for col, i in enumerate(coefficients):
        basis = np.cos(np.pi * i / bands * (np.arange(1, bands + 1) - 0.5))
        out[:, col] = np.sqrt(2.0 / bands) * (log_mel @ basis) * (1 + 11.0 * np.sin(np.pi * i / 22))
    return out


def log_energy(signal: np.ndarray) -> np.ndarray:
    x = frames(signal.astype(np.float64) * 32768.0)
    return np.log(np.maximum((x**2).sum(axis=1), 1.0))


def deltas(features: np.ndarray, window: int = 2) -> np.ndarray:
    """HTK regression coefficients, first/last frames repeated at the edges."""
    padded = np.concatenate(
        [features[:1].repeat(window, 0), features, features[-1:].repeat(window, 0)]
    )
    t = len(features)
    num = sum(
        k * (padded[window + k : window + k + t] - padded[window - k : window - k + t])
        for k in range(1, window + 1)
    )
    return num / (2 * sum(k * k for k in range(1, window + 1)))
