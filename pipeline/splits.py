"""Train/dev/test partitions of the utterances a label scheme keeps, for one of five folds.

Every protocol has five folds, numbered 1..5; ``split.folds`` lists those that are run (each is
its own DVC stage, see dvc.yaml). Protocols (``split.protocol``):

- ``original``: the SLT-2018 utterance-level 5-fold procedure of R1's
  ``IEMOCAP_03_generate_train_dev_test_data`` notebook, reproduced draw for draw.
  ``random.seed(337)`` and one ``random()`` per index assign fold pools (r > 0.8 → pool 1,
  > 0.6 → 2, > 0.4 → 3, > 0.2 → 4, else 5); for fold k, ``random.seed(3372)`` and one draw per
  index put pool-k indices with c > 0.7 in dev, the rest of pool k in test, everything else in
  train. On the release's 5,531 4-class utterances fold 1 gives 4445/313/773; on its 7,487
  7-class utterances 6058/404/1025, the fold-1 sizes R2 printed. Speakers overlap train and
  test: not speaker-independent.
- ``loso``: leave-one-session-out; fold k holds Session k out whole as test. Dev is, by
  ``split.loso_dev``, either a stratified ``split.dev_ratio`` holdout of the training sessions
  (``train_holdout``, the default: all five folds together test every utterance once), or the
  test session's other speaker (``other_speaker``: test = ``split.loso_test_speaker``).
- ``random``: a stratified random split with ``split.ratios``; fold k draws with seed
  ``split.seed + k - 1`` (five independent random splits).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.errors import MmserError
from pipeline.labels import LabelScheme
from pipeline.manifest import Utterance
from pipeline.params import check
from pipeline.settings import FOLDS

Partition = Literal["train", "dev", "test"]
PARTITIONS: tuple[Partition, ...] = ("train", "dev", "test")


@dataclass(frozen=True)
class SplitParams:
    """``split:`` section of params.yaml."""

    protocol: Literal["original", "loso", "random"] = "original"
    folds: tuple[int, ...] = (1,)
    loso_dev: Literal["train_holdout", "other_speaker"] = "train_holdout"
    loso_test_speaker: Literal["F", "M"] = "F"
    dev_ratio: float = 0.1
    seed: int = 42
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)

    def __post_init__(self) -> None:
        folds = list(self.folds)
        check(
            bool(folds) and all(k in FOLDS for k in folds) and len(set(folds)) == len(folds),
            "folds",
            f"must list distinct folds out of 1..5, got {folds}",
        )
        check(0 < self.dev_ratio < 1, "dev_ratio", f"must be in (0, 1), got {self.dev_ratio}")
        check(
            all(r >= 0 for r in self.ratios) and abs(sum(self.ratios) - 1) < 1e-6,
            "ratios",
            f"must be three non-negative numbers summing to 1, got {self.ratios}",
        )

    def describe(self, fold: int) -> str:
        """A short name of one fold for result tables, e.g. ``loso(test=Session5, …)``."""
        if self.protocol == "original":
            return f"original(fold={fold}, utterance-level)"
        if self.protocol == "loso":
            return f"loso(test=Session{fold}, dev={self.loso_dev})"
        return f"random(seed={self.seed + fold - 1}, ratios={list(self.ratios)})"


@dataclass(frozen=True)
class SplitRow:
    """One utterance of the split: its class id and partition."""

    utterance_id: str
    label: int
    label_name: str
    partition: Partition


def original_partitions(n: int, fold: int) -> list[Partition]:
    """The SLT-2018 partition of indices ``0..n-1`` for ``fold`` (1..5), exactly as the original."""
    rng = random.Random(337)
    pools = []
    for _ in range(n):
        r = rng.random()
        pools.append(1 if r > 0.8 else 2 if r > 0.6 else 3 if r > 0.4 else 4 if r > 0.2 else 5)
    rng = random.Random(3372)
    parts: list[Partition] = []
    for pool in pools:
        c = rng.random()  # one draw per index, train ones included, as the original
        parts.append("train" if pool != fold else "dev" if c > 0.70 else "test")
    return parts


def stratified_partitions(
    labels: Sequence[int], ratios: Sequence[float], seed: int
) -> list[Partition]:
    """Assign each index to train/dev/test so every class is split in ``ratios`` (seeded)."""
    rng = np.random.default_rng(seed)
    parts: list[Partition] = ["train"] * len(labels)
    by_class: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    for label in sorted(by_class):
        indices = np.array(by_class[label])
        rng.shuffle(indices)
        n = len(indices)
        n_dev = round(n * ratios[1])
        n_test = round(n * ratios[2])
        if n >= 3:  # keep every class present in each non-empty partition when possible
            n_dev = max(n_dev, 1) if ratios[1] > 0 else 0
            n_test = max(n_test, 1) if ratios[2] > 0 else 0
        for i in indices[:n_dev]:
            parts[i] = "dev"
        for i in indices[n_dev : n_dev + n_test]:
            parts[i] = "test"
    return parts


def make_split(
    utterances: Sequence[Utterance], scheme: LabelScheme, params: SplitParams, fold: int = 1
) -> list[SplitRow]:
    """Partition the utterances ``scheme`` keeps (in manifest order) for ``fold`` (1..5).

    Raises:
        MmserError: if no utterance is kept, a partition is empty, or a class has no
            training example.
    """
    if fold not in FOLDS:
        raise MmserError(f"fold must be one of 1..5, got {fold}")
    kept = [(u, cid) for u in utterances if (cid := scheme.class_id(u.label_raw)) is not None]
    if not kept:
        raise MmserError(f"the {scheme.name} scheme keeps no utterance of the manifest")
    labels = [cid for _, cid in kept]
    if params.protocol == "original":
        parts = original_partitions(len(kept), fold)
    elif params.protocol == "random":
        parts = stratified_partitions(labels, params.ratios, params.seed + fold - 1)
    else:
        parts = _loso_partitions([u for u, _ in kept], labels, params, fold)
    rows = [
        SplitRow(u.utterance_id, cid, scheme.classes[cid], part)
        for (u, cid), part in zip(kept, parts, strict=True)
    ]
    _check(rows, scheme, params.describe(fold))
    return rows


def _loso_partitions(
    utterances: Sequence[Utterance], labels: Sequence[int], params: SplitParams, test_session: int
) -> list[Partition]:
    if not any(u.session == test_session for u in utterances):
        raise MmserError(
            f"loso fold {test_session} holds out Session{test_session}, but no kept utterance "
            f"is from Session{test_session}"
        )
    parts: list[Partition] = []
    train_idx = []
    for i, u in enumerate(utterances):
        if u.session != test_session:
            parts.append("train")
            train_idx.append(i)
        elif params.loso_dev == "other_speaker" and u.speaker != params.loso_test_speaker:
            parts.append("dev")
        else:
            parts.append("test")
    if params.loso_dev == "train_holdout":
        ratios = (1 - params.dev_ratio, params.dev_ratio, 0.0)
        sub = stratified_partitions([labels[i] for i in train_idx], ratios, params.seed)
        for i, part in zip(train_idx, sub, strict=True):
            parts[i] = part
    return parts


def _check(rows: Sequence[SplitRow], scheme: LabelScheme, where: str) -> None:
    counts = Counter(r.partition for r in rows)
    empty = [p for p in PARTITIONS if counts[p] == 0]
    if empty:
        raise MmserError(
            f"split {where} leaves partition(s) {', '.join(empty)} "
            f"empty ({len(rows)} utterances in scheme {scheme.name})"
        )
    train_classes = {r.label for r in rows if r.partition == "train"}
    absent = [scheme.classes[c] for c in range(scheme.num_classes) if c not in train_classes]
    if absent:
        raise MmserError(
            f"class(es) {', '.join(absent)} have no training utterance under "
            f"{where}; the {scheme.name} scheme needs every class in train"
        )


def split_report(
    rows: Sequence[SplitRow], scheme: LabelScheme, params: SplitParams, fold: int = 1
) -> dict:
    """Counts per partition and per partition × class (JSON-ready)."""
    report: dict[str, object] = {
        "scheme": scheme.name,
        "classes": list(scheme.classes),
        "protocol": params.protocol,
        "fold": fold,
        "split": params.describe(fold),
        "total": len(rows),
    }
    for part in PARTITIONS:
        labels = Counter(r.label_name for r in rows if r.partition == part)
        report[part] = {
            "total": sum(labels.values()),
            "per_label": {name: labels.get(name, 0) for name in scheme.classes},
        }
    return report
