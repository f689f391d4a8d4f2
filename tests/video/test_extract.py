"""End to end on tiny AVI files: outputs, values, failures, the cache and the on_error policy."""

import dataclasses
import logging
import os
import shutil
import signal
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch

from pipeline.cache import CacheError
from pipeline.errors import Interrupted, MmserError
from pipeline.failures import read_failures, summarize
from pipeline.io import read_csv, read_json
from pipeline.video.backbone import FeatureExtractor
from pipeline.video.extract import extract_features, finish
from pipeline.video.params import SpeakerSides, VideoParams
from tests.folders import read_only_folder

from .avi_files import utterance, write_avi

FPS = 10.0
AVI = "Session1/dialog/avi/DivX/Ses01F_impro01.avi"
TWIN = "Session1/dialog/avi/DivX/Ses01F_impro02.avi"  # both halves identical
GONE = "Session1/dialog/avi/DivX/Ses01M_impro03.avi"  # listed but absent


def _frame(index: int, twin: bool = False) -> np.ndarray:
    """720×480 BGR: stripes moving with ``index`` on the left, a checkerboard on the right."""
    y, x = np.mgrid[0:480, 0:360]
    left = ((np.sin((y + 12 * index) / 9.0) + 1) * 120).astype(np.uint8)
    right = ((((x // 24) + (y // 24) + index) % 2) * 200 + 20).astype(np.uint8)
    halves = (left, left) if twin else (left, right)
    frame = np.concatenate(halves, axis=1)
    return np.stack([frame, 255 - frame, frame // 2], axis=-1)


def _write_corpus(root):
    write_avi(root / AVI, [_frame(i) for i in range(20)], FPS)  # 2 s
    write_avi(root / TWIN, [_frame(i, twin=True) for i in range(20)], FPS)
    return root


MANIFEST = [
    utterance("Ses01F_impro01_F000", 0.0, 1.0, AVI),  # frames 0, 3, 6 (left)
    utterance("Ses01F_impro01_M000", 0.0, 1.0, AVI),  # frames 0, 3, 6 (right)
    utterance("Ses01F_impro01_F001", 0.5, 0.9, AVI),  # frames 5, 8 (left)
    utterance("Ses01F_impro01_M001", 1.5, 2.5, AVI),  # 15, 18, then 21 > last frame 19: fails
    utterance("Ses01F_impro02_F000", 0.0, 0.4, TWIN),  # frames 0, 3
    utterance("Ses01F_impro02_M000", 0.0, 0.4, TWIN),  # frames 0, 3
    utterance("Ses01F_impro04_F000", 0.0, 0.4, ""),  # release without the video
    utterance("Ses01M_impro03_M000", 0.0, 0.4, GONE),  # file missing
]


def _expected_crops(path, frames, side):
    """The crops computed by hand: read every frame, slice the half, centre 224 crop, RGB."""
    capture = cv2.VideoCapture(str(path))
    decoded = [capture.read()[1] for _ in range(max(frames) + 1)]
    x0 = 0 if side == "left" else 360
    return np.stack([decoded[f][128:352, x0 + 68 : x0 + 292, ::-1] for f in frames])


def _run(root, work, backbone, **changes):
    """Extract into ``work/out`` with ``work/cache``."""
    params = dataclasses.replace(VideoParams(weights="random"), **changes)
    return extract_features(
        MANIFEST, root, params, work / "cache", work / "out", backbone=backbone, progress=False
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory, backbone):
    """One extraction with the default params, shared by the tests that only read it."""
    work = tmp_path_factory.mktemp("made")
    root = _write_corpus(work / "corpus")
    run = _run(root, work, backbone)
    return SimpleNamespace(root=root, work=work, out=work / "out", run=run)


@pytest.fixture
def copy(made, tmp_path):
    """A private copy of ``made`` (corpus, cache and outputs) for tests that change things."""
    for name in ("corpus", "cache", "out"):
        shutil.copytree(made.work / name, tmp_path / name)
    return SimpleNamespace(root=tmp_path / "corpus", work=tmp_path, out=tmp_path / "out")


def test_outputs_have_the_documented_shapes_and_dtypes(made):
    video = np.load(made.out / "video.npy")
    seq_n = np.load(made.out / "video_seqN.npy")
    assert video.shape == (8, 32, 2048) and video.dtype == np.float32
    assert seq_n.dtype == np.int64
    assert seq_n.tolist() == [3, 3, 2, 0, 2, 2, 0, 0]


def test_rows_are_the_network_output_on_the_hand_made_crops_then_zero_padding(made, backbone):
    video = np.load(made.out / "video.npy")
    net = FeatureExtractor(backbone[0], torch.device("cpu"), batch_size=8)
    for row, frames, side in [(0, [0, 3, 6], "left"), (1, [0, 3, 6], "right"), (2, [5, 8], "left")]:
        expected = net(_expected_crops(made.root / AVI, frames, side))
        np.testing.assert_allclose(video[row, : len(frames)], expected, rtol=1e-4, atol=1e-4)
        assert (video[row, len(frames) :] == 0).all()


def test_different_halves_give_different_features_per_speaker(made):
    video = np.load(made.out / "video.npy")
    female, male = video[0, :3], video[1, :3]
    assert np.abs(female - male).mean() > 0.1 * np.abs(female).mean()
    # Control: where both halves show the same picture, both speakers get the same features.
    np.testing.assert_allclose(video[4, :2], video[5, :2], rtol=1e-4, atol=1e-4)


def test_failed_utterances_are_nan_rows_with_reasons(made):
    video = np.load(made.out / "video.npy")
    failed = {r.utterance_id: r for r in read_failures(made.out / "failed.csv")}
    assert list(failed) == ["Ses01F_impro01_M001", "Ses01F_impro04_F000", "Ses01M_impro03_M000"]
    assert "the sample at 2.167 s is frame 21, beyond the end of the video" in (
        failed["Ses01F_impro01_M001"].reason
    )
    expected_avi = "Session1/dialog/avi/DivX/Ses01F_impro04.avi"
    assert failed["Ses01F_impro04_F000"].file == expected_avi
    assert failed["Ses01F_impro04_F000"].reason == (
        f"no video for this dialog: {made.root / expected_avi} did not exist when the manifest "
        "was built"
    )
    assert f"Ses01F_impro04_F000 ({expected_avi})" in summarize(list(failed.values()))
    assert failed["Ses01M_impro03_M000"].reason == "video file not found"
    assert failed["Ses01M_impro03_M000"].file == GONE
    for row in (3, 6, 7):
        assert np.isnan(video[row]).all()
    assert not np.isnan(video[[0, 1, 2, 4, 5]]).any()


def test_index_and_meta_describe_the_run(made):
    index = read_csv(made.out / "index.csv")
    assert [r["utterance_id"] for r in index] == [u.utterance_id for u in MANIFEST]
    assert [(r["side"], r["first_frame"], r["last_frame"], r["status"]) for r in index[:4]] == [
        ("left", "0", "6", "ok"),
        ("right", "0", "6", "ok"),
        ("left", "5", "8", "ok"),
        ("right", "", "", "failed"),
    ]
    meta = read_json(made.out / "meta.json")
    assert meta["shape"] == [8, 32, 2048] and meta["failed"] == 3
    assert meta["random_weights"] is True and "RANDOM WEIGHTS" in meta["warning"]
    assert meta["weights"]["sha256"] == made.run.meta["weights"]["sha256"]
    assert meta["versions"]["torch"] == torch.__version__
    # 8 distinct crops: frames 0 3 6 on both halves, 5 8 on the left; 0 3 on both twin halves.
    assert meta["run"]["crops_computed"] == 12 and meta["run"]["crops_cached"] == 0


class _Counter:
    def __init__(self, model):
        self.images = 0
        self.handle = model.register_forward_hook(self)

    def __call__(self, module, inputs, output):
        self.images += inputs[0].shape[0]


def test_reruns_and_output_neutral_changes_compute_nothing(copy, backbone):
    before = np.load(copy.out / "video.npy")
    counter = _Counter(backbone[0])
    try:
        again = _run(copy.root, copy.work, backbone, batch_size=3)
        assert counter.images == 0 and again.meta["run"]["crops_cached"] == 12
        np.testing.assert_array_equal(np.load(copy.out / "video.npy"), before)

        shorter = _run(copy.root, copy.work, backbone, max_frames=2)
        np.testing.assert_array_equal(np.load(copy.out / "video.npy")[0], before[0, :2])
        # Only Ses01F_impro01_M001 is new: its first two samples (frames 15, 18) now fit.
        assert shorter.meta["run"]["crops_computed"] == counter.images == 2
        assert shorter.meta["failed"] == 2

        swapped = _run(
            copy.root, copy.work, backbone, speaker_side=SpeakerSides(F="right", M="left")
        )
        # Right halves of frames 0 3 6 are cached; only frames 5 and 8 of the right half are new.
        assert swapped.meta["run"]["crops_computed"] == 2 and counter.images == 4
        np.testing.assert_array_equal(np.load(copy.out / "video.npy")[0], before[1])
    finally:
        counter.handle.remove()


def test_changed_video_content_or_crop_is_recomputed(copy, backbone):
    write_avi(copy.root / AVI, [_frame(i + 1) for i in range(20)], FPS)
    content = _run(copy.root, copy.work, backbone, max_frames=1)
    # One sample each: frame 0 left and right, frame 5 left, frame 15 right.
    assert content.meta["run"]["crops_computed"] == 4
    assert content.meta["run"]["crops_cached"] == 2  # the unchanged twin video
    crop = _run(copy.root, copy.work, backbone, max_frames=1, crop=64)
    assert crop.meta["run"]["crops_computed"] == 4 + 2 and crop.meta["run"]["crops_cached"] == 0


def test_on_error_fail_stops_after_writing_outputs_and_skip_goes_on(copy, backbone):
    (copy.out / "failed.csv").unlink()
    run = _run(copy.root, copy.work, backbone)
    with pytest.raises(MmserError, match=r"3 utterance\(s\) failed") as info:
        finish(run, "fail", copy.out / "failed.csv")
    assert info.value.file == str(copy.out / "failed.csv")
    assert len(read_failures(copy.out / "failed.csv")) == 3
    finish(run, "skip", copy.out / "failed.csv")


def test_a_stream_that_breaks_fails_only_the_utterances_past_the_break(tmp_path, backbone):
    path = write_avi(tmp_path / "corpus" / AVI, [_frame(i) for i in range(20)], FPS)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # the header still says 20 frames
    manifest = [
        utterance("Ses01F_impro01_F000", 0.0, 0.5, AVI),  # frames 0, 3
        utterance("Ses01F_impro01_M000", 1.2, 1.9, AVI),  # frames 12, 15, 18
    ]
    run = extract_features(
        manifest,
        tmp_path / "corpus",
        VideoParams(weights="random", batch_size=4),
        tmp_path / "cache",
        tmp_path / "out",
        backbone=backbone,
        progress=False,
    )
    assert [f.utterance_id for f in run.failures] == ["Ses01F_impro01_M000"]
    assert run.failures[0].reason.startswith("stream ends at frame ")
    assert np.load(tmp_path / "out" / "video_seqN.npy").tolist() == [2, 0]
    assert np.isnan(np.load(tmp_path / "out" / "video.npy")[1]).all()


def test_an_unusable_cache_stops_the_run_and_blames_no_video(tmp_path, backbone):
    root = _write_corpus(tmp_path / "corpus")
    with read_only_folder(tmp_path / "cache"), pytest.raises(CacheError) as info:
        _run(root, tmp_path, backbone)
    assert str(info.value).startswith(f"{tmp_path / 'cache' / 'video/resnet101'}: cannot write")
    assert list((tmp_path / "out").iterdir()) == []  # no outputs, no failed.csv


def test_a_corrupt_cache_entry_is_recomputed(copy, backbone, caplog):
    before = np.load(copy.out / "video.npy")
    entries = sorted((copy.work / "cache").rglob("*.npz"))
    assert len(entries) == 2  # one per dialog video
    entries[0].write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING):
        run = _run(copy.root, copy.work, backbone)
    assert f"discarding corrupt cache entry {entries[0]}" in caplog.text
    assert run.meta["run"]["crops_computed"] in (4, 8)  # that dialog's crops only
    assert run.meta["run"]["crops_computed"] + run.meta["run"]["crops_cached"] == 12
    np.testing.assert_array_equal(np.load(copy.out / "video.npy"), before)


def test_an_interrupt_publishes_nothing_and_the_rerun_is_exact(made, tmp_path, backbone):
    root = _write_corpus(tmp_path / "corpus")
    model = backbone[0]

    def interrupt_once(module, inputs, output):
        handle.remove()
        os.kill(os.getpid(), signal.SIGINT)  # while the network runs on the first batch

    handle = model.register_forward_hook(interrupt_once)
    try:
        with pytest.raises(Interrupted):
            _run(root, tmp_path, backbone, batch_size=2)
    finally:
        handle.remove()
    assert list((tmp_path / "out").iterdir()) == []
    _run(root, tmp_path, backbone)
    for name in ("video.npy", "video_seqN.npy", "index.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (made.out / name).read_bytes(), name
    failed = (tmp_path / "out" / "failed.csv").read_text().replace(str(root), "ROOT")
    assert failed == (made.out / "failed.csv").read_text().replace(str(made.root), "ROOT")
