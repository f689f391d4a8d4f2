"""Video test fixtures: one seeded random ResNet-101 shared by the whole session."""

from __future__ import annotations

import pytest

from pipeline.video.weights import random_model


@pytest.fixture(scope="session")
def backbone():
    """One seeded random headless ResNet-101 (and its info) shared by all tests."""
    return random_model("random")
