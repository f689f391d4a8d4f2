"""Model-agnostic evaluation: predictions over a partition in order, scores, result files.

Every sample is evaluated exactly once in variable-size batches (R1 padded its last fixed-size
batch with ``data[0]`` and trimmed it: same result). R2's off-by-one — its loader replaced the
last test sample by ``data[0]`` (``process_data_AMH.py``) — is a bug affecting one sample and is not
reproduced.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from models import metrics, objective
from models.checkpoint import load_model, use_threads
from models.data import Partition, dataset_folder, load_partition, make_batch, ordered_rows
from models.params import Loss
from models.zoo import MODALITIES
from pipeline.figures import run_label, write_png
from pipeline.figures.confusion import confusion_figure, confusion_title
from pipeline.io import read_json, write_csv, write_json

EVAL_BATCH = 128


@torch.no_grad()
def predict(model: torch.nn.Module, part: Partition, device: torch.device) -> np.ndarray:
    """Logits ``[N, C]`` for every row of ``part``, in order, with dropout off."""
    model.eval()
    sizes = model.encoder_sizes()
    out = [
        model(make_batch(part, rows, sizes, device)).float().cpu().numpy()
        for rows in ordered_rows(len(part), EVAL_BATCH)
    ]
    return np.concatenate(out) if out else np.zeros((0, model.info.num_classes), np.float32)


def score(logits: np.ndarray, labels: np.ndarray, kind: Loss, classes: tuple[str, ...]) -> dict:
    """Metrics of :func:`models.metrics.summarize` plus the summed and mean loss."""
    total = float(
        objective.loss(kind, torch.as_tensor(logits), torch.as_tensor(labels), reduction="sum")
    )
    summary = metrics.summarize(labels, logits.argmax(axis=1), classes)
    summary["loss_sum"] = total
    summary["loss"] = total / max(len(labels), 1)
    return summary


def probabilities(logits: np.ndarray, kind: Loss) -> np.ndarray:
    """Per-class sigmoid (R1) or softmax (R2) outputs."""
    t = torch.as_tensor(logits)
    return (torch.sigmoid(t) if kind == "sigmoid" else torch.softmax(t, dim=-1)).numpy()


def evaluate(
    name: str,
    model_path: Path,
    datasets_root: Path,
    out_dir: Path,
    device: torch.device,
    threads: int = 0,
) -> dict:
    """Score a trained model on dev and test; write metrics.json, predictions.csv and
    confusion.png (titled with the model, setting, label scheme, fold and test WA/UA).

    ``threads``: torch CPU threads, as in training (``train.threads``; 0 = every core).

    Returns:
        The metrics written to ``out_dir/metrics.json``.
    """
    use_threads(threads)
    model, saved = load_model(model_path, device)
    folder = dataset_folder(datasets_root, model.family)
    loss_kind = model.params.optim.loss
    classes = model.info.classes
    results = {}
    for partition in ("dev", "test"):
        part = load_partition(folder, partition, model.roles)
        logits = predict(model, part, device)
        results[partition] = score(logits, part.labels, loss_kind, classes)
        if partition == "test":
            _write_predictions(out_dir / "predictions.csv", part, logits, loss_kind, classes)
    dataset = dataset_provenance(folder)
    test = results["test"]
    title = confusion_title(run_label(name, dataset), test["wa"], test["ua"])
    write_png(out_dir / "confusion.png", confusion_figure(test["confusion"], classes), title)
    report = {
        "model": name,
        "modalities": MODALITIES[name],
        "best_step": saved["best_step"],
        "selection": model.params.optim.selection,
        "dataset": dataset,
        **results,
    }
    write_json(out_dir / "metrics.json", report)
    return report


def dataset_provenance(folder: Path) -> dict:
    """What the dataset folder's ``meta.json`` says about its rows (setting, fold, split, ...)."""
    meta = read_json(folder / "meta.json")
    keys = ("setting", "fold", "protocol", "split", "scheme", "sizes", "audio_normalize")
    return {key: meta[key] for key in (*keys, "vocab_scope", "excluded") if key in meta}


def _write_predictions(
    path: Path, part: Partition, logits: np.ndarray, kind: Loss, classes: tuple[str, ...]
) -> None:
    probs = probabilities(logits, kind)
    pred = logits.argmax(axis=1)
    rows = (
        {
            "utterance_id": uid,
            "actual": classes[int(part.labels[i])],
            "predicted": classes[int(pred[i])],
            **{f"p_{c}": f"{probs[i, k]:.6f}" for k, c in enumerate(classes)},
        }
        for i, uid in enumerate(part.ids)
    )
    write_csv(path, rows, ["utterance_id", "actual", "predicted", *(f"p_{c}" for c in classes)])
