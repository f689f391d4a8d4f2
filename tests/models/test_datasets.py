"""The dataset stage: slicing by the split, exclusions, train-only fitting and clear errors."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.audio.params import AudioParams
from pipeline.datasets import DatasetOptions, build_datasets, dataset_options
from pipeline.errors import MmserError
from pipeline.labels import SCHEMES
from pipeline.text.params import TextParams
from pipeline.video.params import VideoParams
from tests.models.fakes import FakeCorpus, write_features

SCHEME = SCHEMES.get("4class")

# arrays are the feature rows, untouched
RAW = DatasetOptions(audio_normalize="none", video_normalize="none")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> FakeCorpus:
    return write_features(tmp_path_factory.mktemp("fake"), n=64)


@pytest.fixture(scope="module")
def built(corpus: FakeCorpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("datasets")
    return out, build_datasets(corpus.split, SCHEME, out, corpus.features, RAW)


@pytest.fixture
def copy(corpus: FakeCorpus, tmp_path: Path) -> FakeCorpus:
    """A private copy of the fake corpus that a test may damage."""
    shutil.copytree(corpus.features, tmp_path / "features")
    shutil.copy(corpus.split, tmp_path / "split.csv")
    return FakeCorpus(tmp_path / "features", tmp_path / "split.csv", *_rest(corpus))


def _rest(c: FakeCorpus) -> tuple:
    return c.ids, c.labels, c.partitions


EXPECTED_FILES = {
    "r1": {
        "audio_mfcc": ((750, 39), np.float32, "audio/mfcc.npy"),
        "seqN": ((), np.int64, "audio/frames.npy"),  # untruncated, as R1
        "audio_prosody": ((35,), np.float32, "audio/prosody.npy"),
        "nlp_trans": ((128,), np.int64, "text/tokens.npy"),
    },
    "amh": {
        "audio_mfcc": ((1000, 120), np.float32, "audio/amh_audio.npy"),
        "audio_seqN": ((), np.int64, "audio/amh_seqN.npy"),
        "audio_prosody": ((35,), np.float32, "audio/prosody.npy"),
        "nlp_trans": ((128,), np.int64, "text/tokens.npy"),
        "video": ((32, 2048), np.float32, "video/video.npy"),
        "video_seqN": ((), np.int64, "video/video_seqN.npy"),
    },
}


@pytest.mark.parametrize("folder", ["r1", "amh"])
@pytest.mark.parametrize("partition", ["train", "dev", "test"])
def test_arrays_are_the_feature_rows_of_the_partition(
    corpus: FakeCorpus, built: tuple[Path, dict], folder: str, partition: str
) -> None:
    out, _ = built
    rows = [i for i, p in enumerate(corpus.partitions) if p == partition]
    ids = (out / folder / f"{partition}_ids.txt").read_text().split()
    assert ids == [corpus.ids[i] for i in rows]
    labels = np.load(out / folder / f"{partition}_label.npy")
    assert labels.dtype == np.int64 and labels.tolist() == corpus.labels[rows].tolist()
    for suffix, (tail, dtype, source) in EXPECTED_FILES[folder].items():
        array = np.load(out / folder / f"{partition}_{suffix}.npy")
        assert array.shape == (len(rows), *tail) and array.dtype == dtype, suffix
        np.testing.assert_array_equal(array, np.load(corpus.features / source)[rows])
    assert len(json.loads((out / folder / "vocab.json").read_text())) == 20
    np.testing.assert_array_equal(
        np.load(out / folder / "W_embedding.npy"), np.load(corpus.features / "text/embedding.npy")
    )


def test_report_counts(corpus: FakeCorpus, built: tuple[Path, dict]) -> None:
    out, report = built
    assert json.loads((out / "report.json").read_text()) == report
    n_train = corpus.partitions.count("train")
    assert report["partitions"]["train"]["total"] == n_train
    assert sum(report["partitions"]["test"]["per_label"].values()) == corpus.partitions.count(
        "test"
    )
    assert report["excluded"]["total"] == 0
    meta = json.loads((out / "r1" / "meta.json").read_text())
    assert meta["classes"] == list(SCHEME.classes) and meta["embedding_dim"] == 8


def test_failed_utterances_are_excluded_everywhere_and_reported(
    copy: FakeCorpus, tmp_path: Path
) -> None:
    bad = [copy.ids[1], copy.ids[4]]  # a dev/test one and a train one
    mfcc = np.load(copy.features / "audio/mfcc.npy")
    mfcc[[1, 4]] = np.nan
    np.save(copy.features / "audio/mfcc.npy", mfcc)
    with (copy.features / "audio/failed.csv").open("a", newline="") as handle:
        for uid in bad:
            csv.writer(handle).writerow([uid, "audio", f"{uid}.wav", "empty wav"])
    out = tmp_path / "out"
    report = build_datasets(copy.split, SCHEME, out, copy.features)
    assert {e["utterance_id"] for e in report["excluded"]["utterances"]} == set(bad)
    assert report["excluded"]["utterances"][0]["reason"] == "empty wav"
    for folder in ("r1", "amh"):
        listed = [
            u
            for p in ("train", "dev", "test")
            for u in (out / folder / f"{p}_ids.txt").read_text().split()
        ]
        assert not set(bad) & set(listed) and len(listed) == len(copy.ids) - 2


def test_unrecorded_nan_row_is_an_error(copy: FakeCorpus, tmp_path: Path) -> None:
    video = np.load(copy.features / "video/video.npy")
    video[7, 0, 0] = np.nan
    np.save(copy.features / "video/video.npy", video)
    with pytest.raises(MmserError, match=f"{copy.ids[7]}.*not listed") as err:
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)
    assert err.value.file.endswith("video.npy")


def test_missing_feature_file_names_it(copy: FakeCorpus, tmp_path: Path) -> None:
    (copy.features / "audio/prosody.npy").unlink()
    with pytest.raises(MmserError, match="prosody is missing") as err:
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)
    assert err.value.file.endswith("audio/prosody.npy")


def test_shape_mismatch_names_array_and_expected_shape(copy: FakeCorpus, tmp_path: Path) -> None:
    np.save(copy.features / "audio/prosody.npy", np.zeros((64, 34), np.float32))
    with pytest.raises(MmserError, match=r"shape \[64, 34\], expected \[64,35\]") as err:
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)
    assert err.value.file.endswith("prosody.npy")
    np.save(copy.features / "audio/prosody.npy", np.zeros((63, 35), np.float32))  # rows ≠ index
    with pytest.raises(MmserError, match=r"expected \[64,35\]"):
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)


def test_utterance_without_feature_row_is_an_error(copy: FakeCorpus, tmp_path: Path) -> None:
    index = copy.features / "text/index.csv"
    lines = index.read_text().splitlines()
    index.write_text("\n".join([*lines[:5], "Ses09X_other", *lines[6:]]) + "\n")
    with pytest.raises(MmserError, match=f"{copy.ids[4]} of the split has no row in the text"):
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)


def test_class_absent_from_train_is_an_error(copy: FakeCorpus, tmp_path: Path) -> None:
    rows = list(csv.DictReader(copy.split.open()))
    for row in rows:
        if row["label"] == "2" and row["partition"] == "train":
            row["partition"] = "test"
    with copy.split.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(MmserError, match="sad have no training utterance"):
        build_datasets(copy.split, SCHEME, tmp_path / "out", copy.features)


def test_train_vocabulary_maps_unseen_tokens_to_unk(copy: FakeCorpus, tmp_path: Path) -> None:
    tokens = np.load(copy.features / "text/tokens.npy")
    test_row = copy.partitions.index("test")
    tokens[test_row, 0] = 19  # make word w15 occur only in a test utterance
    tokens[[i for i, p in enumerate(copy.partitions) if p != "test"]] %= 19
    np.save(copy.features / "text/tokens.npy", tokens)
    out = tmp_path / "out"
    build_datasets(copy.split, SCHEME, out, copy.features, DatasetOptions(vocab_scope="train"))
    vocab = json.loads((out / "r1/vocab.json").read_text())
    assert "w15" not in vocab and vocab["_PAD_"] == 0 and vocab["_UNK_"] == 1
    test_tokens = np.load(out / "r1/test_nlp_trans.npy")
    position = copy.ids[test_row]
    row = (out / "r1/test_ids.txt").read_text().split().index(position)
    assert test_tokens[row, 0] == 1  # UNK
    embedding = np.load(out / "r1/W_embedding.npy")
    old = np.load(copy.features / "text/embedding.npy")
    assert embedding.shape == (len(vocab), 8)
    np.testing.assert_array_equal(embedding[vocab["calm"]], old[2])  # rows follow the words


def test_train_zscore_uses_training_rows_only(copy: FakeCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_datasets(
        copy.split, SCHEME, out, copy.features, DatasetOptions(audio_normalize="train_zscore")
    )
    mfcc = np.load(out / "r1/train_audio_mfcc.npy")
    seq = np.load(out / "r1/train_seqN.npy")
    valid = np.arange(750)[None, :] < seq[:, None]
    frames = mfcc[valid]
    np.testing.assert_allclose(frames.mean(0), 0, atol=1e-4)
    np.testing.assert_allclose(frames.std(0), 1, atol=1e-3)
    assert np.all(mfcc[~valid] == 0)  # padding stays zero
    raw = np.load(copy.features / "audio/prosody.npy").astype(np.float64)
    train = raw[[i for i, p in enumerate(copy.partitions) if p == "train"]]
    expected = (
        raw[[i for i, p in enumerate(copy.partitions) if p == "test"]] - train.mean(0)
    ) / train.std(0)
    np.testing.assert_allclose(
        np.load(out / "r1/test_audio_prosody.npy"), expected, rtol=1e-4, atol=1e-4
    )


def test_speaker_zscore_uses_each_speakers_own_rows(copy: FakeCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = DatasetOptions(audio_normalize="speaker_zscore", video_normalize="none")
    build_datasets(copy.split, SCHEME, out, copy.features, options)
    speakers = np.array([uid[:5] + "_" + uid[-4] for uid in copy.ids])  # Ses01F_..._F003: Ses01_F
    raw = np.load(copy.features / "audio/prosody.npy").astype(np.float64)
    test_rows = [i for i, p in enumerate(copy.partitions) if p == "test"]
    expected = np.stack(
        [(raw[i] - raw[speakers == speakers[i]].mean(0)) / raw[speakers == speakers[i]].std(0)
         for i in test_rows]
    )  # fmt: skip
    np.testing.assert_allclose(
        np.load(out / "r1/test_audio_prosody.npy"), expected, rtol=1e-4, atol=1e-4
    )
    # frame arrays: each speaker's valid frames, all partitions together, have mean 0 and std 1
    frames: dict[str, list[np.ndarray]] = {}
    for partition in ("train", "dev", "test"):
        ids = (out / f"amh/{partition}_ids.txt").read_text().split()
        audio = np.load(out / f"amh/{partition}_audio_mfcc.npy")
        lengths = np.load(out / f"amh/{partition}_audio_seqN.npy")
        for uid, x, n in zip(ids, audio, lengths, strict=True):
            frames.setdefault(uid[:5] + "_" + uid[-4], []).append(x[:n])
            assert np.all(x[n:] == 0)  # padding stays zero
    assert len(frames) == 5
    for values in frames.values():
        stacked = np.concatenate(values)
        np.testing.assert_allclose(stacked.mean(0), 0, atol=1e-4)
        np.testing.assert_allclose(stacked.std(0), 1, atol=1e-3)
    report = json.loads((out / "report.json").read_text())
    assert report["audio_normalize"] == "speaker_zscore"
    assert sorted(report["normalisation_stats"]["prosody"]) == sorted(set(speakers))


def test_video_train_zscore_uses_training_frames(copy: FakeCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = DatasetOptions(audio_normalize="none", video_normalize="train_zscore")
    build_datasets(copy.split, SCHEME, out, copy.features, options)
    raw = np.load(copy.features / "video/video.npy").astype(np.float64)
    seq = np.load(copy.features / "video/video_seqN.npy")
    train = [i for i, p in enumerate(copy.partitions) if p == "train"]
    values = np.concatenate([raw[i, : seq[i]] for i in train])
    test_ids = (out / "amh/test_ids.txt").read_text().split()
    video = np.load(out / "amh/test_video.npy")
    for uid, x in zip(test_ids, video, strict=True):
        i = copy.ids.index(uid)
        expected = (raw[i, : seq[i]] - values.mean(0)) / values.std(0)
        np.testing.assert_allclose(x[: seq[i]], expected, rtol=1e-3, atol=1e-3)
        assert np.all(x[seq[i] :] == 0)
    assert json.loads((out / "amh/meta.json").read_text())["video_normalize"] == "train_zscore"


def test_dataset_options_from_params() -> None:
    assert dataset_options(AudioParams(), VideoParams(), TextParams()) == DatasetOptions()
    opts = dataset_options(
        AudioParams(normalize="none"),
        VideoParams(normalize="none"),
        TextParams(vocab_scope="train"),
    )
    assert opts == DatasetOptions(
        audio_normalize="none", video_normalize="none", vocab_scope="train"
    )


def test_only_the_requested_layouts_with_their_provenance(copy: FakeCorpus, tmp_path: Path) -> None:
    out, report_path = tmp_path / "fold2", tmp_path / "fold2.json"
    source = {"setting": "r1", "fold": 2, "protocol": "loso", "split": "loso(test=Session2)"}
    report = build_datasets(
        copy.split, SCHEME, out, copy.features, layouts=("r1",), report_path=report_path,
        source=source,
    )  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["r1"]
    assert json.loads(report_path.read_text()) == report and report["fold"] == 2
    meta = json.loads((out / "r1" / "meta.json").read_text())
    assert {k: meta[k] for k in source} == source and meta["excluded"] == 0
    with pytest.raises(MmserError, match="unknown dataset layout"):
        build_datasets(copy.split, SCHEME, out, copy.features, layouts=("r2",))


def test_no_feature_or_dataset_file_is_memory_mapped(
    copy: FakeCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memory map keeps every page it touched resident: on the release (amh_audio alone is
    4.8 GB) the dataset stage and training would grow with N. Both read rows from the files."""
    from models.data import load_partition, make_batch, ordered_rows, sample_rows

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a feature or dataset file was memory-mapped")

    monkeypatch.setattr(np.memmap, "__new__", refuse)
    out = tmp_path / "out"
    build_datasets(copy.split, SCHEME, out, copy.features)  # both normalisations fitted
    import torch

    sizes = {"audio": 750, "text": 128, "video": 25}
    for partition in ("train", "test"):
        part = load_partition(out / "amh", partition, ("audio", "text", "video", "prosody"))
        rows = sample_rows(np.random.default_rng(0), len(part), 8)
        batch = make_batch(part, rows, sizes, torch.device("cpu"))
        assert batch["audio"].shape[0] == 8
        assert sum(len(r) for r in ordered_rows(len(part), 5)) == len(part)
