"""Saving and loading trained models (``model.pt``) and resumable training state.

``model.pt`` is self-describing: model name, its params, the data info and the RNN kind are
stored with the weights, so evaluation rebuilds the model without reading params.yaml. The
resume state (weights, optimiser, RNG states, best weights so far, log) lives in the cache
folder under a key of everything that determines the run; an interrupted ``dvc repro`` resumes
from the last validation and finishes with exactly the numbers of an uninterrupted run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import torch

from models.base import EmotionModel
from models.data import DataInfo
from models.zoo import MODELS
from pipeline.errors import MmserError
from pipeline.io import atomic_path
from pipeline.params import from_dict, to_dict


def resolve_device(name: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def save(path: Path, payload: dict[str, Any]) -> None:
    """``torch.save`` written atomically."""
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def load(path: Path) -> dict[str, Any]:
    """Load a file written by :func:`save`, with a clear error when it is missing or corrupt."""
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except FileNotFoundError:
        raise MmserError("model file not found", file=path, hint="run `dvc repro`") from None
    except (RuntimeError, EOFError, OSError) as exc:
        raise MmserError(f"unreadable checkpoint: {exc}", file=path) from None


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
