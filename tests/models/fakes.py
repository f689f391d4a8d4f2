"""Small fake feature folders in the feature stages' formats, with class-dependent cues.

Cues are complementary by design: with 4 classes, the audio arrays (MFCC, prosody, AMH audio)
carry only ``y // 2`` and the tokens only ``y % 2``, so a unimodal model can reach at most ~50 %
while audio + text together separate all four classes; the video carries ``y`` itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CLASSES = ("ang", "hap", "sad", "neu")
VOCAB = ["_PAD_", "_UNK_", "calm", "loud"] + [f"w{i}" for i in range(16)]


@dataclass(frozen=True)
class FakeCorpus:
    features: Path
    split: Path
    ids: list[str]
    labels: np.ndarray
    partitions: list[str]


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _frames(
    rng: np.random.Generator, n: int, max_len: int, dim: int, cue: np.ndarray, lo: int, hi: int
):
    """Frame arrays ``[n, max_len, dim]`` with zero right padding and the true lengths."""
    lengths = rng.integers(lo, hi + 1, size=n)
    x = np.zeros((n, max_len, dim), np.float32)
    for i, length in enumerate(lengths):
        valid = min(length, max_len)
        x[i, :valid] = rng.normal(0, 1, (valid, dim))
        x[i, :valid, :4] += 1.5 * (2 * cue[i] - 1)
    return x, lengths.astype(np.int64)


def write_features(root: Path, n: int = 128, seed: int = 0) -> FakeCorpus:
    """Write ``root/features/{audio,text,video}`` and ``root/split.csv`` for ``n`` utterances."""
    rng = np.random.default_rng(seed)
    ids = [f"Ses0{1 + i % 5}F_impro01_F{i:03d}" for i in range(n)]
    labels = np.arange(n) % len(CLASSES)
    rng.shuffle(labels)
    audio_cue, text_cue = labels // 2, labels % 2
    feats = root / "features"
    for name in ("audio", "text", "video"):
        _write_csv(feats / name / "index.csv", ["utterance_id"], [[u] for u in ids])
        _write_csv(feats / name / "failed.csv", ["utterance_id", "stage", "file", "reason"], [])
    audio = feats / "audio"
    mfcc, seq = _frames(rng, n, 750, 39, audio_cue, 6, 24)
    seq[0] = 900  # one utterance longer than 7.5 s: cut to 750 frames, R1's seqN keeps 900
    mfcc[0] = rng.normal(0, 1, (750, 39))
    mfcc[0, :, :4] += 1.5 * (2 * audio_cue[0] - 1)
    np.save(audio / "mfcc.npy", mfcc)
    np.save(audio / "seqN.npy", np.minimum(seq, 750))
    np.save(audio / "frames.npy", seq)
    prosody = rng.normal(0, 1, (n, 35)).astype(np.float32)
    prosody[:, :3] += 1.0 * (2 * audio_cue[:, None] - 1)
    np.save(audio / "prosody.npy", prosody)
    amh, amh_seq = _frames(rng, n, 1000, 120, audio_cue, 6, 24)
    np.save(audio / "amh_audio.npy", amh)
    np.save(audio / "amh_seqN.npy", amh_seq)
    tokens = np.zeros((n, 128), np.int32)
    for i in range(n):
        length = int(rng.integers(3, 9))
        tokens[i, :length] = rng.integers(4, len(VOCAB), size=length)
        tokens[i, int(rng.integers(0, length))] = 2 + text_cue[i]
    text = feats / "text"
    np.save(text / "tokens.npy", tokens)
    (text / "vocab.json").write_text(json.dumps({w: i for i, w in enumerate(VOCAB)}))
    np.save(text / "embedding.npy", rng.normal(0, 0.3, (len(VOCAB), 8)).astype(np.float32))
    video, video_seq = _frames(rng, n, 32, 2048, labels % 2, 2, 40)  # lengths > 32 are clipped
    video[:, :, 4:8] += (labels[:, None, None] // 2 == 1) * 1.5 * (video[:, :, :1] != 0)
    np.save(feats / "video" / "video.npy", video)
    np.save(feats / "video" / "video_seqN.npy", np.minimum(video_seq, 32))
    partitions = ["train"] * n
    for i in range(n):
        if i % 4 == 1:
            partitions[i] = "dev" if i % 8 == 1 else "test"
    split = root / "split.csv"
    _write_csv(
        split,
        ["utterance_id", "label", "label_name", "partition"],
        [[u, int(y), CLASSES[y], p] for u, y, p in zip(ids, labels, partitions, strict=True)],
    )
    return FakeCorpus(feats, split, ids, labels, partitions)
