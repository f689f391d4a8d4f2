"""Map a function over items on all cores with a progress bar, collecting failures.

This is the one loop of the project: extractors implement a per-item function and never iterate
over files themselves. The seam is small on purpose, so a distributed executor (Dask, Ray) can
replace the process pool for corpora that outgrow one machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

from tqdm import tqdm

from pipeline.errors import MmserError

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failure:
    """An item whose function raised; ``reason`` is a one-line, user-facing explanation."""

    reason: str


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one item: exactly one of ``value`` and ``failure`` is set."""

    index: int
    value: R | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def resolve_workers(workers: int) -> int:
    """``workers`` if positive, else the number of cores this process may use."""
    if workers > 0:
        return workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _call(fn: Callable[[T], R], index: int, item: T) -> Outcome[R]:
    try:
        return Outcome(index, value=fn(item))
    except MmserError as exc:
        return Outcome(index, failure=Failure(str(exc)))
    except Exception as exc:  # every failure is recorded, never swallowed
        return Outcome(index, failure=Failure(f"{type(exc).__name__}: {exc}"))


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 0,
    desc: str = "",
    progress: bool = True,
) -> Iterator[Outcome[R]]:
    """Apply ``fn`` to every item, yielding :class:`Outcome` objects as they complete.

    Args:
        fn: A picklable function of one item (a module-level function or ``functools.partial``).
        items: The items; outcomes carry the item's index in this sequence.
        workers: Processes to use; 0 means all available cores, 1 runs in this process.
        desc: Label of the progress bar.
        progress: Whether to show a progress bar (on stderr).

    Yields:
        One :class:`Outcome` per item, in completion order. Exceptions raised by ``fn`` become
        failures; at most ``4 × workers`` items are in flight, so memory stays bounded.
    """
    workers = min(resolve_workers(workers), max(1, len(items)))
    with tqdm(total=len(items), desc=desc, disable=not progress, unit="item") as bar:
        if workers == 1:
            for index, item in enumerate(items):
                yield _call(fn, index, item)
                bar.update()
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: set[Future[Outcome[R]]] = set()
            queue = iter(enumerate(items))
            for index, item in queue:
                pending.add(pool.submit(_call, fn, index, item))
                if len(pending) >= 4 * workers:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    bar.update()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(_call, fn, *nxt))
