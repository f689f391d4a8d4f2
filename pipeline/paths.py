"""Where each stage writes, relative to the repository root (dvc.yaml declares the same paths).

Stages import these instead of spelling paths out; ``tests/test_dvc_outputs.py`` checks that
every output dvc.yaml declares is defined here and that every file defined here is declared.
"""

from pathlib import Path

DATA = Path("data")
RESULTS = Path("results")

# the validate stage's marker: it exists once params.yaml passed validation
PARAMS_OK = DATA / "params.ok"

# corpus / manifest / split
SYNTHETIC_CORPUS = DATA / "IEMOCAP_synthetic"  # corpus.root of corpus.source: synthetic
MANIFEST = DATA / "manifest.csv"
MANIFEST_SKIPPED = DATA / "manifest_skipped.csv"
MANIFEST_REPORT = DATA / "manifest_report.json"
SPLIT = DATA / "split.csv"
SPLIT_REPORT = DATA / "split_report.json"

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


# datasets, models and results
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
