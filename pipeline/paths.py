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

# video features (issue 6)
VIDEO_ARRAY = VIDEO_FEATURES / "video.npy"
VIDEO_SEQN = VIDEO_FEATURES / "video_seqN.npy"
VIDEO_INDEX = VIDEO_FEATURES / "index.csv"
VIDEO_META = VIDEO_FEATURES / "meta.json"
VIDEO_FAILED = VIDEO_FEATURES / "failed.csv"

# datasets, models and results (issue 7)
DATASETS = DATA / "datasets"
MODELS = DATA / "models"
