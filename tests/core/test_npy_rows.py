"""Row-wise ``.npy`` reading and writing without memory maps (:class:`pipeline.io.NpyRows`,
:class:`pipeline.io.NpyStreamWriter`): numpy's own indexing and ``np.save`` are the reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import MmserError
from pipeline.io import NpyRows, NpyStreamWriter, load_rows


def _mapped(path: Path) -> bool:
    """Whether this process maps ``path`` (or a temporary file beside it with its name)."""
    maps = Path("/proc/self/maps").read_text()
    return any(path.name in line for line in maps.splitlines())


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, np.ndarray]:
    array = np.random.default_rng(0).normal(size=(9, 6, 4)).astype(np.float32)
    np.save(tmp_path / "a.npy", array)
    return tmp_path / "a.npy", array


@pytest.mark.parametrize(
    "index",
    [
        3,
        -1,
        np.int64(2),
        slice(2, 7),
        slice(None, None, 2),
        [4, 1, 1, 8],
        np.array([5, 6, 7, 0]),
        np.array([], dtype=np.int64),
        (np.array([8, 2, 3]), slice(None, 4)),
        ([0, 1, 2], slice(2, 5)),
        (5, slice(1, 3)),
        (slice(1, 4), slice(None)),
    ],
)
def test_rows_read_as_numpy_indexes_them(saved: tuple[Path, np.ndarray], index: object) -> None:
    path, array = saved
    rows = NpyRows(path)
    got = rows[index]
    np.testing.assert_array_equal(got, array[index])
    assert got.dtype == np.float32 and got.shape == array[index].shape
    assert rows.shape == (9, 6, 4) and len(rows) == 9
    np.testing.assert_array_equal(np.asarray(rows), array)


def test_one_dimensional_rows(tmp_path: Path) -> None:
    np.save(tmp_path / "n.npy", np.arange(10, 20, dtype=np.int64))
    rows = load_rows(tmp_path / "n.npy", shape=[10])
    assert rows[[1, 5, 6]].tolist() == [11, 15, 16] and rows[3] == 13
    with pytest.raises(IndexError):
        rows[[1], :2]  # no second axis


def test_nothing_stays_mapped(saved: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    path, array = saved
    rows = NpyRows(path)
    block = rows[[1, 2, 3]]
    assert not _mapped(path), "reading rows must not memory-map the file"
    target = tmp_path / "out.npy"
    with NpyStreamWriter(target, array.shape, np.float32) as out:
        out[0:3] = block
        assert not _mapped(target), "writing rows must not memory-map the file"
    np.testing.assert_array_equal(np.load(target)[:3], array[[1, 2, 3]])


def test_writer_writes_what_np_save_writes(tmp_path: Path) -> None:
    array = np.random.default_rng(1).normal(size=(6, 5, 3)).astype(np.float32)
    expected = array.copy()
    expected[2, 3:] = 0  # never written: zero
    expected[5] = np.nan
    with NpyStreamWriter(tmp_path / "w.npy", array.shape, np.float32) as out:
        out[0] = array[0]  # a row
        out[1:2] = array[1:2]  # a slice of rows
        out[2, :3] = array[2, :3]  # a row's first frames
        out[3:5, 1:] = array[3:5, 1:]  # frames of several rows
        out[3:5, :1] = array[3:5, :1].astype(np.float64)  # cast like numpy
        out[np.int64(5)] = np.nan  # broadcast
    np.save(tmp_path / "ref.npy", expected)
    assert (tmp_path / "w.npy").read_bytes() == (tmp_path / "ref.npy").read_bytes()


def test_errors_name_the_file(saved: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    path, _ = saved
    with pytest.raises(MmserError, match=r"shape \[9, 6, 4\], expected \[\*,750,39\]") as info:
        load_rows(path, shape=[None, 750, 39])
    assert info.value.file == str(path)
    truncated = tmp_path / "t.npy"
    truncated.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(MmserError, match=r"truncated \.npy array") as info:
        NpyRows(truncated)
    assert info.value.file == str(truncated)
    garbage = tmp_path / "g.npy"
    garbage.write_bytes(b"not an array")
    with pytest.raises(MmserError, match=r"not a valid \.npy array"):
        NpyRows(garbage)
    with pytest.raises(MmserError, match="array file not found"):
        NpyRows(tmp_path / "missing.npy")
    rows = NpyRows(path)
    with pytest.raises(IndexError, match="out of range"):
        rows[[9]]
    with pytest.raises(IndexError, match="step 1"):
        rows[:, ::2]
