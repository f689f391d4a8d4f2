"""Saving and loading trained models (``model.pt``) and resumable training state.

``model.pt`` is self-describing: model name, its params, the data info and the RNN kind are
stored with the weights, so evaluation rebuilds the model without reading params.yaml. The
resume state (weights, optimiser, RNG states, best weights so far, log) lives in the cache
folder under a key of everything that determines the run; an interrupted ``dvc repro`` resumes
from the last validation and finishes with exactly the numbers of an uninterrupted run.

Both hold tensors and plain values only and are read with ``torch.load(weights_only=True)``:
nothing in a checkpoint file is ever executed, and a file holding anything else is refused.
Equal contents give equal bytes (the archive is built in memory, so its inner folder name does
not come from a random temporary file name): retraining to the same weights changes nothing
downstream.
"""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch

from models.base import EmotionModel
from models.data import DataInfo
from models.zoo import MODELS
from pipeline.errors import MmserError
from pipeline.io import write_bytes
from pipeline.params import from_dict, to_dict


def resolve_device(name: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def use_threads(threads: int) -> None:
    """Torch's CPU threads: ``train.threads``, 0 = every core this process may use."""
    torch.set_num_threads(threads or os.cpu_count() or 1)


def save(path: Path, payload: dict[str, Any]) -> None:
    """``torch.save`` of tensors and plain values, written atomically; same payload, same bytes."""
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    write_bytes(path, buffer.getvalue())


def load(path: Path) -> dict[str, Any]:
    """Load a file written by :func:`save` without unpickling objects.

    Raises:
        MmserError: naming the file, if it is missing, truncated or corrupt, or holds anything
            but tensors and plain values (such a file is refused, never executed).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MmserError("model file not found", file=path, hint="run `dvc repro`") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):  # torch.save writes a zip archive
        raise MmserError("truncated or corrupt checkpoint (not a complete zip archive)", file=path)
    try:
        saved = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise MmserError(
            "refused checkpoint: it holds objects other than tensors and plain values, which "
            "are never unpickled",
            file=path,
        ) from None
    except (RuntimeError, EOFError, OSError, ValueError, zipfile.BadZipFile) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MmserError(f"truncated or corrupt checkpoint ({reason})", file=path) from None
    if not isinstance(saved, dict):
        raise MmserError(f"not a checkpoint (holds a {type(saved).__name__})", file=path)
    return saved


def model_payload(model: EmotionModel, state: dict[str, Any], rnn: str, **extra: Any) -> dict:
    """What ``model.pt`` holds: enough to rebuild ``model`` and load ``state``."""
    return {
        "name": model.name,
        "params": to_dict(model.params),
        "info": dataclasses.asdict(model.info),
        "rnn": rnn,
        "state_dict": state,
        **extra,
    }


def load_model(path: Path, device: torch.device) -> tuple[EmotionModel, dict[str, Any]]:
    """Rebuild the model stored in ``path`` (eval mode, on ``device``) and return its payload."""
    saved = load(path)
    cls = MODELS.get(saved["name"])
    params = from_dict(cls.params_type, saved["params"], f"models.{saved['name']}", file=path)
    info = DataInfo(**{**saved["info"], "classes": tuple(saved["info"]["classes"])})
    model = cls(params, info, rnn=saved["rnn"])
    model.load_state_dict(saved["state_dict"])
    return model.to(device).eval(), saved
