"""OpenCV reading: container properties, the one-pass reader, seeking, truncated and bad files."""

import cv2
import numpy as np
import pytest

from pipeline.errors import MmserError
from pipeline.video import decode
from pipeline.video.decode import DecodeError, probe, read_frames

from .avi_files import index_frames, level, write_avi


def _levels(frames):
    return {index: level(frame) for index, frame in frames}


@pytest.mark.parametrize("fourcc", ["MJPG", "XVID"])
def test_probe_reads_fps_count_and_size_from_the_container(tmp_path, fourcc):
    path = write_avi(tmp_path / "a.avi", index_frames(29, 48, 64), fps=12.5, fourcc=fourcc)
    info = probe(path)
    assert (info.fps, info.n_frames, info.width, info.height) == (12.5, 29, 64, 48)
    assert info.duration == pytest.approx(2.32)


@pytest.mark.parametrize("fourcc", ["MJPG", "XVID"])
def test_read_frames_returns_exactly_the_wanted_frames(tmp_path, fourcc):
    path = write_avi(tmp_path / "a.avi", index_frames(29), fps=10, fourcc=fourcc)
    wanted = [0, 3, 4, 17, 28]
    assert _levels(read_frames(path, wanted)) == {i: i for i in wanted}


def test_seeking_across_long_gaps_gives_the_same_pixels_as_grabbing(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 255, (48, 64, 3), dtype=np.uint8) for _ in range(120)]
    path = write_avi(tmp_path / "a.avi", frames, fps=25, fourcc="XVID")
    wanted = [2, 9, 70, 71, 118]
    grabbed = dict(read_frames(path, wanted))
    monkeypatch.setattr(decode, "SEEK_MIN_GAP", 3)  # now every jump above 3 frames seeks
    seeked = dict(read_frames(path, wanted))
    assert sorted(seeked) == wanted
    for index in wanted:
        np.testing.assert_array_equal(seeked[index], grabbed[index])


def test_reading_past_the_end_raises_with_the_last_frame_reached(tmp_path):
    path = write_avi(tmp_path / "a.avi", index_frames(10), fps=10)
    got = []
    with pytest.raises(DecodeError) as info:
        for index, _ in read_frames(path, [2, 12]):
            got.append(index)
    assert got == [2]
    assert info.value.frame == 10
    assert "stream ends at frame 10 (wanted frame 12)" in str(info.value)


def test_a_missing_video_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(MmserError, match="video file not found") as info:
        probe(tmp_path / "nope.avi")
    assert info.value.file == str(tmp_path / "nope.avi")


def test_an_unreadable_video_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "bad.avi"
    path.write_bytes(b"this is not a video\n" * 50)
    with pytest.raises(MmserError, match="not an AVI file") as info:
        probe(path)
    assert info.value.file == str(path)


def test_a_video_without_frames_is_an_error(tmp_path):
    path = tmp_path / "empty.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    assert writer.isOpened()
    writer.release()
    with pytest.raises(MmserError, match=r"video has no frames|cannot open video") as info:
        probe(path)
    assert info.value.file == str(path)


def _damaged(path, offset, value: bytes):
    data = bytearray(path.read_bytes())
    data[offset : offset + len(value)] = value
    path.write_bytes(bytes(data))
    return path


def test_damaged_frame_rate_is_an_error_not_another_rate(tmp_path):
    path = write_avi(tmp_path / "a.avi", index_frames(8), fps=10)
    rate = path.read_bytes().index(b"strh") + 8 + 24  # strh.dwRate
    _damaged(path, rate, (11).to_bytes(4, "little"))
    with pytest.raises(MmserError, match="disagree with the main header's 100000 µs") as info:
        probe(path)
    assert info.value.file == str(path)


def test_damaged_frame_count_is_an_error(tmp_path):
    path = write_avi(tmp_path / "a.avi", index_frames(8), fps=10)
    length = path.read_bytes().index(b"strh") + 8 + 32  # strh.dwLength
    _damaged(path, length, (6).to_bytes(4, "little"))
    with pytest.raises(MmserError, match="the stream header 6, the main header 8"):
        probe(path)


def test_index_entry_pointing_elsewhere_is_an_error(tmp_path):
    path = write_avi(tmp_path / "a.avi", index_frames(8), fps=10)
    entry = path.read_bytes().index(b"idx1") + 8 + 16 + 8  # frame 1's offset in idx1
    _damaged(path, entry, (100).to_bytes(4, "little"))
    with pytest.raises(MmserError, match=r"index entry 1 \(idx1\) does not point"):
        probe(path)


def test_not_an_avi_is_named(tmp_path):
    path = tmp_path / "a.avi"
    path.write_bytes(b"RIFF\x04\x00\x00\x00WAVEfmt ")
    with pytest.raises(MmserError, match="not an AVI file") as info:
        probe(path)
    assert info.value.file == str(path)
