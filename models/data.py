"""Loading a dataset folder (``data/datasets/r1`` or ``amh``) and turning rows into batches.

Like the originals' loaders, sequence lengths are clipped to each encoder's size at batch time
(R1 stores the untruncated MFCC frame count; AMH's 1000 audio / 32 video frames are cut to the
reference run's 750 / 25), and the text length is the position of the first PAD (0). Each batch
is trimmed to its longest valid length: padded steps change nothing (the encoders mask them), but
a 3 s utterance then costs 300 GRU steps, not 750.

Training batches are drawn uniformly WITH replacement (``random.choice`` per example in the
originals: no epochs, no shuffling); evaluation walks the partition in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from pipeline.datasets import LAYOUT, array_file, ids_file
from pipeline.errors import MmserError
from pipeline.io import NpyRows, load_npy, read_json

SEQUENCES = {"audio": "audio_len", "video": "video_len"}  # frame arrays and their length arrays


@dataclass(frozen=True)
class DataInfo:
    """What a model needs to know about its data to be built."""

    classes: tuple[str, ...]
    dims: dict[str, int]  # feature size per role (audio, prosody, video)
    vocab_size: int
    embedding_dim: int

    @property
    def num_classes(self) -> int:
        return len(self.classes)


@dataclass
class Partition:
    """The arrays of one partition, keyed by role: labels in memory, the features read from
    their files batch by batch (:class:`pipeline.io.NpyRows`), so memory does not grow with the
    dataset (a memory map would keep every row a training run ever drew resident)."""

    ids: list[str]
    arrays: dict[str, np.ndarray | NpyRows]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def labels(self) -> np.ndarray:
        return self.arrays["label"]


def dataset_folder(root: str | Path, family: str) -> Path:
    return Path(root) / family


def load_info(folder: Path) -> DataInfo:
    meta = read_json(folder / "meta.json")
    suffix_to_role = {suffix: role for suffix, role, _ in LAYOUT[folder.name]}
    dims = {suffix_to_role[s]: shape[-1] for s, shape in meta["shapes"].items() if shape}
    return DataInfo(
        classes=tuple(meta["classes"]),
        dims={k: v for k, v in dims.items() if k in ("audio", "prosody", "video")},
        vocab_size=int(meta["vocab_size"]),
        embedding_dim=int(meta["embedding_dim"]),
    )


def load_embedding(folder: Path) -> np.ndarray:
    return load_npy(folder / "W_embedding.npy", shape=[None, None])


def load_partition(folder: Path, partition: str, roles: Sequence[str]) -> Partition:
    """Open the arrays of ``roles`` (plus labels) of one partition."""
    ids_path = ids_file(folder, partition)
    if not ids_path.exists():
        raise MmserError("dataset file missing", file=ids_path, hint="run `dvc repro dataset`")
    ids = ids_path.read_text(encoding="utf-8").split()
    wanted = set(roles) | {SEQUENCES[r] for r in roles if r in SEQUENCES}
    arrays = {"label": load_npy(array_file(folder, partition, "label"), shape=[len(ids)])}
    for suffix, role, _ in LAYOUT[folder.name]:
        if role in wanted:
            arrays[role] = NpyRows(array_file(folder, partition, suffix))
            if len(arrays[role]) != len(ids):
                raise MmserError(
                    f"{len(arrays[role])} rows but {ids_path.name} lists {len(ids)} utterances",
                    file=array_file(folder, partition, suffix),
                )
    return Partition(ids, arrays)


def text_lengths(tokens: np.ndarray) -> np.ndarray:
    """Position of the first PAD (0) per row, or the row length when there is none."""
    is_pad = tokens == 0
    return np.where(is_pad.any(axis=1), is_pad.argmax(axis=1), tokens.shape[1])


def make_batch(
    part: Partition, rows: np.ndarray, sizes: Mapping[str, int], device: torch.device
) -> dict[str, Tensor]:
    """Gather ``rows`` into tensors, clipping lengths to ``sizes`` and trimming padding.

    Args:
        part: The partition.
        rows: Row indices (may repeat).
        sizes: Encoder size per sequence role (``audio``, ``text``, ``video``).
        device: Where the tensors go.
    """
    batch: dict[str, Tensor] = {}
    arrays = part.arrays
    for role in arrays:
        if role in ("label", "audio_len", "video_len"):
            continue
        if role == "text":
            tokens = np.asarray(arrays["text"][rows])[:, : sizes["text"]]
            lengths = text_lengths(tokens)
            longest = max(int(lengths.max(initial=0)), 1)
            batch["text"] = torch.as_tensor(tokens[:, :longest], dtype=torch.long)
            batch["text_len"] = torch.as_tensor(lengths, dtype=torch.long)
        elif role in SEQUENCES:
            lengths = np.minimum(np.asarray(arrays[SEQUENCES[role]][rows]), sizes[role])
            longest = max(int(lengths.max(initial=0)), 1)
            batch[role] = torch.as_tensor(
                np.asarray(arrays[role][rows, :longest]), dtype=torch.float32
            )
            batch[f"{role}_len"] = torch.as_tensor(lengths, dtype=torch.long)
        else:
            batch[role] = torch.as_tensor(np.asarray(arrays[role][rows]), dtype=torch.float32)
    batch["label"] = torch.as_tensor(np.asarray(arrays["label"][rows]), dtype=torch.long)
    return {key: value.to(device) for key, value in batch.items()}


def sample_rows(rng: np.random.Generator, n: int, batch_size: int) -> np.ndarray:
    """``batch_size`` row indices drawn uniformly with replacement."""
    return rng.integers(0, n, size=batch_size)


def ordered_rows(n: int, batch_size: int) -> Iterator[np.ndarray]:
    """Consecutive row blocks covering ``0..n-1`` once (the last one shorter)."""
    for start in range(0, n, batch_size):
        yield np.arange(start, min(start + batch_size, n))
