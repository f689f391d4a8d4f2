"""The ``audio`` stage's work: every manifest utterance → the arrays of ``data/features/audio/``.

Outputs (N = manifest rows, in manifest order; failed rows are NaN with length 0):

- ``mfcc.npy`` ``[N, 750, 39]`` f32, ``seqN.npy`` ``[N]`` i64 (valid frames, ≤ 750)
- ``prosody.npy`` ``[N, 35]`` f32, ``prosody_columns.json`` (the 35 names)
- ``amh_audio.npy`` ``[N, 1000, 120]`` f32, ``amh_seqN.npy`` ``[N]`` i64 (≤ 1000)
- ``frames.npy`` ``[N]`` i64: the untruncated frame count (what R1 stored as seqN, max 3412 on
  the release); also the ``frames`` column of ``index.csv``
- ``index.csv``: utterance_id, wav, status, frames, seconds, sample_rate, channels, resampled,
  mixed_down, padded
- ``meta.json``: backend and library versions, params, definitions, conditioning counts,
  per-dimension statistics of the stored values (information only: features are stored raw)
- ``failed.csv``: one row per unusable wav (file and reason)

Utterances are processed in parallel (:func:`pipeline.parallel.parallel_map`), each one cached by
(wav bytes, backend, backend config, the fingerprint of the code that computes it) once it is
checked complete, and written row by row into the ``.npy`` files
(:class:`pipeline.io.NpyStreamWriter`: no memory map), so memory does not grow with N.
"""

from __future__ import annotations

import hashlib
import logging
import platform
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.audio.backends import AudioBackend, create_backend
from pipeline.audio.features import (
    AMH_COLUMNS,
    AMH_DIM,
    AMH_FRAMES,
    MFCC_COLUMNS,
    MFCC_DIM,
    MFCC_FRAMES,
    PROSODY_COLUMNS,
    PROSODY_DIM,
    expected_frames,
)
from pipeline.audio.params import AudioParams
from pipeline.audio.signal import HOP, SAMPLE_RATE, SignalInfo, load_signal
from pipeline.cache import ItemCache
from pipeline.corpus.layout import resolve_root
from pipeline.errors import MmserError
from pipeline.failures import FailureRecord, apply_policy, write_failures
from pipeline.io import NpyStreamWriter, save_npy, write_csv, write_json
from pipeline.manifest import Utterance
from pipeline.parallel import Cached, parallel_map

logger = logging.getLogger(__name__)

STAGE = "audio"
INDEX_COLUMNS = (
    "utterance_id",
    "wav",
    "status",
    "frames",
    "seconds",
    "sample_rate",
    "channels",
    "resampled",
    "mixed_down",
    "padded",
)


@dataclass(frozen=True)
class AudioTask:
    """One utterance to process (picklable: sent to worker processes)."""

    utterance_id: str
    path: str
    backend: str


@dataclass(frozen=True)
class AudioResult:
    """One utterance's features (the frames that will be stored) and what its wav was."""

    mfcc: np.ndarray  # [min(frames, 750), 39]
    amh: np.ndarray  # [min(frames, 1000), 120]
    prosody: np.ndarray  # [35]
    frames: int  # untruncated
    info: SignalInfo

    def to_arrays(self) -> dict[str, np.ndarray]:
        info = self.info
        meta = [self.frames, info.sample_rate, info.channels, info.samples, int(info.padded)]
        return {
            "mfcc": self.mfcc,
            "amh": self.amh,
            "prosody": self.prosody,
            "meta": np.array(meta, dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> AudioResult:
        frames, rate, channels, samples, padded = (int(v) for v in arrays["meta"])
        info = SignalInfo(rate, channels, samples, bool(padded))
        return cls(arrays["mfcc"], arrays["amh"], arrays["prosody"], frames, info)


@dataclass(frozen=True)
class AudioReport:
    """What a run did (logged by the stage; tests use ``computed``/``cached``)."""

    utterances: int
    failed: int
    computed: int
    cached: int


# One backend instance per process and backend name (openSMILE objects cannot be pickled, so
# each worker builds its own on first use).
_BACKENDS: dict[str, AudioBackend] = {}


def _backend(name: str) -> AudioBackend:
    if name not in _BACKENDS:
        _BACKENDS[name] = create_backend(name)
    return _BACKENDS[name]


def item_cache(backend: AudioBackend, cache_dir: str | Path) -> ItemCache:
    """The per-utterance cache of ``backend``'s features."""
    config = {"backend": backend.name, **backend.config(), "frames": [MFCC_FRAMES, AMH_FRAMES]}
    return ItemCache(cache_dir, f"{STAGE}/{backend.name}", config, code=__name__)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise MmserError("file not found", file=path) from None
    except IsADirectoryError:
        raise MmserError("is a directory, not a WAV file", file=path) from None
    except OSError as exc:
        raise MmserError(f"cannot read file: {exc.strerror or exc}", file=path) from None


def wav_digest(task: AudioTask) -> str:
    """SHA-256 of the utterance's wav bytes (its cache key's content part)."""
    return hashlib.sha256(_read(task.path)).hexdigest()


def process_utterance(task: AudioTask) -> AudioResult:
    """Features of one wav, checked complete: one frame per 10 ms of (conditioned) signal.

    Raises:
        MmserError: naming the file, if it is missing or unusable (see :mod:`.signal`), or if
            the backend returned fewer or more frames than the signal holds.
    """
    signal, info = load_signal(_read(task.path), task.path)
    features = _backend(task.backend).extract(signal)
    expected = expected_frames(len(signal))
    if features.frames != expected:
        raise MmserError(
            f"{task.backend} returned {features.frames} frames for {len(signal)} samples, "
            f"expected {expected}; the result was not kept",
            file=task.path,
        )
    mfcc, amh = features.mfcc[:MFCC_FRAMES], features.amh[:AMH_FRAMES]  # padding: by the writer
    return AudioResult(mfcc, amh, features.prosody, features.frames, info)


class _Statistics:
    """Per-dimension sums of the stored values, per utterance, reduced in manifest order."""

    def __init__(self, n: int) -> None:
        dims = {"mfcc": MFCC_DIM, "amh_audio": AMH_DIM, "prosody": PROSODY_DIM}
        self.sums = {k: np.zeros((n, d)) for k, d in dims.items()}
        self.squares = {k: np.zeros((n, d)) for k, d in dims.items()}
        self.counts = {k: np.zeros(n, dtype=np.int64) for k in dims}

    def add(self, index: int, name: str, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64).reshape(-1, self.sums[name].shape[1])
        self.sums[name][index] = values.sum(axis=0)
        self.squares[name][index] = (values**2).sum(axis=0)
        self.counts[name][index] = len(values)

    def summary(self) -> dict[str, Any]:
        out = {}
        for name, sums in self.sums.items():
            count = int(self.counts[name].sum())
            mean = sums.sum(axis=0) / max(count, 1)
            var = np.maximum(self.squares[name].sum(axis=0) / max(count, 1) - mean**2, 0.0)
            out[name] = {
                "values_per_dimension": count,
                "mean": [float(f"{v:.6g}") for v in mean],
                "std": [float(f"{v:.6g}") for v in np.sqrt(var)],
            }
        return out


def _index_row(u: Utterance, result: AudioResult | None) -> dict[str, Any]:
    row: dict[str, Any] = {c: "" for c in INDEX_COLUMNS}
    row.update(utterance_id=u.utterance_id, wav=u.wav, status="failed" if result is None else "ok")
    if result is not None:
        info = result.info
        row.update(
            frames=result.frames,
            seconds=f"{info.seconds:.4f}",
            sample_rate=info.sample_rate,
            channels=info.channels,
            resampled=int(info.resampled),
            mixed_down=int(info.mixed_down),
            padded=int(info.padded),
        )
    return row


def _versions(backend: str) -> dict[str, str]:
    packages = ["numpy", "soundfile", "soxr", "opensmile" if backend == "opensmile" else "librosa"]
    found = {"python": platform.python_version()}
    for name in packages:
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - every listed package is a dependency
            found[name] = "not installed"
    return found


def _reason(failure_reason: str, path: str) -> str:
    """The failure message without the ``<path>: `` prefix MmserError puts in front."""
    prefix = f"{path}: "
    return failure_reason[len(prefix) :] if failure_reason.startswith(prefix) else failure_reason


def extract_audio(
    utterances: list[Utterance],
    corpus_root: str | Path,
    params: AudioParams,
    cache_dir: str | Path,
    out_dir: str | Path,
    *,
    progress: bool = True,
) -> AudioReport:
    """Compute and write every output of the ``audio`` stage (see the module docstring).

    Args:
        utterances: The manifest rows (their ``wav`` paths are relative to ``corpus_root``).
        corpus_root: ``corpus.root`` (a nested ``IEMOCAP_full_release`` folder is accepted).
        params: The ``audio:`` section.
        cache_dir: ``cache.dir``.
        out_dir: Where to write (``data/features/audio``).
        progress: Show a progress bar.

    Raises:
        MmserError: if the corpus root is missing, or (``on_error: fail``) if any wav failed, in
            which case every output including ``failed.csv`` has been written first.
    """
    root = resolve_root(corpus_root)
    if not root.is_dir():
        raise MmserError("corpus root not found", file=corpus_root)
    out = Path(out_dir)
    n = len(utterances)
    # Build the backend here first: checks the name, and forked workers inherit the imports.
    backend = _backend(params.backend)
    cached_results = Cached(
        item_cache(backend, cache_dir), wav_digest, AudioResult.to_arrays, AudioResult.from_arrays
    )
    tasks = [AudioTask(u.utterance_id, str(root / u.wav), params.backend) for u in utterances]
    seqn, amh_seqn, frames = (np.zeros(n, dtype=np.int64) for _ in range(3))
    rows: list[dict[str, Any]] = [_index_row(u, None) for u in utterances]
    failures: dict[int, FailureRecord] = {}
    stats = _Statistics(n)
    cached = 0
    with (
        NpyStreamWriter(out / "mfcc.npy", (n, MFCC_FRAMES, MFCC_DIM), np.float32) as mfcc_out,
        NpyStreamWriter(out / "amh_audio.npy", (n, AMH_FRAMES, AMH_DIM), np.float32) as amh_out,
        NpyStreamWriter(out / "prosody.npy", (n, PROSODY_DIM), np.float32) as prosody_out,
    ):
        outcomes = parallel_map(
            process_utterance,
            tasks,
            workers=params.workers,
            cached=cached_results,
            desc="audio",
            progress=progress,
        )
        for outcome in outcomes:
            i, u = outcome.index, utterances[outcome.index]
            result = outcome.value
            if result is None:
                assert outcome.failure is not None
                reason = _reason(outcome.failure.reason, tasks[i].path)
                failures[i] = FailureRecord(u.utterance_id, STAGE, u.wav, reason)
                mfcc_out[i], amh_out[i], prosody_out[i] = np.nan, np.nan, np.nan
                continue
            cached += outcome.cached
            frames[i] = result.frames
            seqn[i], amh_seqn[i] = len(result.mfcc), len(result.amh)
            # only the valid frames: the rest of a new row is already zero (and stays sparse)
            mfcc_out[i, : seqn[i]], amh_out[i, : amh_seqn[i]] = result.mfcc, result.amh
            prosody_out[i] = result.prosody
            stats.add(i, "mfcc", result.mfcc)
            stats.add(i, "amh_audio", result.amh)
            stats.add(i, "prosody", result.prosody)
            rows[i] = _index_row(u, result)
    failed = [failures[i] for i in sorted(failures)]  # manifest order
    for name, array in (("seqN", seqn), ("amh_seqN", amh_seqn), ("frames", frames)):
        save_npy(out / f"{name}.npy", array)
    write_csv(out / "index.csv", rows, INDEX_COLUMNS)
    write_json(out / "prosody_columns.json", list(PROSODY_COLUMNS))
    write_json(out / "meta.json", _meta(params, backend, rows, frames, stats))
    write_failures(out / "failed.csv", failed)
    report = AudioReport(n, len(failed), n - len(failed) - cached, cached)
    logger.info(
        "%d utterances: %d computed, %d from cache, %d failed",
        n,
        report.computed,
        report.cached,
        report.failed,
    )
    apply_policy(failed, params.on_error, out / "failed.csv")
    return report


def _meta(
    params: AudioParams,
    backend: AudioBackend,
    rows: list[dict[str, Any]],
    frames: np.ndarray,
    stats: _Statistics,
) -> dict[str, Any]:
    ok = [r for r in rows if r["status"] == "ok"]
    return {
        "backend": params.backend,
        "backend_config": backend.config(),
        "versions": _versions(params.backend),
        "params": {"backend": params.backend, "on_error": params.on_error},
        "sample_rate": SAMPLE_RATE,
        "hop_seconds": HOP / SAMPLE_RATE,
        "arrays": {
            "mfcc": {"shape": [len(rows), MFCC_FRAMES, MFCC_DIM], "columns": list(MFCC_COLUMNS)},
            "seqN": {"shape": [len(rows)], "meaning": f"valid frames, min(frames, {MFCC_FRAMES})"},
            "amh_audio": {"shape": [len(rows), AMH_FRAMES, AMH_DIM], "columns": list(AMH_COLUMNS)},
            "amh_seqN": {
                "shape": [len(rows)],
                "meaning": f"valid frames, min(frames, {AMH_FRAMES})",
            },
            "frames": {"shape": [len(rows)], "meaning": "untruncated frame count (R1's seqN)"},
            "prosody": {"shape": [len(rows), PROSODY_DIM], "columns": "prosody_columns.json"},
        },
        "counts": {
            "utterances": len(rows),
            "ok": len(ok),
            "failed": len(rows) - len(ok),
            "mfcc_truncated": int((frames > MFCC_FRAMES).sum()),
            "amh_truncated": int((frames > AMH_FRAMES).sum()),
            "max_frames": int(frames.max(initial=0)),
        },
        "conditioning": {
            "resampled_to_16k_from": dict(
                Counter(str(r["sample_rate"]) for r in ok if r["resampled"])
            ),
            "mixed_down_from_channels": dict(
                Counter(str(r["channels"]) for r in ok if r["mixed_down"])
            ),
            "padded_to_55ms": sum(int(r["padded"]) for r in ok),
        },
        "normalisation": "none: features are stored raw (as the originals); audio.normalize is "
        "applied by the dataset stage with statistics of the training partition",
        "statistics": stats.summary(),
    }
