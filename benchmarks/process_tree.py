"""Run a command and measure it with its whole process tree: wall time, CPU time, peak memory.

- **CPU time**: user + system seconds of the command and every descendant it waited for
  (``getrusage(RUSAGE_CHILDREN)`` before and after), so worker processes count.
- **Peak memory of the tree**: the sum over the command and its live descendants, sampled every
  ``interval`` seconds, of the resident set (``VmRSS``: anonymous memory plus mapped file pages)
  and of the anonymous part alone (``RssAnon``: what cannot be dropped and re-read from a
  file). A memory-mapped file counts in ``VmRSS`` as far as it was touched, which is what
  schedulers and ``/usr/bin/time`` report, so both are recorded.
- **Largest single process**: the highest ``VmHWM`` (the kernel's exact peak) of any process of
  the tree, read at each sample.
- **Processes and threads**: the most processes, and threads summed over them, seen at once.
- **Load**: ``os.getloadavg()`` before and after: above the number of cores, other jobs shared
  the machine and wall times are inflated (CPU times much less so).

Linux only (``/proc``); the tree is found with ``psutil``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import psutil

FIELDS = ("VmRSS", "RssAnon", "VmHWM", "Threads")


@dataclass(frozen=True)
class Measurement:
    """What :func:`run_measured` saw; memory in MB (2**20 bytes)."""

    command: str
    returncode: int
    wall_s: float
    cpu_s: float
    peak_tree_rss_mb: float
    peak_tree_anon_mb: float
    peak_process_hwm_mb: float
    max_processes: int
    max_threads: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def utilisation(self) -> float:
        """CPU seconds per wall second (cores kept busy on average)."""
        return self.cpu_s / self.wall_s if self.wall_s > 0 else float("nan")

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, float):
                out[key] = round(value, 3)
        out["load_before"] = [round(v, 2) for v in self.load_before]
        out["load_after"] = [round(v, 2) for v in self.load_after]
        out["utilisation"] = round(self.utilisation, 3)
        return out


def read_status(pid: int) -> dict[str, int]:
    """``VmRSS``, ``RssAnon``, ``VmHWM`` (kB) and ``Threads`` of a process (missing ones absent)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in FIELDS:
                    out[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def _tree(root: psutil.Process) -> list[int]:
    try:
        return [root.pid, *(p.pid for p in root.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    command: Sequence[str],
    cwd: str | Path,
    *,
    env: Mapping[str, str] | None = None,
    log: IO[str] | None = None,
    interval: float = 0.05,
) -> Measurement:
    """Run ``command`` in ``cwd`` to completion and measure it (see the module docstring).

    Output goes to ``log`` (default: discarded). Nothing else may run as this process's child
    meanwhile, or its CPU time would be counted too.
    """
    load_before = os.getloadavg()
    cpu_before = _cpu_children()
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        text=True,
    )
    root = psutil.Process(proc.pid)
    peak_rss = peak_anon = peak_hwm = 0
    most = threads = 0
    while proc.poll() is None:
        pids = _tree(root)
        statuses = [read_status(pid) for pid in pids]
        most = max(most, len(pids))
        threads = max(threads, sum(s.get("Threads", 0) for s in statuses))
        peak_rss = max(peak_rss, sum(s.get("VmRSS", 0) for s in statuses))
        peak_anon = max(peak_anon, sum(s.get("RssAnon", 0) for s in statuses))
        peak_hwm = max([peak_hwm, *(s.get("VmHWM", 0) for s in statuses)])
        time.sleep(interval)
    wall = time.perf_counter() - start
    return Measurement(
        command=" ".join(command),
        returncode=proc.returncode,
        wall_s=wall,
        cpu_s=_cpu_children() - cpu_before,
        peak_tree_rss_mb=peak_rss / 1024,
        peak_tree_anon_mb=peak_anon / 1024,
        peak_process_hwm_mb=peak_hwm / 1024,
        max_processes=most,
        max_threads=threads,
        load_before=load_before,
        load_after=os.getloadavg(),
    )
