"""Atomic io, the item cache, the parallel map, the registry and failure records."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from pipeline.cache import ItemCache, file_digest, stable_hash
from pipeline.errors import MmserError
from pipeline.failures import FailureRecord, apply_policy, failed_ids, read_failures, write_failures
from pipeline.io import NpyStreamWriter, atomic_path, load_npy, read_csv, write_csv, write_json
from pipeline.parallel import parallel_map, resolve_workers


def test_atomic_path_leaves_target_untouched_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_outputs_get_umask_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "f.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(mask)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o644


def test_npy_stream_writer_publishes_only_on_success(tmp_path: Path) -> None:
    path = tmp_path / "a.npy"
    with NpyStreamWriter(path, (3, 2), np.float32) as out:
        out[0] = [1, 2]
        out[2] = [5, 6]
    array = load_npy(path, shape=[None, 2])
    assert array.dtype == np.float32
    np.testing.assert_array_equal(array, [[1, 2], [0, 0], [5, 6]])
    with pytest.raises(ValueError), NpyStreamWriter(tmp_path / "b.npy", (2,), np.int64) as out:
        raise ValueError("fail")
    assert not (tmp_path / "b.npy").exists()
    assert sorted(os.listdir(tmp_path)) == ["a.npy"]


def test_load_npy_shape_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.zeros((4, 3)))
    with pytest.raises(MmserError, match=r"shape \[4, 3\], expected \[\*,750,39\]") as info:
        load_npy(path, shape=[None, 750, 39])
    assert info.value.file == str(path)
    with pytest.raises(MmserError, match="array file not found"):
        load_npy(tmp_path / "missing.npy")


def test_csv_round_trip_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    assert write_csv(path, [{"a": 1, "b": "x,y"}], ["a", "b"]) == 1
    assert read_csv(path, ["a", "b"]) == [{"a": "1", "b": "x,y"}]
    with pytest.raises(MmserError, match="missing column\\(s\\) c") as info:
        read_csv(path, ["a", "c"])
    assert info.value.line == 1


def test_cache_keys_depend_on_content_config_and_version(tmp_path: Path) -> None:
    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    digest = file_digest(f)
    base = ItemCache(tmp_path / "c", "audio/x", {"n": 1}, "1")
    assert base.key(digest) == ItemCache(tmp_path / "c", "audio/x", {"n": 1}, "1").key(digest)
    assert base.key(digest) != ItemCache(tmp_path / "c", "audio/x", {"n": 2}, "1").key(digest)
    assert base.key(digest) != ItemCache(tmp_path / "c", "audio/x", {"n": 1}, "2").key(digest)
    f.write_bytes(b"abd")
    assert base.key(file_digest(f)) != base.key(digest)
    assert stable_hash({"a": 1, "b": 2}) == stable_hash({"b": 2, "a": 1})


def test_cache_round_trip_and_miss(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path, "ns", {}, "1")
    key = cache.key("digest")
    assert cache.get_arrays(key) is None and cache.get_json(key) is None
    cache.put_arrays(key, {"m": np.arange(6.0).reshape(2, 3), "n": np.array(4)})
    cache.put_json(key, {"text": "hi"})
    got = cache.get_arrays(key)
    assert got is not None
    np.testing.assert_array_equal(got["m"], np.arange(6.0).reshape(2, 3))
    assert int(got["n"]) == 4
    assert cache.get_json(key) == {"text": "hi"}
    # a corrupt entry is a miss, not a crash
    next(tmp_path.rglob("*.npz")).write_bytes(b"garbage")
    assert cache.get_arrays(key) is None


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise MmserError("bad item", file="f3.wav")
    if x == 5:
        raise ValueError("five")
    return x * x


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_map_collects_values_and_failures(workers: int) -> None:
    outcomes = sorted(
        parallel_map(_square_or_fail, list(range(8)), workers=workers, progress=False),
        key=lambda o: o.index,
    )
    assert [o.index for o in outcomes] == list(range(8))
    assert [o.value for o in outcomes if o.ok] == [0, 1, 4, 16, 36, 49]
    assert outcomes[3].failure is not None and outcomes[3].failure.reason == "f3.wav: bad item"
    assert outcomes[5].failure is not None and outcomes[5].failure.reason == "ValueError: five"


def test_resolve_workers() -> None:
    assert resolve_workers(3) == 3
    assert resolve_workers(0) >= 1


def test_failures_round_trip_and_policy(tmp_path: Path) -> None:
    path = tmp_path / "failed.csv"
    records = [
        FailureRecord("u1", "audio", "a.wav", "empty file"),
        FailureRecord("u2", "audio", "b.wav", "empty file"),
    ]
    assert write_failures(path, records) == 2
    assert read_failures(path) == records
    assert failed_ids([path, tmp_path / "none.csv"]) == {"u1", "u2"}
    apply_policy(records, "skip", path)
    apply_policy([], "fail", path)
    with pytest.raises(MmserError, match=r"2 utterance\(s\) failed: u1 \(a.wav\), u2 \(b.wav\)"):
        apply_policy(records, "fail", path)


def test_write_json_handles_numpy(tmp_path: Path) -> None:
    write_json(tmp_path / "x.json", {"a": np.int64(3), "b": np.arange(2)})
    assert (tmp_path / "x.json").read_text() == '{\n  "a": 3,\n  "b": [\n    0,\n    1\n  ]\n}\n'
