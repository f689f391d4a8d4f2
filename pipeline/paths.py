"""Where each stage writes, relative to the repository root (the same paths dvc.yaml declares).

Stages import these instead of spelling paths out; ``tests/test_dvc_config.py`` checks that
dvc.yaml declares the same ones.
"""

from pathlib import Path

DATA = Path("data")
RESULTS = Path("results")

# manifest / split (issue 3)
MANIFEST = DATA / "manifest.csv"
MANIFEST_SKIPPED = DATA / "manifest_skipped.csv"
MANIFEST_REPORT = DATA / "manifest_report.json"
SPLIT = DATA / "split.csv"
SPLIT_REPORT = DATA / "split_report.json"

# features (issues 4-6): each folder holds its arrays, index.csv, meta.json and failed.csv
FEATURES = DATA / "features"
AUDIO_FEATURES = FEATURES / "audio"
TEXT_FEATURES = FEATURES / "text"
VIDEO_FEATURES = FEATURES / "video"
TRANSCRIPTS = DATA / "transcripts"

# datasets, models and results (issue 7)
DATASETS = DATA / "datasets"
MODELS = DATA / "models"
DATASETS_REPORT = DATASETS / "report.json"
SUMMARY_MD = RESULTS / "summary.md"
SUMMARY_CSV = RESULTS / "summary.csv"
CROSSVAL = RESULTS / "cv"


def model_dir(name: str) -> Path:
    """``data/models/<name>/``: the trained model (``model.pt``)."""
    return MODELS / name


def results_dir(name: str) -> Path:
    """``results/<name>/``: training log and metrics, test metrics, predictions, confusion."""
    return RESULTS / name
