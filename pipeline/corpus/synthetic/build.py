"""Generate the whole synthetic corpus, atomically: a crash never leaves half a corpus behind.

The corpus is written into a hidden sibling folder, one dialog per worker process, and renamed
onto the target only when every dialog succeeded.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipeline.corpus.params import SYNTHETIC_ROOT, CorpusParams, SyntheticParams
from pipeline.corpus.synthetic import release
from pipeline.corpus.synthetic.plan import plan_corpus
from pipeline.corpus.synthetic.render import SyntheticUtterance, render_dialog
from pipeline.errors import MmserError
from pipeline.parallel import parallel_map

log = logging.getLogger(__name__)

PLACEHOLDER = """\
Unused: corpus.source is 'iemocap', so the pipeline reads the release at corpus.root instead.
The corpus stage writes only this file here because DVC expects the stage's output to exist.
"""


@dataclass(frozen=True)
class CorpusPlan:
    """What a generated corpus holds: its dialogs and listed utterances (sorted by id)."""

    root: Path
    params: SyntheticParams
    dialogs: tuple[str, ...]
    utterances: tuple[SyntheticUtterance, ...]

    @property
    def usable(self) -> list[SyntheticUtterance]:
        """Listed utterances that have a sentence wav (the manifest rows)."""
        return [u for u in self.utterances if u.has_wav]

    @property
    def missing_wav(self) -> list[SyntheticUtterance]:
        """Listed utterances deliberately left without a sentence wav."""
        return [u for u in self.utterances if not u.has_wav]


def generate(
    root: str | Path, params: SyntheticParams, *, workers: int = 0, progress: bool = True
) -> CorpusPlan:
    """Write a release-format synthetic corpus to ``root`` (replacing it) and return its plan.

    Args:
        root: Target folder (``Session1..5``, ``Documentation/``, ``README.txt`` go inside).
        params: Size, seed, frame rate and cue strengths.
        workers: Processes for rendering dialogs (0 = all cores); does not change the output.
        progress: Show a progress bar.

    Raises:
        MmserError: if any dialog fails to render (the target is left untouched).
    """
    root = Path(root)
    started = time.perf_counter()
    plans = plan_corpus(params)
    utterances: list[SyntheticUtterance] = []
    with staged(root) as staging:
        (staging / "README.txt").write_text(release.readme(params), encoding="utf-8")
        docs = staging / "Documentation"
        docs.mkdir()
        (docs / "synthetic_cues.txt").write_text(release.cue_table(), encoding="utf-8")
        render = partial(render_dialog, root=staging, fps=params.video_fps)
        failures: list[str] = []
        for outcome in parallel_map(
            render, plans, workers=workers, desc="synthetic corpus", progress=progress
        ):
            if outcome.failure is not None:
                failures.append(f"{plans[outcome.index].dialog}: {outcome.failure.reason}")
            else:
                utterances.extend(outcome.value or [])
        if failures:
            raise MmserError(
                f"{len(failures)} dialog(s) failed to render, e.g. {failures[0]}", file=root
            )
    utterances.sort(key=lambda u: u.utterance_id)
    log.info(
        "generated %d utterances in %d dialogs at %s in %.1f s",
        len(utterances),
        len(plans),
        root,
        time.perf_counter() - started,
    )
    return CorpusPlan(root, params, tuple(p.dialog for p in plans), tuple(utterances))


def write_placeholder(root: str | Path) -> None:
    """Replace ``root`` by a folder holding only a README saying it is unused."""
    with staged(Path(root)) as staging:
        (staging / "README.txt").write_text(PLACEHOLDER, "utf-8")


def build_corpus(corpus: CorpusParams, *, workers: int = 0) -> CorpusPlan | None:
    """The ``corpus`` stage: the synthetic corpus, or only a placeholder for ``iemocap``."""
    if corpus.source == "iemocap":
        write_placeholder(SYNTHETIC_ROOT)
        return None
    return generate(corpus.root, corpus.synthetic, workers=workers)


@contextmanager
def staged(root: Path) -> Iterator[Path]:
    """A hidden sibling folder to fill; it replaces ``root`` on success and is removed on error."""
    staging = root.parent / f".{root.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
        old = root.parent / f".{root.name}.old-{os.getpid()}"
        if root.exists():
            os.replace(root, old)
        os.replace(staging, root)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
