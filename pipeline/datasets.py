"""Per-split datasets with the originals' file names, sliced from the per-utterance features.

Layout of one setting's fold (``data/datasets/<setting>/fold<k>/``; ``{p}`` = ``train``, ``dev``,
``test``), with the folders its models read (:data:`pipeline.settings.LAYOUTS`)::

    r1/   the SLT-2018 folder (``audio_woZ_set0k``)
          {p}_audio_mfcc.npy [N,750,39] f32   {p}_seqN.npy [N] i64 (untruncated frame count)
          {p}_audio_prosody.npy [N,35] f32    {p}_nlp_trans.npy [N,128] i64   {p}_label.npy [N] i64
          {p}_ids.txt   vocab.json (the originals' dic.pkl)   W_embedding.npy [V,D] f32   meta.json
    amh/  the AMH folder (``seven_category_120/folds/foldXX``)
          {p}_audio_mfcc.npy [N,1000,120] f32  {p}_audio_seqN.npy [N] i64
          {p}_audio_prosody.npy [N,35] f32 (loaded, unused by AMH, as the original)
          {p}_nlp_trans.npy [N,128] i64   {p}_video.npy [N,32,2048] f32   {p}_video_seqN.npy [N] i64
          {p}_label.npy [N] i64   {p}_ids.txt   vocab.json   W_embedding.npy   meta.json

and beside it ``fold<k>.json``: counts per partition and class, excluded utterances with their
reasons. Each ``meta.json`` also records where its rows come from (setting, fold, split).

The two folders are separate because R2 reuses R1's file name ``*_audio_mfcc.npy`` for its
120-dim audio, and so that a change of the video features retrains AMH only. Features are float32
(the originals stored float64). Utterances listed in any feature ``failed.csv`` are excluded from
every folder and partition, explicitly, and reported. Feature normalisation and the train-only
vocabulary are fitted here, with the functions the audio and text modules provide
(:mod:`pipeline.audio.normalize`, :func:`pipeline.text.restrict_vocabulary`): ``audio.normalize``
z-scores the audio arrays with the training partition's statistics (``train_zscore``) or with
each speaker's own (``speaker_zscore``: session + gender, over all of that speaker's utterances,
labels unused), ``video.normalize`` z-scores the video features with the training partition's.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from pipeline import paths
from pipeline.audio.normalize import ZScore, apply_zscore, fit_zscore
from pipeline.audio.params import AudioParams, Normalize
from pipeline.corpus.layout import parse_utterance_id
from pipeline.errors import MmserError
from pipeline.failures import read_failures
from pipeline.io import (
    NpyRows,
    NpyStreamWriter,
    load_rows,
    read_csv,
    save_npy,
    write_json,
    write_text,
)
from pipeline.labels import LabelScheme
from pipeline.splits import PARTITIONS
from pipeline.text import restrict_vocabulary
from pipeline.text.params import TextParams, VocabScope
from pipeline.text.vocab import load_text_features
from pipeline.video.params import VideoNormalize, VideoParams

log = logging.getLogger(__name__)
AUDIO_ARRAYS = ("mfcc", "prosody", "amh_audio")  # what audio.normalize applies to
ALL_ROWS = "all"  # the one statistics group of a train_zscore normalisation
Rows = np.ndarray | NpyRows  # a feature array: read row by row from its file, or in memory


@dataclass(frozen=True)
class Feature:
    """One per-utterance feature array: folder, file, shape after the row axis, output dtype."""

    folder: Path
    file: str
    tail: tuple[int | None, ...]
    dtype: type
    lengths: str | None = None  # feature holding the valid frame counts (frame-level arrays)

    @property
    def path(self) -> Path:
        return self.folder / self.file


def feature_table(root: Path = paths.FEATURES) -> dict[str, Feature]:
    """The feature arrays the datasets are sliced from: file, row shape, dtype, length array."""
    audio, text, video = root / "audio", root / "text", root / "video"
    return {
        "mfcc": Feature(audio, "mfcc.npy", (None, 39), np.float32, lengths="seqN"),
        "seqN": Feature(audio, "seqN.npy", (), np.int64),
        "frames": Feature(audio, "frames.npy", (), np.int64),  # untruncated: R1's seqN
        "prosody": Feature(audio, "prosody.npy", (35,), np.float32),
        "amh_audio": Feature(audio, "amh_audio.npy", (None, 120), np.float32, lengths="amh_seqN"),
        "amh_seqN": Feature(audio, "amh_seqN.npy", (), np.int64),
        "tokens": Feature(text, "tokens.npy", (None,), np.int64),
        "video": Feature(video, "video.npy", (None, 2048), np.float32, lengths="video_seqN"),
        "video_seqN": Feature(video, "video_seqN.npy", (), np.int64),
    }


# Per dataset folder: (the originals' file name suffix, the batch role models read, the feature).
LAYOUT: dict[str, tuple[tuple[str, str, str], ...]] = {
    "r1": (
        ("audio_mfcc", "audio", "mfcc"),
        ("seqN", "audio_len", "frames"),
        ("audio_prosody", "prosody", "prosody"),
        ("nlp_trans", "text", "tokens"),
    ),
    "amh": (
        ("audio_mfcc", "audio", "amh_audio"),
        ("audio_seqN", "audio_len", "amh_seqN"),
        ("audio_prosody", "prosody", "prosody"),
        ("nlp_trans", "text", "tokens"),
        ("video", "video", "video"),
        ("video_seqN", "video_len", "video_seqN"),
    ),
}
FOLDERS = tuple(LAYOUT)
FEATURE_FOLDERS = ("audio", "text", "video")


def array_file(folder: Path, partition: str, suffix: str) -> Path:
    """``<folder>/<partition>_<suffix>.npy`` (the originals' naming)."""
    return folder / f"{partition}_{suffix}.npy"


def ids_file(folder: Path, partition: str) -> Path:
    return folder / f"{partition}_ids.txt"


@dataclass(frozen=True)
class DatasetOptions:
    """What the dataset stage fits (params audio.normalize, video.normalize, text.vocab_scope)."""

    audio_normalize: Normalize = AudioParams.normalize  # defaults: the params sections'
    video_normalize: VideoNormalize = VideoParams.normalize
    vocab_scope: VocabScope = TextParams.vocab_scope
    chunk: int = 128


def dataset_options(audio: AudioParams, video: VideoParams, text: TextParams) -> DatasetOptions:
    """What the dataset stage fits, from the ``audio``, ``video`` and ``text`` sections."""
    return DatasetOptions(
        audio_normalize=audio.normalize,
        video_normalize=video.normalize,
        vocab_scope=text.vocab_scope,
    )


@dataclass
class _Plan:
    """Which split rows are kept, where they come from, and what was excluded."""

    ids: dict[str, list[str]]  # partition -> utterance ids, split order
    labels: dict[str, np.ndarray]
    rows: dict[str, dict[str, np.ndarray]]  # feature folder -> partition -> feature rows
    excluded: list[dict[str, str]] = field(default_factory=list)


def build_datasets(
    split_csv: str | Path,
    scheme: LabelScheme,
    out_dir: str | Path,
    features_root: str | Path = paths.FEATURES,
    options: DatasetOptions | None = None,
    *,
    layouts: Sequence[str] = FOLDERS,
    report_path: str | Path | None = None,
    source: Mapping[str, Any] | None = None,
) -> dict:
    """Slice every feature array by the split into ``out_dir`` and return the report.

    Args:
        split_csv: The split (utterance_id, label, partition).
        scheme: Its label scheme.
        out_dir: Where the layout folders go.
        features_root: ``data/features``.
        options: What is fitted on the training partition.
        layouts: The folders to write (keys of :data:`LAYOUT`).
        report_path: Where the report goes (default ``out_dir/report.json``).
        source: Provenance recorded in every ``meta.json`` (setting, fold, split).

    Raises:
        MmserError: a feature file is missing or has the wrong shape, an utterance of the split
            has no feature row, a row is non-finite without a ``failed.csv`` record, or after
            exclusions a partition is empty or a class has no training utterance.
    """
    options = options or DatasetOptions()
    out_dir, features_root = Path(out_dir), Path(features_root)
    table = feature_table(features_root)
    indexes = {name: _read_index(features_root / name) for name in FEATURE_FOLDERS}
    arrays = {
        key: _load_feature(key, feat, len(indexes[feat.folder.name])) for key, feat in table.items()
    }
    plan = _plan(split_csv, scheme, indexes, features_root)
    tokens, vocab, embedding = _text(features_root, plan, options.vocab_scope)
    arrays["tokens"] = tokens
    stats = _fit_normalisers(table, arrays, plan, options)
    unknown = sorted(set(layouts) - set(FOLDERS))
    if unknown:
        raise MmserError(f"unknown dataset layout(s) {unknown}; choose from {list(FOLDERS)}")
    for folder in layouts:
        target = out_dir / folder
        for partition in PARTITIONS:
            _write_partition(target, partition, folder, table, arrays, plan, stats, options.chunk)
        write_json(target / "vocab.json", vocab)
        save_npy(target / "W_embedding.npy", embedding.astype(np.float32))
        meta = _meta(folder, scheme, plan, arrays, embedding, options)
        write_json(target / "meta.json", {**meta, **(source or {})})
    report = {**_report(scheme, plan, options, stats), **(source or {})}
    write_json(report_path or out_dir / "report.json", report)
    return report


def _read_index(folder: Path) -> dict[str, int]:
    rows = read_csv(folder / "index.csv", required=("utterance_id",))
    return {row["utterance_id"]: i for i, row in enumerate(rows)}


def _load_feature(key: str, feat: Feature, n_rows: int) -> NpyRows:
    """The feature's rows, read from the file chunk by chunk when sliced (never mapped: the
    process's memory stays independent of the number of utterances)."""
    if not feat.path.exists():
        raise MmserError(
            f"feature array {key} is missing", file=feat.path, hint="run `dvc repro` first"
        )
    return load_rows(feat.path, shape=[n_rows, *feat.tail])


def _plan(
    split_csv: str | Path,
    scheme: LabelScheme,
    indexes: Mapping[str, Mapping[str, int]],
    features_root: Path,
) -> _Plan:
    rows = read_csv(split_csv, required=("utterance_id", "label", "partition"))
    failures = {
        r.utterance_id: r
        for name in FEATURE_FOLDERS
        for r in read_failures(features_root / name / "failed.csv")
    }
    kept: dict[str, list[tuple[str, int]]] = {p: [] for p in PARTITIONS}
    excluded = []
    for line, row in enumerate(rows, start=2):
        uid, partition = row["utterance_id"], row["partition"]
        label = _label(row["label"], scheme, split_csv, line)
        if partition not in kept:
            raise MmserError(f"unknown partition {partition!r}", file=split_csv, line=line)
        if uid in failures:
            rec = failures[uid]
            excluded.append(
                {
                    "utterance_id": uid,
                    "partition": partition,
                    "stage": rec.stage,
                    "reason": rec.reason,
                }
            )
            continue
        for name, index in indexes.items():
            if uid not in index:
                raise MmserError(
                    f"utterance {uid} of the split has no row in the {name} features",
                    file=features_root / name / "index.csv",
                    hint="the features are older than the manifest; run `dvc repro`",
                )
        kept[partition].append((uid, label))
    _check_partitions(kept, scheme, split_csv, len(excluded))
    return _Plan(
        ids={p: [uid for uid, _ in kept[p]] for p in PARTITIONS},
        labels={p: np.array([lab for _, lab in kept[p]], dtype=np.int64) for p in PARTITIONS},
        rows={
            name: {
                p: np.array([index[uid] for uid, _ in kept[p]], dtype=np.int64) for p in PARTITIONS
            }
            for name, index in indexes.items()
        },
        excluded=excluded,
    )


def _label(value: str, scheme: LabelScheme, split_csv: str | Path, line: int) -> int:
    try:
        label = int(value)
    except ValueError:
        raise MmserError(f"label {value!r} is not an integer", file=split_csv, line=line) from None
    if not 0 <= label < scheme.num_classes:
        raise MmserError(
            f"label {label} is outside the {scheme.name} scheme (0..{scheme.num_classes - 1})",
            file=split_csv,
            line=line,
        )
    return label


def _check_partitions(
    kept: Mapping[str, Sequence[tuple[str, int]]],
    scheme: LabelScheme,
    split_csv: str | Path,
    n_excluded: int,
) -> None:
    empty = [p for p in PARTITIONS if not kept[p]]
    if empty:
        raise MmserError(
            f"partition(s) {', '.join(empty)} are empty after excluding {n_excluded} failed "
            "utterance(s)",
            file=split_csv,
        )
    train = {label for _, label in kept["train"]}
    absent = [scheme.classes[c] for c in range(scheme.num_classes) if c not in train]
    if absent:
        raise MmserError(
            f"class(es) {', '.join(absent)} have no training utterance (after excluding "
            f"{n_excluded} failed utterance(s)); every class of {scheme.name} must be in train",
            file=split_csv,
        )


def _text(
    features_root: Path, plan: _Plan, scope: VocabScope
) -> tuple[np.ndarray, dict[str, int], np.ndarray]:
    tokens, vocab, embedding = load_text_features(features_root / "text")
    tokens = tokens.astype(np.int64)
    if scope == "train":
        tokens, vocab, embedding = restrict_vocabulary(
            tokens, vocab, embedding, plan.rows["text"]["train"]
        )
    return tokens, vocab, embedding


def _fit_normalisers(
    table: Mapping[str, Feature],
    arrays: Mapping[str, Rows],
    plan: _Plan,
    options: DatasetOptions,
) -> dict[str, dict[str, ZScore]]:
    """Z-score statistics per normalised array: ``{array: {group: stats}}``.

    The group is :data:`ALL_ROWS` for ``train_zscore`` (training rows), the speaker (``Ses01_F``)
    for ``speaker_zscore`` (all of that speaker's rows, whatever their partition).
    """
    methods = dict.fromkeys(AUDIO_ARRAYS, options.audio_normalize)
    methods["video"] = options.video_normalize
    stats: dict[str, dict[str, ZScore]] = {}
    for key, method in methods.items():
        if method == "none":
            continue
        feat = table[key]
        lengths = np.asarray(arrays[feat.lengths]) if feat.lengths else None
        rows = plan.rows[feat.folder.name]
        if method == "train_zscore":
            groups = {ALL_ROWS: list(zip(plan.ids["train"], rows["train"], strict=True))}
        else:
            groups = defaultdict(list)
            for partition in PARTITIONS:
                for uid, row in zip(plan.ids[partition], rows[partition], strict=True):
                    groups[_speaker(uid)].append((uid, row))
        stats[key] = {
            group: _fit(key, feat, arrays[key], lengths, members)
            for group, members in sorted(groups.items())
        }
    return stats


def _fit(
    key: str,
    feat: Feature,
    array: Rows,
    lengths: np.ndarray | None,
    members: Sequence[tuple[str, int]],
) -> ZScore:
    """:func:`fit_zscore` over ``members`` (utterance id, feature row); a NaN row is named."""
    ids, rows = [uid for uid, _ in members], np.array([row for _, row in members], np.int64)
    try:
        return fit_zscore(array, lengths, rows)
    except MmserError:
        for start in range(0, len(rows), 128):  # name the utterance if a row is not finite
            block = np.asarray(array[rows[start : start + 128]])
            _check_finite(block, key, feat, ids[start : start + 128])
        raise


def _speaker(uid: str) -> str:
    try:
        return parse_utterance_id(uid).actor
    except ValueError:
        raise MmserError(
            f"audio.normalize: speaker_zscore needs the speaker of {uid!r}, which is not an "
            "IEMOCAP utterance id (SesXX[FM]_<dialog>_[FM]NNN)",
            hint="use audio.normalize: train_zscore",
        ) from None


def _normalised(
    block: np.ndarray, lengths: np.ndarray | None, ids: Sequence[str], stats: dict[str, ZScore]
) -> np.ndarray:
    """``block`` z-scored row by row with the statistics of each row's group."""
    if ALL_ROWS in stats:
        return apply_zscore(block, lengths, stats[ALL_ROWS])
    out = np.empty(block.shape, np.float32)
    groups = np.array([_speaker(uid) for uid in ids])
    for group in np.unique(groups):
        rows = groups == group
        part = None if lengths is None else lengths[rows]
        out[rows] = apply_zscore(block[rows], part, stats[group])
    return out


def _write_partition(
    target: Path,
    partition: str,
    folder: str,
    table: Mapping[str, Feature],
    arrays: Mapping[str, Rows],
    plan: _Plan,
    stats: Mapping[str, dict[str, ZScore]],
    chunk: int,
) -> None:
    ids = plan.ids[partition]
    write_text(ids_file(target, partition), "".join(f"{uid}\n" for uid in ids))
    save_npy(array_file(target, partition, "label"), plan.labels[partition])
    for suffix, _, key in LAYOUT[folder]:
        feat = table[key]
        source = arrays[key]
        rows = plan.rows[feat.folder.name][partition]
        lengths = np.asarray(arrays[feat.lengths])[rows] if feat.lengths else None
        shape = (len(rows), *source.shape[1:])
        desc = f"{folder}/{partition}_{suffix}"
        with NpyStreamWriter(array_file(target, partition, suffix), shape, feat.dtype) as out:
            for start in tqdm(range(0, len(rows), chunk), desc=desc, leave=False, disable=None):
                block = np.asarray(source[rows[start : start + chunk]])
                _check_finite(block, key, feat, ids[start : start + chunk])
                if key in stats:
                    part = None if lengths is None else lengths[start : start + chunk]
                    block = _normalised(block, part, ids[start : start + chunk], stats[key])
                out[start : start + len(block)] = block


def _check_finite(block: np.ndarray, key: str, feat: Feature, ids: Sequence[str]) -> None:
    if not np.issubdtype(block.dtype, np.floating):
        return
    bad = ~np.isfinite(block.reshape(len(block), -1)).all(axis=1)
    if bad.any():
        uid = ids[int(np.argmax(bad))]
        raise MmserError(
            f"feature {key} of utterance {uid} is NaN/inf but the utterance is not listed in "
            f"{feat.folder / 'failed.csv'}",
            file=feat.path,
            hint="a failed utterance must be recorded in failed.csv",
        )


def _meta(
    folder: str,
    scheme: LabelScheme,
    plan: _Plan,
    arrays: Mapping[str, Rows],
    embedding: np.ndarray,
    options: DatasetOptions,
) -> dict:
    return {
        "classes": list(scheme.classes),
        "scheme": scheme.name,
        "sizes": {p: len(plan.ids[p]) for p in PARTITIONS},
        "shapes": {suffix: list(arrays[key].shape[1:]) for suffix, _, key in LAYOUT[folder]},
        "vocab_size": int(embedding.shape[0]),
        "embedding_dim": int(embedding.shape[1]),
        "audio_normalize": options.audio_normalize,
        "video_normalize": options.video_normalize,
        "vocab_scope": options.vocab_scope,
        "excluded": len(plan.excluded),
    }


def _report(
    scheme: LabelScheme,
    plan: _Plan,
    options: DatasetOptions,
    stats: Mapping[str, dict[str, ZScore]],
) -> dict:
    counts = {
        p: {
            "total": len(plan.ids[p]),
            "per_label": {
                name: int(Counter(plan.labels[p].tolist()).get(c, 0))
                for c, name in enumerate(scheme.classes)
            },
        }
        for p in PARTITIONS
    }
    return {
        "scheme": scheme.name,
        "partitions": counts,
        "excluded": {"total": len(plan.excluded), "utterances": plan.excluded},
        "audio_normalize": options.audio_normalize,
        "video_normalize": options.video_normalize,
        # audio only: the 2 x 2048 video values would dwarf the rest of the report
        "normalisation_stats": {
            key: {group: s.to_json() for group, s in groups.items()}
            for key, groups in stats.items()
            if key in AUDIO_ARRAYS
        },
        "vocab_scope": options.vocab_scope,
    }
