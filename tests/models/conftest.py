"""Model tests run single-threaded: GRU-sized work is fastest (and steadiest) on one thread."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread() -> None:
    torch.set_num_threads(1)
