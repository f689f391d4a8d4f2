"""``results/metrics.json``: the few numbers experiments are compared by, DVC's only metrics.

Flat keys, in this order (``dvc metrics show``, ``dvc exp show`` and ``dvc metrics diff`` list
them so):

- ``<setting>.<model>.wa`` and ``.ua``: test WA and UA, the mean over the folds of
  ``split.folds`` (with one fold, its value); ``.wa_std`` and ``.ua_std``: their standard
  deviation over the folds, when more than one ran;
- ``asr.wer`` and ``asr.cer``: the ASR backend's word and character error rates against gold;
- ``failed.<stage>``: utterances a stage could not use (``manifest``: listed but skipped,
  ``audio``, ``asr``, ``text``, ``video``: failed);
- ``checks.failed``: the report's checks that fail.

Everything else the stages measure stays in their own files, linked from the report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.io import write_text
from pipeline.report.features import get
from pipeline.report.summary import Report

Metrics = dict[str, float | int]


def run_metrics(report: Report) -> Metrics:
    """``<setting>.<model>.wa`` / ``.ua`` (and ``_std`` over several folds) of every run."""
    out: Metrics = {}
    for setting, rows in report.summaries.items():
        for s in rows:
            key = f"{setting}.{s.run.model}"
            out[f"{key}.wa"], out[f"{key}.ua"] = s.wa[0], s.ua[0]
            if s.wa[1] is not None and s.ua[1] is not None:
                out[f"{key}.wa_std"], out[f"{key}.ua_std"] = s.wa[1], s.ua[1]
    return out


def failure_counts(
    metas: Mapping[str, Mapping[str, Any]], manifest: Mapping[str, Any], asr: Mapping[str, Any]
) -> Metrics:
    """``failed.<stage>`` from each stage's report (a stage whose report lacks it is left out)."""
    counts = {
        "failed.manifest": manifest.get("skipped"),
        "failed.audio": get(metas.get("audio", {}), "counts.failed"),
        "failed.asr": asr.get("failed"),
        "failed.text": get(metas.get("text", {}), "failed_rows"),
        "failed.video": get(metas.get("video", {}), "failed"),
    }
    return {key: int(value) for key, value in counts.items() if value is not None}


def curated_metrics(report: Report, manifest: Mapping[str, Any], asr: Mapping[str, Any]) -> Metrics:
    """Every key of ``results/metrics.json`` (module docstring), in order.

    Args:
        report: The summarised runs and their checks.
        manifest: ``data/manifest_report.json``.
        asr: The ASR backend's ``data/transcripts/<backend>_report.json``.
    """
    overall = asr.get("overall", {})
    rates = {f"asr.{k}": overall[k] for k in ("wer", "cer") if overall.get(k) is not None}
    failed_checks = sum(line.startswith("FAIL") for line in report.checks)
    return {
        **run_metrics(report),
        **rates,
        **failure_counts(report.metas, manifest, asr),
        "checks.failed": failed_checks,
    }


def write_metrics(path: Path, metrics: Metrics) -> None:
    """Write ``metrics`` as JSON in their order (not sorted: runs first)."""
    write_text(path, json.dumps(metrics, indent=2) + "\n")
