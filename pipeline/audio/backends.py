"""The audio backend protocol and its registry (``audio.backend`` in params.yaml).

A backend turns a conditioned signal (16 kHz mono float32, at least
:data:`~pipeline.audio.signal.MIN_SAMPLES` long) into
:class:`~pipeline.audio.features.AudioFeatures`.
Adding one is one class with this protocol and one entry in :data:`BACKENDS`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import numpy as np

from pipeline.audio.features import AudioFeatures
from pipeline.registry import Registry


class AudioBackend(Protocol):
    """Computes every audio feature of one utterance."""

    name: ClassVar[str]

    def config(self) -> dict[str, Any]:
        """Everything that changes this backend's output (library versions, settings, config
        file contents); part of the per-utterance cache key."""
        ...

    def extract(self, signal: np.ndarray) -> AudioFeatures:
        """Features of a 16 kHz mono float32 signal."""
        ...


BACKENDS: Registry[type[AudioBackend]] = Registry(
    "audio backend",
    {
        "opensmile": "pipeline.audio.opensmile_backend:OpenSmileBackend",
        "librosa": "pipeline.audio.librosa_backend:LibrosaBackend",
    },
)


def create_backend(name: str) -> AudioBackend:
    """A new instance of the backend registered as ``name`` (error lists the choices)."""
    return BACKENDS.get(name)()
