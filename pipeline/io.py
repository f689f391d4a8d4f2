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
    if shape is not None and (
        array.ndim != len(shape)
        or any(
            want is not None and got != want for got, want in zip(array.shape, shape, strict=False)
        )
    ):
        expected = "[" + ",".join("*" if s is None else str(s) for s in shape) + "]"
        raise MmserError(f"array has shape {list(array.shape)}, expected {expected}", file=path)
    return array


class NpyStreamWriter:
    """Write a large ``.npy`` row by row through a memory map, then publish it atomically.

    Peak memory stays independent of the number of rows. Rows not written remain zero, so
    callers must record every row they leave unfilled (see :mod:`pipeline.failures`).

    Example:
        >>> with NpyStreamWriter(path, shape=(n, 750, 39), dtype=np.float32) as out:
        ...     out[i] = features
    """

    def __init__(self, path: str | Path, shape: tuple[int, ...], dtype: Any) -> None:
        self.path = Path(path)
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self._ctx: contextlib.AbstractContextManager[Path] | None = None
        self._array: np.memmap | None = None

    def __enter__(self) -> NpyStreamWriter:
        self._ctx = atomic_path(self.path)
        tmp = self._ctx.__enter__()
        self._array = np.lib.format.open_memmap(tmp, mode="w+", dtype=self.dtype, shape=self.shape)
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        assert self._array is not None, "use NpyStreamWriter as a context manager"
        self._array[index] = value

    def __exit__(self, *exc_info: Any) -> None:
        assert self._array is not None and self._ctx is not None
        self._array.flush()
        del self._array
        self._array = None
        self._ctx.__exit__(*exc_info)
