"""Model name (params ``models.<name>``, stage ``train@<name>``) → model class."""

from __future__ import annotations

from models.amh import AMH
from models.are import ARE
from models.base import EmotionModel
from models.mdre import MDRE
from models.mdrea import MDREA
from models.tre import TRE
from pipeline.errors import MmserError

MODELS: dict[str, type[EmotionModel]] = {m.name: m for m in (ARE, TRE, MDRE, MDREA, AMH)}
# Modalities per model, for result tables.
MODALITIES = {"are": "A", "tre": "T", "mdre": "A+T", "mdrea": "A+T", "amh": "A+T+V"}


def model_class(name: str) -> type[EmotionModel]:
    """The class registered as ``name``, or a clear error listing the choices."""
    try:
        return MODELS[name]
    except KeyError:
        raise MmserError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}") from None
