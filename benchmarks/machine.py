"""A short description of the machine a benchmark ran on (stored with its results)."""

from __future__ import annotations

import contextlib
import os
import platform
from datetime import UTC, datetime


def describe() -> dict[str, object]:
    """CPU model, usable cores, memory, Python and OS, and the date."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if "model name" in line]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory_gb = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "os": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
