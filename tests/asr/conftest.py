"""Small audio inputs for the ASR tests (independent of the synthetic corpus)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from pipeline.asr.base import AudioItem


def write_tone(path: Path, seconds: float, freq: float, rate: int = 16000) -> Path:
    """A quiet sine tone (distinct frequencies give distinct audio hashes)."""
    t = np.arange(int(seconds * rate)) / rate
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, 0.1 * np.sin(2 * np.pi * freq * t), rate, subtype="PCM_16")
    return path


@pytest.fixture
def tone_items(tmp_path: Path) -> list[AudioItem]:
    """Five 0.5 s utterances with gold text ``gold <i>``."""
    return [
        AudioItem(
            f"utt{i}", str(write_tone(tmp_path / f"utt{i}.wav", 0.5, 200 + 50 * i)), f"gold {i}"
        )
        for i in range(5)
    ]
