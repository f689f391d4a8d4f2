"""The project's one per-item loop: workers, the item cache, failures, progress and interrupts.

Extractors implement a per-item function and never iterate over their items themselves:
:func:`parallel_map` runs it on worker processes (CPU-bound work: openSMILE, pocketsphinx, the
corpus generator) or threads (I/O-bound work: requests to a service), and
:func:`stream_map` on threads whose function yields parts as it goes (video decoding, which
overlaps the network in the main thread). The loop owns four things:

- **Failures.** An exception raised for an item (:class:`~pipeline.errors.MmserError` or any
  other) is that item's failure, recorded with a one-line reason for ``failed.csv``. A
  :class:`~pipeline.errors.StopRun` (an unusable cache, missing credentials, a worker process that
  died) is the machine's or a service's failure and stops the run.
- **The cache.** With a :class:`Cached` policy, an item whose key is in the
  :class:`~pipeline.cache.ItemCache` is not computed; a stored value that cannot be decoded is
  discarded with a warning and recomputed; a new result is stored only once complete.
- **Progress.** One bar per run (stderr).
- **Interrupts.** While items run, SIGINT and SIGTERM only set a flag (in the main process and in
  worker processes), so no native library's callback sees a ``KeyboardInterrupt``: openSMILE's
  swallows it and returns a truncated result. After each item the flag is checked: a result
  computed while interrupted is dropped, items not started are cancelled, and once the running
  ones have stopped :class:`~pipeline.errors.Interrupted` is raised (the stage exits non-zero,
  so DVC keeps nothing). Finished items stay cached: a rerun resumes.

The seam is small on purpose, so a distributed executor (Dask, Ray) can replace the process
pool for corpora that outgrow one machine.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from tqdm import tqdm

from pipeline.cache import ItemCache
from pipeline.errors import Interrupted, MmserError, StopRun

T = TypeVar("T")
R = TypeVar("R")
P = TypeVar("P")
Executor = Literal["process", "thread"]
POLL_SECONDS = 0.2  # how often a waiting main thread looks at the interrupt flag
_STOP = threading.Event()  # set by SIGINT/SIGTERM while items run (per process)
_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []


@dataclass(frozen=True)
class Failure:
    """An item whose function raised; ``reason`` is a one-line, user-facing explanation."""

    reason: str


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one item: exactly one of ``value`` and ``failure`` is set (``value`` is
    ``None`` for a :func:`stream_map` item that succeeded); ``cached`` when read from the cache."""

    index: int
    value: R | None = None
    failure: Failure | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class Part(Generic[P]):
    """One piece a :func:`stream_map` item yielded before its :class:`Outcome`."""

    index: int
    value: P


@dataclass(frozen=True)
class Cached(Generic[T, R]):
    """How :func:`parallel_map` caches results (picklable: module-level functions or partials).

    Attributes:
        cache: Where results are stored.
        digest: The digest of an item's input bytes (its key is ``cache.key(digest(item))``).
        encode: A result → what the cache stores (a dict of arrays or a JSON value).
        decode: What the cache stored → a result; raising means the entry is corrupt.
    """

    cache: ItemCache
    digest: Callable[[T], str]
    encode: Callable[[R], Any]
    decode: Callable[[Any], R]


def resolve_workers(workers: int) -> int:
    """``workers`` if positive, else the number of cores this process may use."""
    if workers > 0:
        return workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _defer(signum: int, frame: Any) -> None:
    _received.append(signum)
    _STOP.set()


def _raise_if_interrupted() -> None:
    if _STOP.is_set():
        raise Interrupted(_received[-1] if _received else signal.SIGINT)


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Within the block SIGINT/SIGTERM set a flag instead of raising (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _STOP.clear()
    _received.clear()
    previous = {s: signal.signal(s, _defer) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    _raise_if_interrupted()  # a signal after the block's last check is not lost


def _init_worker() -> None:
    """Worker processes defer interrupts for their whole life (the parent decides)."""
    _STOP.clear()
    _received.clear()
    for s in _SIGNALS:
        signal.signal(s, _defer)


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, MmserError) else f"{type(exc).__name__}: {exc}"


def _lookup(cached: Cached[T, R], key: str) -> R | None:
    stored = cached.cache.get(key)
    if stored is None:
        return None
    try:
        return cached.decode(stored)
    except Exception as exc:  # an entry of the wrong shape is corrupt too
        cached.cache.discard(key, _reason(exc))
        return None


def lookup(cached: Cached[T, R], item: T) -> R | None:
    """The cached result of ``item``, or ``None`` (also when its input cannot be read: running
    the item then records why)."""
    try:
        key = cached.cache.key(cached.digest(item))
    except StopRun:
        raise
    except Exception:
        return None
    return _lookup(cached, key)


def _attempt(fn: Callable[[T], R], cached: Cached[T, R] | None, index: int, item: T) -> Outcome[R]:
    """One item: the cache, else ``fn``; runs in a worker (process or thread) or inline."""
    key = None
    try:
        if cached is not None:
            key = cached.cache.key(cached.digest(item))
            hit = _lookup(cached, key)
            if hit is not None:
                return Outcome(index, value=hit, cached=True)
        value = fn(item)
    except StopRun:
        raise
    except Exception as exc:  # every failure is recorded, never swallowed...
        _raise_if_interrupted()  # ...unless a signal arrived meanwhile: it may be the cause
        return Outcome(index, failure=Failure(_reason(exc)))
    _raise_if_interrupted()  # computed while a signal arrived: possibly cut short, never kept
    if key is not None and cached is not None:
        cached.cache.put(key, cached.encode(value))
    return Outcome(index, value=value)


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 0,
    executor: Executor = "process",
    cached: Cached[T, R] | None = None,
    desc: str = "",
    progress: bool = True,
) -> Iterator[Outcome[R]]:
    """Apply ``fn`` to every item, yielding :class:`Outcome` objects as they complete.

    Args:
        fn: A function of one item; for processes, picklable (module-level or a partial).
        items: The items; outcomes carry the item's index in this sequence.
        workers: Processes or threads; 0 means all available cores, 1 runs in this process.
        executor: ``process`` (CPU-bound work) or ``thread`` (waiting on I/O or a service).
        cached: Look results up in, and store them to, an item cache.
        desc: Label of the progress bar.
        progress: Whether to show a progress bar (on stderr).

    Yields:
        One :class:`Outcome` per item, in completion order. At most ``4 × workers`` items are in
        flight, so memory stays bounded.

    Raises:
        StopRun: the first one an item raised (the cache failed, a worker process died...).
        Interrupted: after SIGINT/SIGTERM, once the items in flight have stopped.
    """
    workers = min(resolve_workers(workers), max(1, len(items)))
    with (
        deferred_interrupts(),
        tqdm(total=len(items), desc=desc, disable=not progress, unit="item") as bar,
    ):
        if workers == 1:
            outcomes: Iterable[Outcome[R]] = (
                _attempt(fn, cached, i, item) for i, item in enumerate(items)
            )
        elif executor == "thread":
            outcomes = _thread_outcomes(
                lambda i, item: iter([_attempt(fn, cached, i, item)]), items, workers
            )
        else:
            outcomes = _process_outcomes(fn, cached, items, workers)
        for outcome in outcomes:
            yield outcome
            bar.update()
            _raise_if_interrupted()


def _process_outcomes(
    fn: Callable[[T], R], cached: Cached[T, R] | None, items: Sequence[T], workers: int
) -> Iterator[Outcome[R]]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        pending: set[Future[Outcome[R]]] = set()
        queue_ = iter(enumerate(items))
        try:
            for index, item in queue_:
                pending.add(pool.submit(_attempt, fn, cached, index, item))
                if len(pending) >= 4 * workers:
                    break
            while pending:
                done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                _raise_if_interrupted()
                for future in done:
                    yield _result(future)
                    nxt = next(queue_, None)
                    if nxt is not None:
                        pending.add(pool.submit(_attempt, fn, cached, *nxt))
        finally:
            for future in pending:
                future.cancel()  # the running ones finish their item (and drop it if interrupted)


def _result(future: Future[Outcome[R]]) -> Outcome[R]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise StopRun(
            "a worker process died (killed, or out of memory); nothing of its item was kept",
            hint="rerun; finished items are cached",
        ) from None


def stream_map(
    fn: Callable[[T], Iterator[P]],
    items: Sequence[T],
    *,
    threads: int,
    desc: str = "",
    unit: str = "item",
    weights: Sequence[int] | None = None,
    progress: bool = True,
) -> Iterator[Part[P] | Outcome[None]]:
    """Run generator ``fn`` on every item in threads; yield its parts, then the item's outcome.

    The parts of one item arrive in order, followed by its :class:`Outcome` (a failure if ``fn``
    raised part-way: the parts yielded before stay valid). A bounded queue holds at most
    ``2 × threads + 2`` parts, so the threads wait while the consumer is busy.

    Args:
        fn: Returns an iterator of parts for one item (a generator function).
        items: The items.
        threads: Worker threads (at least 1).
        desc: Label of the progress bar.
        unit: What the bar counts.
        weights: How many units each item counts for (default 1 each).
        progress: Whether to show a progress bar (on stderr).

    Raises:
        StopRun: the first one ``fn`` raised.
        Interrupted: after SIGINT/SIGTERM (checked after each message).
    """
    sizes = list(weights) if weights is not None else [1] * len(items)

    def run(index: int, item: T) -> Iterator[Part[P] | Outcome[None]]:
        try:
            for part in fn(item):
                yield Part(index, part)
        except StopRun:
            raise
        except Exception as exc:  # recorded as the item's failure, never swallowed
            yield Outcome(index, failure=Failure(_reason(exc)))
            return
        yield Outcome(index)

    with (
        deferred_interrupts(),
        tqdm(total=sum(sizes), desc=desc, unit=unit, disable=not progress) as bar,
    ):
        for message in _thread_outcomes(run, items, max(1, threads)):
            yield message
            if isinstance(message, Outcome):
                bar.update(sizes[message.index])
            _raise_if_interrupted()


class _Stopped(Exception):
    """Raised in a worker thread when the consumer has stopped (error or interrupt)."""


def _thread_outcomes(
    run: Callable[[int, T], Iterator[Any]], items: Sequence[T], threads: int
) -> Iterator[Any]:
    """Threads that take the next item, run ``run`` on it and queue every message it yields."""
    messages: queue.Queue[tuple[str, Any]] = queue.Queue(2 * threads + 2)
    stop = threading.Event()
    work = iter(enumerate(items))
    lock = threading.Lock()

    def put(message: tuple[str, Any]) -> None:
        while not stop.is_set():
            try:
                messages.put(message, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue
        raise _Stopped

    def worker() -> None:
        try:
            while True:
                with lock:
                    nxt = next(work, None)
                if nxt is None or stop.is_set():
                    break
                for message in run(*nxt):
                    put(("message", message))
            put(("exit", None))
        except _Stopped:
            return
        except BaseException as exc:  # StopRun, Interrupted: re-raised by the consumer
            with contextlib.suppress(_Stopped):
                put(("raise", exc))

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    running = len(pool)
    try:
        while running:
            try:
                kind, payload = messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                _raise_if_interrupted()
                continue
            if kind == "exit":
                running -= 1
            elif kind == "raise":
                raise payload
            else:
                yield payload
    finally:
        stop.set()
        for thread in pool:
            thread.join(timeout=30)
