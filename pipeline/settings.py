"""The two papers' settings: which models are trained on which labels (``settings:`` in params).

- ``r1``, SLT 2018 (R1): ARE, TRE, MDRE and MDREA, 4-class by default.
- ``r2``, ICASSP 2020 (R2): AMH, 7-class by default, and R1's models retrained on the same
  labels and folds as its baselines (R2 re-ran MDRE on its seven classes; ARE and TRE are the
  unimodal baselines a fusion model is judged against).

Every setting has its own split, datasets and model runs for each fold of ``split.folds``
(paths in :mod:`pipeline.paths`), so ``dvc repro`` reproduces both papers' setups at once and a
change of one setting's labels reruns only that setting's stages.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pipeline import stage
from pipeline.errors import MmserError
from pipeline.labels import SCHEMES, LabelScheme
from pipeline.params import check

SettingName = Literal["r1", "r2"]
SETTINGS: tuple[SettingName, ...] = ("r1", "r2")
# Every protocol has five folds (pipeline.splits); ``split.folds`` lists those that run.
FOLDS = (1, 2, 3, 4, 5)
# Model names by dataset layout (the models' ``family``; tests/models checks them against the zoo).
R1_MODELS = ("are", "tre", "mdre", "mdrea")
AMH_MODELS = ("amh",)


def _check_models(key: str, names: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    unknown = [n for n in names if n not in allowed]
    check(
        not unknown, key, f"{', '.join(unknown)} not allowed here; choose from {', '.join(allowed)}"
    )
    check(len(set(names)) == len(names), key, f"lists a model twice: {list(names)}")


@dataclass(frozen=True)
class R1Setting:
    """``settings.r1``: R1's label scheme and which of its models are trained."""

    labels: Annotated[str, SCHEMES] = "4class"
    models: tuple[str, ...] = R1_MODELS

    def __post_init__(self) -> None:
        _check_models("models", self.models, R1_MODELS)


@dataclass(frozen=True)
class R2Setting:
    """``settings.r2``: R2's label scheme, its model, and R1's models retrained as baselines."""

    labels: Annotated[str, SCHEMES] = "7class"
    models: tuple[str, ...] = AMH_MODELS
    baselines: tuple[str, ...] = ("are", "tre")

    def __post_init__(self) -> None:
        _check_models("models", self.models, AMH_MODELS)
        _check_models("baselines", self.baselines, R1_MODELS)


@dataclass(frozen=True)
class SettingsParams:
    """``settings:`` section of params.yaml."""

    r1: R1Setting = field(default_factory=R1Setting)
    r2: R2Setting = field(default_factory=R2Setting)

    def get(self, name: str) -> R1Setting | R2Setting:
        """The setting called ``name`` (``r1`` or ``r2``)."""
        if name not in SETTINGS:
            raise MmserError(f"unknown setting {name!r}; choose one of {', '.join(SETTINGS)}")
        return getattr(self, name)

    def scheme(self, name: str) -> LabelScheme:
        """The label scheme of setting ``name``."""
        return SCHEMES.get(self.get(name).labels)

    def runs(self, name: str) -> tuple[str, ...]:
        """Every model trained in setting ``name``: its own models, then its baselines."""
        setting = self.get(name)
        return setting.models + getattr(setting, "baselines", ())


# The dataset layouts (folders of pipeline.datasets.LAYOUT) each setting writes: those its
# models and baselines read.
LAYOUTS: dict[str, tuple[str, ...]] = {"r1": ("r1",), "r2": ("amh", "r1")}


def fold_parser(description: str) -> argparse.ArgumentParser:
    """A stage's argument parser plus the positional ``setting`` (r1, r2) and ``fold`` (1..5)."""
    p = stage.parser(description)
    p.add_argument("setting", choices=SETTINGS)
    p.add_argument("fold", type=int, choices=FOLDS)
    return p
