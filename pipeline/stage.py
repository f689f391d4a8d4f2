"""What every ``stages/<name>.py`` entry point shares: logging set-up, one error exit path, and
the handling of interrupts and of temporary files left by killed runs."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from pipeline import paths
from pipeline.errors import Interrupted, MmserError
from pipeline.io import sweep_stale_temporaries

log = logging.getLogger(__name__)


def setup_logging() -> None:
    """Log INFO and above to stderr as ``name: message``."""
    level = os.environ.get("MMSER_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(name)s: %(message)s", stream=sys.stderr)


def parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the ``--params`` option every stage takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--params", default="params.yaml", help="params file (default: params.yaml)")
    return p


def _terminate(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main``; turn :class:`MmserError` (one line per problem) and
    operating-system errors (a folder that is not writable, a full disk, ...) into lines on
    stderr naming the file, and exit 1.

    Temporary files that killed runs left under ``data/`` and ``results/`` are removed first.
    SIGTERM is raised as :class:`Interrupted` like Ctrl-C, so temporary files are removed on the
    way out; either exits with 128 + the signal number and no output is published (DVC then
    records nothing for the stage).
    """
    setup_logging()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        for path in sweep_stale_temporaries(paths.DATA, paths.RESULTS):
            log.info("removed %s, left by a run that was killed", path)
        main()
    except MmserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        print("interrupted: no output was published", file=sys.stderr)
        sys.exit(128 + signum)


def describe_os_error(exc: OSError) -> str:
    """``path: reason`` for an operating-system error (both paths of a failed rename or copy)."""
    files = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{' -> '.join(files)}: {reason}" if files else reason
