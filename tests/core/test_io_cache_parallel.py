"""Atomic io, the item cache, the parallel map, the registry and failure records."""

from __future__ import annotations

import functools
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline.cache import CacheError, ItemCache, file_digest, stable_hash
from pipeline.errors import Interrupted, MmserError, StopRun
from pipeline.failures import FailureRecord, apply_policy, failed_ids, read_failures, write_failures
from pipeline.io import (
    NpyStreamWriter,
    atomic_path,
    load_npy,
    read_csv,
    sweep_stale_temporaries,
    write_csv,
    write_json,
)
from pipeline.parallel import Cached, parallel_map, resolve_workers
from tests.folders import read_only_folder


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


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)
    return proc.pid


def test_stale_temporaries_of_killed_writers_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "video.npy"
    target.parent.mkdir()
    stale = target.parent / f".video.npy.{_dead_pid()}.abcd1234.tmp"
    live = target.parent / f".video.npy.{os.getpid()}.efgh5678.tmp"
    other = tmp_path / f".index.csv.{_dead_pid()}.ijkl9012.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"x" * 100)
    with atomic_path(target) as tmp:
        assert tmp.name.startswith(f".video.npy.{os.getpid()}.")
        tmp.write_bytes(b"new")
    assert not stale.exists() and live.exists() and other.exists()  # only this target's
    assert sweep_stale_temporaries(tmp_path, tmp_path / "missing") == [other]
    assert live.exists() and target.read_bytes() == b"new"


WRITER = """
import os, signal, sys, time
import numpy as np
from pipeline import stage
from pipeline.io import NpyStreamWriter

def main():
    with NpyStreamWriter(sys.argv[1], (1000, 1000), np.float32) as out:
        out[0] = 1.0
        print("writing", flush=True)
        if sys.argv[2] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(60)

stage.run(main)
"""


@pytest.mark.parametrize("how", ["kill", "term", "int"])
def test_a_killed_or_stopped_writer_leaves_no_output(tmp_path: Path, how: str) -> None:
    target = tmp_path / "data" / "big.npy"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), how],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    if how != "kill":
        proc.send_signal(signal.SIGTERM if how == "term" else signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    temporaries = list(target.parent.glob(".big.npy.*.tmp"))
    assert not target.exists()
    if how == "kill":  # Python never sees SIGKILL: the next stage run sweeps the temporary file
        assert proc.returncode == -signal.SIGKILL and len(temporaries) == 1
        assert temporaries[0].stat().st_size > 4_000_000
        assert sweep_stale_temporaries(tmp_path / "data") == temporaries
    else:
        assert proc.returncode == 128 + (signal.SIGTERM if how == "term" else signal.SIGINT)
        assert "interrupted: no output was published" in err
        assert temporaries == []


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


def test_cache_keys_depend_on_content_config_and_code(tmp_path: Path) -> None:
    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    digest = file_digest(f)
    code = "pipeline.audio.extract"
    base = ItemCache(tmp_path / "c", "audio/x", {"n": 1}, code)
    assert base.key(digest) == ItemCache(tmp_path / "c", "audio/x", {"n": 1}, code).key(digest)
    assert base.key(digest) != ItemCache(tmp_path / "c", "audio/x", {"n": 2}, code).key(digest)
    other_code = ItemCache(tmp_path / "c", "audio/x", {"n": 1}, "pipeline.video.extract")
    assert base.key(digest) != other_code.key(digest)
    f.write_bytes(b"abd")
    assert base.key(file_digest(f)) != base.key(digest)
    assert stable_hash({"a": 1, "b": 2}) == stable_hash({"b": 2, "a": 1})


CODE = "pipeline.cache"


def test_cache_round_trip_and_miss(tmp_path: Path) -> None:
    arrays = ItemCache(tmp_path, "ns", {}, CODE)
    texts = ItemCache(tmp_path, "ns", {}, CODE, kind="json")
    key = arrays.key("digest")
    assert arrays.get(key) is None and texts.get(key) is None
    arrays.put(key, {"m": np.arange(6.0).reshape(2, 3), "n": np.array(4)})
    texts.put(key, {"text": "hi"})
    got = arrays.get(key)
    assert got is not None
    np.testing.assert_array_equal(got["m"], np.arange(6.0).reshape(2, 3))
    assert int(got["n"]) == 4
    assert texts.get(key) == {"text": "hi"}


@pytest.mark.parametrize(
    ("kind", "damage"),
    [
        ("arrays", lambda data: b"garbage"),
        ("arrays", lambda data: data[: len(data) // 2]),  # truncated zip
        ("arrays", lambda data: b""),
        ("json", lambda data: data[:5]),
        ("json", lambda data: b"\xff\xfe"),
    ],
)
def test_corrupt_cache_entries_are_discarded_with_a_warning(
    tmp_path: Path, kind: str, damage, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ItemCache(tmp_path, "ns", {}, CODE, kind=kind)  # type: ignore[arg-type]
    key = cache.key("digest")
    cache.put(key, {"m": np.arange(100.0)} if kind == "arrays" else {"text": "hello"})
    path = cache.path(key)
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING):
        assert cache.get(key) is None
    assert f"discarding corrupt cache entry {path}" in caplog.text
    assert not path.exists()


def test_unwritable_cache_stops_the_run_naming_the_folder(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file, not a folder")
    cache = ItemCache(tmp_path / "cache", "audio/opensmile", {}, CODE)
    with pytest.raises(CacheError, match="cannot write the item cache") as info:
        cache.put(cache.key("d"), {"m": np.zeros(2)})
    assert info.value.file == str(tmp_path / "cache" / "audio/opensmile")
    assert "cache.dir in params.yaml must be a writable folder" in str(info.value)


def test_read_only_cache_stops_the_run_naming_the_folder(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "cache", "ns", {}, CODE, kind="json")
    with read_only_folder(tmp_path / "cache"), pytest.raises(CacheError) as info:
        cache.put(cache.key("d"), {"text": "x"})
    assert str(info.value).startswith(f"{tmp_path / 'cache' / 'ns'}: cannot write the item cache")


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise MmserError("bad item", file="f3.wav")
    if x == 5:
        raise ValueError("five")
    return x * x


@pytest.mark.parametrize(("workers", "executor"), [(1, "process"), (2, "process"), (3, "thread")])
def test_parallel_map_collects_values_and_failures(workers: int, executor: str) -> None:
    outcomes = sorted(
        parallel_map(
            _square_or_fail,
            list(range(8)),
            workers=workers,
            executor=executor,  # type: ignore[arg-type]
            progress=False,
        ),
        key=lambda o: o.index,
    )
    assert [o.index for o in outcomes] == list(range(8))
    assert [o.value for o in outcomes if o.ok] == [0, 1, 4, 16, 36, 49]
    assert outcomes[3].failure is not None and outcomes[3].failure.reason == "f3.wav: bad item"
    assert outcomes[5].failure is not None and outcomes[5].failure.reason == "ValueError: five"


def _stop_at_two(x: int) -> int:
    if x == 2:
        raise StopRun("the machine failed", file="cache")
    return x


@pytest.mark.parametrize(("workers", "executor"), [(1, "process"), (2, "process"), (2, "thread")])
def test_stop_run_errors_stop_the_run(workers: int, executor: str) -> None:
    with pytest.raises(StopRun, match="cache: the machine failed"):
        list(
            parallel_map(
                _stop_at_two,
                list(range(6)),
                workers=workers,
                executor=executor,  # type: ignore[arg-type]
                progress=False,
            )
        )


def _digest(x: int) -> str:
    return str(x)


def _encode(value: int) -> dict[str, np.ndarray]:
    return {"v": np.array(value)}


def _decode(stored: dict[str, np.ndarray]) -> int:
    return int(stored["v"])


def _cached(tmp_path: Path) -> Cached[int, int]:
    return Cached(ItemCache(tmp_path, "ns", {}, CODE), _digest, _encode, _decode)


def _interrupt_at(x: int, at: int, pid: int) -> int:
    if x == at:
        os.kill(pid, signal.SIGINT)
        time.sleep(0.5)  # the signal is handled during this item (in the main process)
    return x * 10


@pytest.mark.parametrize(("workers", "executor"), [(1, "process"), (2, "process"), (2, "thread")])
def test_an_interrupt_stops_the_run_and_keeps_only_finished_items(
    tmp_path: Path, workers: int, executor: str
) -> None:
    cached = _cached(tmp_path)
    fn = functools.partial(_interrupt_at, at=3, pid=os.getpid())
    seen = []
    with pytest.raises(Interrupted):
        for outcome in parallel_map(
            fn,
            list(range(40)),
            workers=workers,
            executor=executor,  # type: ignore[arg-type]
            cached=cached,
            progress=False,
        ):
            seen.append(outcome.index)
    assert len(seen) < 40
    stored = {i for i in range(40) if cached.cache.get(cached.cache.key(str(i))) is not None}
    if workers == 1:  # in-process: the item that ran while the signal arrived is not kept
        assert stored == {0, 1, 2}
    assert set(seen) <= stored  # everything reported done is cached, complete
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
    # the rerun takes the finished items from the cache and computes the rest
    again = list(parallel_map(_square, list(range(40)), workers=1, cached=cached, progress=False))
    assert sum(o.cached for o in again) == len(stored)
    assert sorted(o.value for o in again if o.cached) == sorted(10 * i for i in stored)


def _square(x: int) -> int:
    return x * x


def test_corrupt_entries_are_recomputed_by_the_runner(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cached = _cached(tmp_path)
    assert [o.value for o in parallel_map(_square, [2, 3], workers=1, cached=cached)] == [4, 9]
    cached.cache.put(cached.cache.key("3"), {"wrong": np.zeros(1)})  # decodes with a KeyError
    with caplog.at_level(logging.WARNING):
        outcomes = list(parallel_map(_square, [2, 3], workers=1, cached=cached, progress=False))
    assert [(o.value, o.cached) for o in outcomes] == [(4, True), (9, False)]
    assert "discarding corrupt cache entry" in caplog.text


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
