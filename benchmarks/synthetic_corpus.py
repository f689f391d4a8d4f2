"""Benchmark the synthetic corpus: generation time, and how learnable each modality's cue is.

Generates the default corpus (params.yaml's ``corpus.synthetic``) into a temporary folder, times
it, then trains simple classifiers (logistic regression, 5-fold stratified cross-validation) on
crude per-utterance features of each modality alone and of all three together:

- text: word unigram + bigram counts of the transcript;
- audio: duration, F0 (librosa.yin) median/IQR, RMS mean/std, MFCC means/stds of the sentence wav;
- video: hue histogram, mean colour and frame-difference energy of the speaking actor's 224×224
  centre crop, frames sampled at 3 fps inside the utterance span of the dialog avi.

The point is the design goal of the corpus: every modality alone clearly above chance but
imperfect, the fusion better than each. Writes ``benchmarks/results/synthetic_corpus.json``.

Run: ``.venv/bin/python -m benchmarks.synthetic_corpus [--utterances N]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import cv2
import librosa
import numpy as np
import soundfile as sf
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pipeline.corpus.iemocap import parse_corpus
from pipeline.corpus.params import CorpusParams
from pipeline.corpus.synthetic import generate
from pipeline.labels import SCHEMES
from pipeline.manifest import Utterance
from pipeline.params import load_section

RESULTS = Path(__file__).parent / "results" / "synthetic_corpus.json"


def audio_features(root: Path, u: Utterance) -> np.ndarray:
    y, sr = sf.read(root / u.wav, dtype="float32")
    f0 = librosa.yin(y, fmin=60, fmax=500, sr=sr, frame_length=1024, hop_length=160)
    rms = librosa.feature.rms(y=y, frame_length=400, hop_length=160)[0]
    n = min(len(f0), len(rms))
    voiced = f0[:n][rms[:n] > 0.3 * rms.max()]
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_fft=400, hop_length=160)
    q25, q50, q75 = np.percentile(voiced, [25, 50, 75])
    stats = [len(y) / sr, q50, q75 - q25, rms.mean(), rms.std()]
    return np.concatenate([stats, mfcc.mean(1), mfcc.std(1)])


def video_features(root: Path, u: Utterance, fps_sample: float = 3.0) -> np.ndarray:
    capture = cv2.VideoCapture(str(root / u.dialog_avi))
    fps = capture.get(cv2.CAP_PROP_FPS)
    width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    x0 = 0 if u.speaker == "F" else width // 2
    times = np.arange(u.start, u.end, 1 / fps_sample)
    crops = []
    for t in times:
        capture.set(cv2.CAP_PROP_POS_FRAMES, int(t * fps))
        ok, frame = capture.read()
        if ok:
            half = frame[:, x0 : x0 + width // 2]
            h, w = half.shape[:2]
            crops.append(half[(h - 224) // 2 : (h + 224) // 2, (w - 224) // 2 : (w + 224) // 2])
    capture.release()
    hists, means = [], []
    for crop in crops:
        hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
        hist = cv2.calcHist([hsv], [0], (hsv[..., 1] > 80).astype(np.uint8), [18], [0, 180])
        hists.append(hist.ravel() / (224 * 224))
        means.append(crop.reshape(-1, 3).mean(0) / 255)
    motion = [np.abs(a.astype(float) - b).mean() for a, b in itertools.pairwise(crops)]
    return np.concatenate([np.mean(hists, 0), np.mean(means, 0), [np.mean(motion or [0.0])]])


def evaluate(features: dict[str, np.ndarray], y: np.ndarray) -> dict[str, dict[str, float]]:
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    out = {}
    for name, x in features.items():
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.5))
        predicted = cross_val_predict(model, x, y, cv=folds)
        out[name] = {
            "weighted_accuracy": round(float(np.mean(predicted == y)), 3),
            "unweighted_accuracy": round(float(balanced_accuracy_score(y, predicted)), 3),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, help="override corpus.synthetic.utterances")
    args = parser.parse_args()
    params = load_section(CorpusParams, "corpus").synthetic
    if args.utterances:
        from dataclasses import replace

        params = replace(params, utterances=args.utterances)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "IEMOCAP_synthetic"
        started = time.perf_counter()
        generate(root, params)
        seconds = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
        utterances = parse_corpus(root).utterances
        texts = [u.transcript for u in utterances]
        features = {
            "text": CountVectorizer(ngram_range=(1, 2)).fit_transform(texts).toarray(),
            "audio": np.array([audio_features(root, u) for u in utterances]),
            "video": np.array([video_features(root, u) for u in utterances]),
        }
    features["text+audio+video"] = np.hstack(list(features.values()))
    results: dict[str, object] = {
        "params": vars(params),
        "generation_seconds": round(seconds, 1),
        "corpus_megabytes": round(size_mb, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
    }
    for scheme in ("4class", "7class"):
        mapping = SCHEMES.get(scheme).mapping
        keep = np.array([u.label_raw in mapping for u in utterances])
        y = np.array([mapping[u.label_raw] for u in utterances if u.label_raw in mapping])
        chance = float(np.bincount(y).max() / len(y))
        scores = evaluate({k: v[keep] for k, v in features.items()}, y)
        results[scheme] = {"n": len(y), "majority_class": round(chance, 3), **scores}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
