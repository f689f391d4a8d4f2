"""The data reports behind the results (counts, exclusions, statistics), linked from the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline import paths


def data_reports(
    settings: Sequence[str], folds: Sequence[int], asr_backend: str
) -> list[tuple[str, Path]]:
    """``(title, path)`` of the manifest, ASR and feature reports, then each setting's split and
    dataset reports per fold."""
    out = [
        ("manifest: utterances per session and label, skipped ones", paths.MANIFEST_REPORT),
        (f"ASR ({asr_backend}): WER/CER per session", paths.transcripts_report(asr_backend)),
        ("audio features: counts, statistics", paths.AUDIO_FEATURES / "meta.json"),
        ("text features: vocabulary, OOV rates, row statuses", paths.TEXT_META),
        ("video features: weights, counts, timing", paths.VIDEO_META),
    ]
    for setting in settings:
        for fold in folds:
            out.append((f"{setting} split, fold {fold}", paths.split_report(setting, fold)))
            out.append((f"{setting} dataset, fold {fold}", paths.datasets_report(setting, fold)))
    return out
