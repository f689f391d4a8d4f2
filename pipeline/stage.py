"""What every ``stages/<name>.py`` entry point shares: logging set-up and one error exit path."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from pipeline.errors import MmserError


def setup_logging() -> None:
    """Log INFO and above to stderr as ``name: message``."""
    level = os.environ.get("MMSER_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(name)s: %(message)s", stream=sys.stderr)


def parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the ``--params`` option every stage takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--params", default="params.yaml", help="params file (default: params.yaml)")
    return p


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main``; turn :class:`MmserError` (one line per problem) and
    operating-system errors (a folder that is not writable, a full disk, ...) into lines on
    stderr naming the file, and exit 1."""
    setup_logging()
    try:
        main()
    except MmserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


def describe_os_error(exc: OSError) -> str:
    """``path: reason`` for an operating-system error (both paths of a failed rename or copy)."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{' -> '.join(paths)}: {reason}" if paths else reason
