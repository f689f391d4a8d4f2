"""Atomic file output and streaming ``.npy`` writing.

Every output the pipeline produces goes through these helpers: data is written to a temporary
file beside the target (``.<name>.<pid>.<random>.tmp``) and renamed over it only when complete,
so a crash never leaves a half-written file that looks finished. The temporary file is removed on
any exit Python sees (an exception, Ctrl-C, SIGTERM: :mod:`pipeline.stage` turns it into an
exception); one left by a process that was killed outright (SIGKILL, power loss) is swept by the
next write of the same target and by :func:`sweep_stale_temporaries`, which every stage runs
first. A temporary file is only ever removed once the process that wrote it is gone.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import MmserError

TMP_SUFFIX = ".tmp"


def _writer_pid(path: Path) -> int | None:
    """The process id in a temporary file's name ``.<target>.<pid>.<random>.tmp``, if any."""
    parts = path.name.split(".")
    if not path.name.startswith(".") or path.suffix != TMP_SUFFIX or len(parts) < 5:
        return None
    return int(parts[-3]) if parts[-3].isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _remove_if_stale(path: Path) -> bool:
    pid = _writer_pid(path)
    if pid is None or _alive(pid):
        return False
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


def sweep_stale_temporaries(*folders: str | Path) -> list[Path]:
    """Remove the temporary files under ``folders`` whose writing process is gone; return them."""
    removed = []
    for folder in folders:
        for path in Path(folder).rglob(f".*{TMP_SUFFIX}") if Path(folder).is_dir() else ():
            if path.is_file() and _remove_if_stale(path):
                removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    On an exception the temporary file is removed and ``target`` is left untouched. Stale
    temporary files of ``target`` left by killed processes are removed first.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{glob.escape(target.name)}.*{TMP_SUFFIX}"):
            _remove_if_stale(stale)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise MmserError(
            f"cannot write the file: {exc.strerror or exc}",
            file=target,
            hint=f"{target.parent} must be a writable folder",
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; outputs get the usual permissions
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    """The process umask (read by setting and restoring it; called once per call site)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_json(path: str | Path, obj: Any) -> None:
    """Write ``obj`` as indented, key-sorted JSON atomically (numpy scalars are converted)."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__} to JSON")


def read_json(path: str | Path) -> Any:
    """Read a JSON file, raising :class:`MmserError` naming the file if it is missing or bad."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MmserError("file not found", file=path) from None
    except json.JSONDecodeError as exc:
        raise MmserError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno) from None


def write_csv(path: str | Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> int:
    """Write dict rows as CSV (header = ``columns``) atomically; return the number of rows."""
    count = 0
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def read_csv(path: str | Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """Read a CSV into dict rows, checking that the ``required`` columns are present."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise MmserError(f"missing column(s) {', '.join(missing)}", file=path, line=1)
            return list(reader)
    except FileNotFoundError:
        raise MmserError("file not found", file=path) from None


def save_npy(path: str | Path, array: np.ndarray) -> None:
    """Save one array as ``.npy`` atomically."""
    with atomic_path(path) as tmp, tmp.open("wb") as handle:
        np.save(handle, array, allow_pickle=False)


def load_npy(
    path: str | Path, *, shape: Sequence[int | None] | None = None, mmap: bool = False
) -> np.ndarray:
    """Load an ``.npy`` file, checking its shape (``None`` matches any size) when given."""
    path = Path(path)
    try:
        array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise MmserError("array file not found", file=path) from None
    except ValueError as exc:
        raise MmserError(f"not a valid .npy array: {exc}", file=path) from None
    _check_shape(path, array.shape, shape)
    return array


def load_rows(path: str | Path, *, shape: Sequence[int | None] | None = None) -> NpyRows:
    """Open an ``.npy`` file for reading rows on demand (:class:`NpyRows`), checking its shape
    (``None`` matches any size) when given."""
    rows = NpyRows(path)
    _check_shape(Path(path), rows.shape, shape)
    return rows


def _check_shape(path: Path, actual: Sequence[int], expected: Sequence[int | None] | None) -> None:
    if expected is not None and (
        len(actual) != len(expected)
        or any(want is not None and got != want for got, want in zip(actual, expected, strict=True))
    ):
        wanted = "[" + ",".join("*" if s is None else str(s) for s in expected) + "]"
        raise MmserError(f"array has shape {list(actual)}, expected {wanted}", file=path)


class NpyStreamWriter:
    """Write a large ``.npy`` row by row with positioned file writes, then publish it atomically.

    The file is created at its full size without writing the data (unwritten bytes read as
    zero and take no disk space), and every assignment is written straight to the file, so
    neither the process's own memory nor its resident set grows with the number of rows (a
    memory map would keep every page it wrote resident). Rows not written remain zero, so
    callers must record every row they leave unfilled (see :mod:`pipeline.failures`).

    An assignment covers whole rows (``out[i]``, ``out[a:b]``) or a range of the second axis of
    rows (``out[i, :n]``, ``out[a:b, 2:5]``); values are broadcast and cast like numpy's.

    Example:
        >>> with NpyStreamWriter(path, shape=(n, 750, 39), dtype=np.float32) as out:
        ...     out[i, : len(features)] = features
    """

    def __init__(self, path: str | Path, shape: tuple[int, ...], dtype: Any) -> None:
        self.path = Path(path)
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self._ctx: contextlib.AbstractContextManager[Path] | None = None
        self._fd: int | None = None
        self._layout = _RowLayout(self.shape, self.dtype, offset=0)

    def __enter__(self) -> NpyStreamWriter:
        self._ctx = atomic_path(self.path)
        tmp = self._ctx.__enter__()
        try:
            with tmp.open("r+b") as handle:
                header = {
                    "descr": np.lib.format.dtype_to_descr(self.dtype),
                    "fortran_order": False,
                    "shape": self.shape,
                }
                np.lib.format.write_array_header_1_0(handle, header)
                offset = handle.tell()
                handle.truncate(offset + self._layout.nbytes)
            self._layout = _RowLayout(self.shape, self.dtype, offset)
            self._fd = os.open(tmp, os.O_WRONLY)
        except BaseException as exc:
            self._ctx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        assert self._fd is not None, "use NpyStreamWriter as a context manager"
        rows, columns = self._layout.index(index)
        data = np.empty(self._layout.selection_shape(rows, columns, index), self.dtype)
        data[...] = value
        for run_rows, block in self._layout.runs(rows, columns, data):
            _pwrite_all(self._fd, block, self._layout.position(run_rows[0], columns.start))

    def __exit__(self, *exc_info: Any) -> None:
        assert self._ctx is not None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._ctx.__exit__(*exc_info)


class NpyRows:
    """The rows of an ``.npy`` file, read on demand with positioned file reads.

    Nothing is memory-mapped: reading a file larger than memory keeps the process's resident
    set at the size of the rows asked for (the kernel's page cache holds the file, reclaimable
    and counted in no process's memory), where a memory map keeps every page it touched.
    Indexing reads rows (``rows[i]``, ``rows[a:b]``, ``rows[[3, 1, 4]]``), optionally a range
    of the second axis only (``rows[idx, :n]``), and returns a new array.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            with self.path.open("rb") as handle:
                version = np.lib.format.read_magic(handle)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
                else:
                    raise ValueError(f"unsupported .npy format version {version}")
                offset = handle.tell()
                size = os.fstat(handle.fileno()).st_size
        except FileNotFoundError:
            raise MmserError("array file not found", file=self.path) from None
        except ValueError as exc:
            raise MmserError(f"not a valid .npy array: {exc}", file=self.path) from None
        if fortran or dtype.hasobject or not shape:
            raise MmserError("not a C-ordered numeric array with rows", file=self.path)
        self.shape: tuple[int, ...] = tuple(shape)
        self.dtype = dtype
        self._layout = _RowLayout(self.shape, dtype, offset)
        if size < offset + self._layout.nbytes:
            raise MmserError(
                f"truncated .npy array: {size} bytes, its header needs "
                f"{offset + self._layout.nbytes}",
                file=self.path,
            )

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """All rows (``np.asarray(rows)``): the whole array in memory."""
        out = self[:]
        return out if dtype is None else out.astype(dtype, copy=False)

    def __getitem__(self, index: Any) -> np.ndarray:
        rows, columns = self._layout.index(index)
        out = np.empty(self._layout.selection_shape(rows, columns, index), self.dtype)
        with self.path.open("rb") as handle:
            for run_rows, block in self._layout.runs(rows, columns, out):
                position = self._layout.position(run_rows[0], columns.start)
                _pread_all(handle.fileno(), block, position, self.path)
        return out


class _RowLayout:
    """Byte positions of rows (and of ranges of the second axis) in a C-ordered ``.npy``."""

    def __init__(self, shape: tuple[int, ...], dtype: np.dtype, offset: int) -> None:
        self.shape, self.offset = shape, offset
        self.item = int(np.prod(shape[2:], dtype=np.int64)) * dtype.itemsize  # one [i, j]
        self.width = shape[1] if len(shape) > 1 else 1
        self.row = self.width * self.item
        self.nbytes = shape[0] * self.row if shape else dtype.itemsize

    def index(self, index: Any) -> tuple[np.ndarray, range]:
        """Row numbers and the range of the second axis an index selects."""
        columns: Any = slice(None)
        if isinstance(index, tuple):
            if not 1 <= len(index) <= 2 or (len(index) == 2 and len(self.shape) < 2):
                raise IndexError(f"unsupported index {index!r}: rows, then a slice of axis 1")
            index, columns = index if len(index) == 2 else (index[0], slice(None))
        if not isinstance(columns, slice) or columns.step not in (None, 1):
            raise IndexError(f"unsupported index {columns!r} of axis 1: a slice with step 1")
        start, stop, _ = columns.indices(self.width)
        n = self.shape[0]
        if isinstance(index, slice):
            rows = np.arange(n, dtype=np.int64)[index]
        else:
            rows = np.atleast_1d(np.asarray(index))
            if rows.dtype == bool or not np.issubdtype(rows.dtype, np.integer) or rows.ndim != 1:
                raise IndexError(f"unsupported row index {index!r}: an int, a slice or int array")
            rows = rows.astype(np.int64)
            if len(rows) and (rows.max() >= n or rows.min() < -n):
                raise IndexError(f"row index out of range for {n} rows")
            rows = np.where(rows < 0, rows + n, rows)
        return rows, range(start, max(start, stop))

    def selection_shape(self, rows: np.ndarray, columns: range, index: Any) -> tuple[int, ...]:
        """The shape numpy gives ``array[index]`` (a single row index drops the row axis)."""
        shape = (len(rows), len(columns), *self.shape[2:]) if len(self.shape) > 1 else (len(rows),)
        first = index[0] if isinstance(index, tuple) else index
        return shape[1:] if isinstance(first, int | np.integer) else shape

    def position(self, row: int, column: int) -> int:
        return self.offset + int(row) * self.row + column * self.item

    def runs(
        self, rows: np.ndarray, columns: range, data: np.ndarray
    ) -> Iterator[tuple[np.ndarray, memoryview]]:
        """``(rows, bytes of data)`` per stretch that is one contiguous byte range of the file:
        consecutive whole rows together, else row by row."""
        if not len(rows) or not len(columns):
            return
        if len(columns) == self.width:
            breaks = np.flatnonzero(np.diff(rows) != 1) + 1
            bounds = [0, *breaks.tolist(), len(rows)]
        else:
            bounds = list(range(len(rows) + 1))
        assert data.flags.c_contiguous
        raw = memoryview(data.reshape(-1)).cast("B")
        step = len(columns) * self.item
        for a, b in itertools.pairwise(bounds):
            yield rows[a:b], raw[a * step : b * step]


def _pwrite_all(fd: int, data: memoryview, position: int) -> None:
    while len(data):
        written = os.pwrite(fd, data, position)
        data, position = data[written:], position + written


def _pread_all(fd: int, buffer: memoryview, position: int, path: Path) -> None:
    while len(buffer):
        got = os.preadv(fd, [buffer], position)
        if got == 0:
            raise MmserError("unexpected end of file while reading rows", file=path)
        buffer, position = buffer[got:], position + got
