"""Where benchmark results go, with a short description of the machine they were measured on."""

from __future__ import annotations

import contextlib
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


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
        "load_average_1min": round(os.getloadavg()[0], 2),  # > cores: shared, timings inflated
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def write_results(name: str, result: dict[str, Any]) -> Path:
    """Add the machine description, write ``benchmarks/results/<name>.json`` and print it."""
    path = RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({**result, "machine": describe()}, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    print(text, end="")
    return path
