"""Shared fixtures: a tiny synthetic IEMOCAP corpus, generated once per test session.

``tiny_corpus`` (the corpus root), ``tiny_corpus_plan`` (what the generator put in it) and
``tiny_manifest`` (the parser's records) are session-scoped and shared by many tests: treat the
folder as read-only (copy it with ``shutil.copytree`` before changing anything).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.corpus.iemocap import parse_corpus
from pipeline.corpus.params import SyntheticParams
from pipeline.corpus.synthetic import CorpusPlan, generate
from pipeline.manifest import Utterance

# 50 listed utterances (48 with a sentence wav): every 4- and 7-class label in every session.
TINY_PARAMS = SyntheticParams(seed=7, utterances=50)


@pytest.fixture(scope="session")
def tiny_corpus_plan(tmp_path_factory: pytest.TempPathFactory) -> CorpusPlan:
    """Generate the tiny corpus (a few seconds) and return its plan (``.root`` is the folder)."""
    root = tmp_path_factory.mktemp("tiny_corpus") / "IEMOCAP_synthetic"
    return generate(root, TINY_PARAMS, progress=False)


@pytest.fixture(scope="session")
def tiny_corpus(tiny_corpus_plan: CorpusPlan) -> Path:
    """Root of the tiny synthetic corpus (holds Session1..Session5); read-only."""
    return tiny_corpus_plan.root


@pytest.fixture(scope="session")
def tiny_manifest(tiny_corpus: Path) -> list[Utterance]:
    """The tiny corpus parsed into manifest records (paths relative to ``tiny_corpus``)."""
    return parse_corpus(tiny_corpus).utterances
