"""Model name (params ``models.<name>``, stage ``train@<name>``) → model class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.registry import Registry

if TYPE_CHECKING:
    from models.base import EmotionModel

MODELS: Registry[type[EmotionModel]] = Registry(
    "model",
    {
        "are": "models.are:ARE",
        "tre": "models.tre:TRE",
        "mdre": "models.mdre:MDRE",
        "mdrea": "models.mdrea:MDREA",
        "amh": "models.amh:AMH",
    },
)
# Modalities per model, for result tables (tests/core/test_config.py checks them against roles).
MODALITIES = {"are": "A", "tre": "T", "mdre": "A+T", "mdrea": "A+T", "amh": "A+T+V"}


def model_choice(name: str) -> frozenset[str]:
    """The registry choice of model ``name`` for :func:`pipeline.fingerprint.module_closure`:
    the code that trains or evaluates it holds its own module, not the other models'."""
    return frozenset({f"{__name__}.MODELS:{name}"})
