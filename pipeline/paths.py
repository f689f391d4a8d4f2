"""Where each stage writes, relative to the repository root (dvc.yaml declares the same paths).

Stages import these instead of spelling paths out; ``tests/test_dvc_outputs.py`` checks that
every output dvc.yaml declares is defined here and that every file defined here is declared.
"""

from pathlib import Path

DATA = Path("data")
RESULTS = Path("results")

# the validate stage's marker: it exists once params.yaml passed validation
PARAMS_OK = DATA / "params.ok"

# corpus, manifest, and the splits of every setting and fold
SYNTHETIC_CORPUS = DATA / "IEMOCAP_synthetic"  # corpus.root of corpus.source: synthetic
MANIFEST = DATA / "manifest.csv"
MANIFEST_SKIPPED = DATA / "manifest_skipped.csv"
MANIFEST_REPORT = DATA / "manifest_report.json"
SPLITS = DATA / "splits"

# features: each folder holds its arrays, index.csv, meta.json and failed.csv
FEATURES = DATA / "features"
AUDIO_FEATURES = FEATURES / "audio"
TEXT_FEATURES = FEATURES / "text"
VIDEO_FEATURES = FEATURES / "video"
TRANSCRIPTS = DATA / "transcripts"

# text features (the audio files are named in pipeline.audio.extract)
TEXT_TOKENS = TEXT_FEATURES / "tokens.npy"
TEXT_VOCAB = TEXT_FEATURES / "vocab.json"
TEXT_EMBEDDING = TEXT_FEATURES / "embedding.npy"
TEXT_INDEX = TEXT_FEATURES / "index.csv"
TEXT_META = TEXT_FEATURES / "meta.json"
TEXT_FAILED = TEXT_FEATURES / "failed.csv"

# video features
VIDEO_ARRAY = VIDEO_FEATURES / "video.npy"
VIDEO_SEQN = VIDEO_FEATURES / "video_seqN.npy"
VIDEO_INDEX = VIDEO_FEATURES / "index.csv"
VIDEO_META = VIDEO_FEATURES / "meta.json"
VIDEO_FAILED = VIDEO_FEATURES / "failed.csv"


# ASR: data/transcripts/<backend>{.csv,_report.json,_failed.csv}
def transcripts_csv(backend: str) -> Path:
    """``data/transcripts/<backend>.csv``: utterance_id,text,confidence,seconds."""
    return TRANSCRIPTS / f"{backend}.csv"


def transcripts_report(backend: str) -> Path:
    """``data/transcripts/<backend>_report.json``: WER/CER against gold, real-time factor."""
    return TRANSCRIPTS / f"{backend}_report.json"


def transcripts_failed(backend: str) -> Path:
    """``data/transcripts/<backend>_failed.csv``: utterances the backend could not recognise."""
    return TRANSCRIPTS / f"{backend}_failed.csv"


# Splits, datasets, models and results: one folder per setting (r1, r2; pipeline.settings) and
# fold (1..5).
DATASETS = DATA / "datasets"
MODELS = DATA / "models"
SUMMARY_MD = RESULTS / "summary.md"
SUMMARY_CSV = RESULTS / "summary.csv"
METRICS = RESULTS / "metrics.json"  # the DVC metrics: what experiments are compared by
REPORT_HTML = RESULTS / "report.html"  # the summary with every run's figures, self-contained
RUNS = RESULTS / "runs"  # every run's results (the report reads the whole folder)


def split_csv(setting: str, fold: int) -> Path:
    """``data/splits/<setting>/fold<k>.csv``: utterance_id, label, label_name, partition."""
    return SPLITS / setting / f"fold{fold}.csv"


def split_report(setting: str, fold: int) -> Path:
    """``data/splits/<setting>/fold<k>.json``: counts per partition and class."""
    return SPLITS / setting / f"fold{fold}.json"


def datasets_dir(setting: str, fold: int) -> Path:
    """``data/datasets/<setting>/fold<k>/``: one folder per dataset layout (``r1``, ``amh``)."""
    return DATASETS / setting / f"fold{fold}"


def datasets_report(setting: str, fold: int) -> Path:
    """``data/datasets/<setting>/fold<k>.json``: counts, exclusions, normalisation statistics."""
    return DATASETS / setting / f"fold{fold}.json"


def model_dir(setting: str, fold: int, model: str) -> Path:
    """``data/models/<setting>/fold<k>/<model>/``: the trained model (``model.pt``)."""
    return MODELS / setting / f"fold{fold}" / model


def results_dir(setting: str, fold: int, model: str) -> Path:
    """``results/runs/<setting>/fold<k>/<model>/``: training log and metrics, test metrics,
    predictions, confusion matrix."""
    return RUNS / setting / f"fold{fold}" / model
