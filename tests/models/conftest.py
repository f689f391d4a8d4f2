"""Model tests run single-threaded (GRU-sized work is fastest, and steadiest, on one thread) and
share one small fake dataset folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from pipeline.datasets import build_datasets
from pipeline.labels import SCHEMES
from tests.models.fakes import write_features


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``data/datasets`` built from 256 fake utterances with complementary cues."""
    root = tmp_path_factory.mktemp("e2e")
    fake = write_features(root, n=256)
    build_datasets(fake.split, SCHEMES.get("4class"), root / "datasets", fake.features)
    return root / "datasets"
