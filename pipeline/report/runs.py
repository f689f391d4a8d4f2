"""A model's results in one setting over the folds that ran, and their statistics.

The evaluate stage writes one ``metrics.json`` per (setting, fold, model), with the dataset's
provenance (setting, fold, split, label scheme); :func:`collect_runs` reads those of the folds in
``split.folds`` and :func:`summarize` turns each run into the numbers of one table row.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline import paths
from pipeline.errors import MmserError
from pipeline.io import read_json

Stat = tuple[float, float | None]  # mean and standard deviation over folds (None: one fold)


@dataclass(frozen=True)
class Run:
    """One model of one setting: the ``metrics.json`` of each fold, in fold order."""

    setting: str
    model: str
    folds: tuple[int, ...]
    metrics: tuple[Mapping[str, Any], ...]

    @property
    def modalities(self) -> str:
        return self.metrics[0].get("modalities", "?")

    @property
    def dataset(self) -> Mapping[str, Any]:
        """The first fold's dataset provenance (scheme, split, sizes, ...)."""
        return self.metrics[0].get("dataset", {})


def collect_runs(runs: Mapping[str, Sequence[str]], folds: Sequence[int]) -> list[Run]:
    """Read ``results/<setting>/fold<k>/<model>/metrics.json`` for every run and fold.

    Args:
        runs: Setting → the models trained in it.
        folds: The folds that ran (``split.folds``).

    Raises:
        MmserError: a fold's metrics are missing, or the folds of a run disagree on its scheme.
    """
    out = []
    for setting, models in runs.items():
        for model in models:
            metrics = []
            for fold in folds:
                path = paths.results_dir(setting, fold, model) / "metrics.json"
                if not path.exists():
                    raise MmserError("metrics missing", file=path, hint="run `dvc repro`")
                metrics.append(read_json(path))
            schemes = {m.get("dataset", {}).get("scheme") for m in metrics}
            if len(schemes) > 1:
                raise MmserError(
                    f"the folds of {setting}/{model} used different label schemes "
                    f"{sorted(map(str, schemes))}; rerun `dvc repro`"
                )
            out.append(Run(setting, model, tuple(folds), tuple(metrics)))
    return out


def stat(values: Sequence[float]) -> Stat:
    """Mean and standard deviation (``None`` for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else None


def class_names(test: Mapping[str, Any]) -> list[str]:
    """A test result's classes in class-id order (the confusion matrix's order)."""
    return list(test["classes"])


def chance(test: Mapping[str, Any]) -> float:
    """Chance WA on a test set: the larger of uniform guessing and the majority class."""
    support = [c["support"] for c in test["per_class"].values()]
    return max(1 / len(support), max(support) / max(sum(support), 1))


def recalls(run: Run) -> dict[str, float]:
    """Per-class test recall over all folds' predictions together (pooled confusion matrices)."""
    tests = [m["test"] for m in run.metrics]
    classes = class_names(tests[0])
    cm = sum(np.asarray(t["confusion"], dtype=np.int64) for t in tests)
    support = cm.sum(axis=1)
    return {
        c: float(cm[i, i] / support[i]) if support[i] else math.nan for i, c in enumerate(classes)
    }


@dataclass(frozen=True)
class Summary:
    """The numbers of one run: over all folds, and on its first fold alone."""

    run: Run
    wa: Stat
    ua: Stat
    precision_weighted: Stat
    precision_macro: Stat
    first_wa: float
    first_ua: float
    first_ci95: float  # binomial 95 % half-width of the first fold's WA
    ci95: float  # the same over all folds' test predictions together
    chance: float  # mean over folds


def _ci95(wa: float, n: int) -> float:
    return 1.96 * math.sqrt(wa * (1 - wa) / max(n, 1))


def summarize(run: Run) -> Summary:
    """Mean ± std over folds and the first fold's values of one run."""
    tests = [m["test"] for m in run.metrics]
    sizes = [sum(c["support"] for c in t["per_class"].values()) for t in tests]
    wa = stat([t["wa"] for t in tests])
    return Summary(
        run=run,
        wa=wa,
        ua=stat([t["ua"] for t in tests]),
        precision_weighted=stat([t["precision_weighted"] for t in tests]),
        precision_macro=stat([t["precision_macro"] for t in tests]),
        first_wa=tests[0]["wa"],
        first_ua=tests[0]["ua"],
        first_ci95=_ci95(tests[0]["wa"], sizes[0]),
        ci95=_ci95(wa[0], sum(sizes)),
        chance=statistics.fmean(chance(t) for t in tests),
    )
