"""Model-agnostic training loop with the originals' schedule.

- Each step draws ``batch_size`` training rows uniformly WITH replacement (no epochs), as both
  originals did; Adam (β 0.9/0.999, ε 1e-8; PyTorch places ε after the bias correction, TF before:
  a negligible difference); loss and gradient clipping per ``optim.loss``/``optim.clip``
  (:mod:`models.objective`).
- Validation every ``int(valid_epoch_fraction · N_train / batch_size) + 1`` steps; the model kept
  is the best by ``optim.selection``: R1's lowest summed dev cross-entropy (``dev_ce``) or R2's
  highest dev "WA" (``dev_wa_precision`` = weighted precision, HEAD's ``USE_PRECISION=True``;
  ``dev_wa_accuracy`` = accuracy). Training stops at the ``early_stop_count + 1``-th consecutive
  validation without improvement (R1: 7 → 8th, R2: 15 → 16th) or after ``train.max_steps``,
  but never before ``train.min_steps`` (a deviation, default 150; 0 = the originals): on the
  synthetic corpus the dev set has a few dozen utterances and is validated every step or two,
  so its noise stopped models after 18-37 steps, barely trained (see docs/models.md).
- Deterministic given ``train.seed`` (torch and the batch sampler are seeded; the originals set no
  seeds). Training-step exceptions are raised, not swallowed as in the originals.
- The full state is checkpointed at every validation in the cache folder; a rerun resumes from it
  and produces the same numbers as an uninterrupted run.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from models import checkpoint, objective
from models.base import EmotionModel
from models.data import (
    Partition,
    dataset_folder,
    load_embedding,
    load_info,
    load_partition,
    make_batch,
    sample_rows,
)
from models.evaluate import predict, score
from models.params import ModelParams, Selection, TrainParams
from models.zoo import MODELS, model_choice
from pipeline.cache import stable_hash
from pipeline.errors import MmserError
from pipeline.fingerprint import code_fingerprint
from pipeline.io import write_csv, write_json
from pipeline.params import to_dict

log = logging.getLogger(__name__)

SELECTION: dict[Selection, Callable[[dict], float]] = {
    "dev_ce": lambda s: -s["loss_sum"],
    "dev_wa_precision": lambda s: s["precision_weighted"],
    "dev_wa_accuracy": lambda s: s["wa"],
}
LOG_COLUMNS = (
    "step",
    "train_loss",
    "dev_loss",
    "dev_wa",
    "dev_ua",
    "dev_precision_weighted",
    "best",
)


@dataclass
class TrainState:
    """Everything a resumed run needs besides the model, optimiser and RNG states."""

    step: int = 0
    best_score: float = float("-inf")
    best_step: int = 0
    best_dev: dict[str, Any] = field(default_factory=dict)
    best_weights: dict[str, torch.Tensor] | None = None
    stale: int = 0  # consecutive validations without improvement
    loss_sum: float = 0.0
    loss_count: int = 0
    seconds: float = 0.0
    stopped: str = ""
    log: list[dict[str, float]] = field(default_factory=list)


def train_model(
    name: str,
    params: ModelParams,
    train: TrainParams,
    datasets_root: Path,
    model_dir: Path,
    results_dir: Path,
    cache_dir: Path,
    *,
    progress: bool = True,
    on_validation: Callable[[dict[str, float]], None] | None = None,
) -> dict[str, Any]:
    """Train model ``name`` and write ``model_dir/model.pt`` plus the training log and metrics.

    Args:
        name: Model name (``are``, ``tre``, ``mdre``, ``mdrea``, ``amh``).
        params: Its ``models.<name>`` params.
        train: Shared ``train`` params.
        datasets_root: ``data/datasets`` (the model reads its family's folder).
        model_dir: Where ``model.pt`` goes.
        results_dir: Where ``train_metrics.json`` and ``train_log.csv`` go.
        cache_dir: Root of the resume checkpoints.
        progress: Show a progress bar.
        on_validation: Called with each validation's log row (after the checkpoint is saved).

    Returns:
        The training metrics (also written to ``train_metrics.json``). The time taken is logged,
        not written, so that retraining with the same inputs rewrites identical files.
    """
    device = checkpoint.resolve_device(train.device)
    checkpoint.use_threads(train.threads)
    torch.manual_seed(train.seed)
    cls = MODELS.get(name)
    folder = dataset_folder(datasets_root, cls.family)
    info = load_info(folder)
    embedding = load_embedding(folder) if "text" in cls.roles else None
    model = cls(params, info, rnn=train.rnn, embedding=embedding).to(device)
    optim = params.optim
    optimizer = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad],
        lr=optim.lr,
        betas=(0.9, 0.999),
        eps=1e-8,
    )
    train_part = load_partition(folder, "train", cls.roles)
    dev_part = load_partition(folder, "dev", cls.roles)
    rng = np.random.default_rng(train.seed)
    valid_every = int(train.valid_epoch_fraction * len(train_part) / optim.batch_size) + 1
    resume_path = _resume_path(cache_dir, name, params, train, folder)
    state = _restore(resume_path, model, optimizer, rng)
    bar = tqdm(
        total=train.max_steps, initial=state.step, desc=f"train {name}", disable=not progress
    )
    while state.step < train.max_steps and not state.stopped:
        started = time.perf_counter()
        state.step += 1
        _train_step(model, optimizer, train_part, rng, device, state)
        if state.step % valid_every == 0 or state.step == train.max_steps:
            row = _validate(model, dev_part, device, state, train.min_steps)
            bar.set_postfix(
                dev_wa=f"{row['dev_wa']:.3f}", dev_ua=f"{row['dev_ua']:.3f}", best=state.best_step
            )
            state.seconds += time.perf_counter() - started
            _save_resume(resume_path, model, optimizer, rng, state)
            if on_validation:
                on_validation(row)
        else:
            state.seconds += time.perf_counter() - started
        bar.update(1)
    bar.close()
    result = _finish(name, model, train, state, valid_every, len(train_part), len(dev_part), device)
    checkpoint.save(
        model_dir / "model.pt",
        checkpoint.model_payload(
            model, state.best_weights or model.state_dict(), train.rnn, best_step=state.best_step
        ),
    )
    write_csv(results_dir / "train_log.csv", state.log, LOG_COLUMNS)
    write_json(results_dir / "train_metrics.json", result)
    resume_path.unlink(missing_ok=True)
    return result


def _train_step(
    model: EmotionModel,
    optimizer: torch.optim.Optimizer,
    part: Partition,
    rng: np.random.Generator,
    device: torch.device,
    state: TrainState,
) -> None:
    optim = model.params.optim
    model.train()
    batch = make_batch(
        part, sample_rows(rng, len(part), optim.batch_size), model.encoder_sizes(), device
    )
    loss = objective.loss(optim.loss, model(batch), batch["label"])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    objective.clip_gradients(model.parameters(), optim.clip, optim.clip_value)
    optimizer.step()
    state.loss_sum += float(loss.detach())
    state.loss_count += 1


def _validate(
    model: EmotionModel, dev: Partition, device: torch.device, state: TrainState, min_steps: int
) -> dict:
    optim = model.params.optim
    dev_scores = score(predict(model, dev, device), dev.labels, optim.loss, model.info.classes)
    value = SELECTION[optim.selection](dev_scores)
    improved = value > state.best_score
    if improved:
        state.best_score, state.best_step, state.stale = value, state.step, 0
        state.best_dev = {k: dev_scores[k] for k in ("wa", "ua", "precision_weighted", "loss")}
        state.best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
    else:
        state.stale += 1
        if state.stale > optim.early_stop_count and state.step >= min_steps:
            state.stopped = "early_stop"
    row = {
        "step": state.step,
        "train_loss": state.loss_sum / max(state.loss_count, 1),
        "dev_loss": dev_scores["loss"],
        "dev_wa": dev_scores["wa"],
        "dev_ua": dev_scores["ua"],
        "dev_precision_weighted": dev_scores["precision_weighted"],
        "best": int(improved),
    }
    state.loss_sum, state.loss_count = 0.0, 0
    state.log.append(row)
    return row


def _finish(
    name: str,
    model: EmotionModel,
    train: TrainParams,
    state: TrainState,
    valid_every: int,
    n_train: int,
    n_dev: int,
    device: torch.device,
) -> dict[str, Any]:
    stopped = state.stopped or "max_steps"
    log.info(
        "%s: best step %d of %d (%s), dev WA %.3f UA %.3f, %.1f s",
        name, state.best_step, state.step, stopped, state.best_dev.get("wa", 0.0),
        state.best_dev.get("ua", 0.0), state.seconds,
    )  # fmt: skip
    return {
        "model": name,
        "best_step": state.best_step,
        "steps": state.step,
        "stopped": stopped,
        "valid_every": valid_every,
        "selection": model.params.optim.selection,
        "dev_at_best": state.best_dev,
        "n_train": n_train,
        "n_dev": n_dev,
        "device": str(device),
        "rnn": train.rnn,
        "seed": train.seed,
    }


def _resume_path(
    cache_dir: Path, name: str, params: ModelParams, train: TrainParams, folder: Path
) -> Path:
    """The resume file of this exact run: model, params, seed/schedule, dataset files and the
    fingerprint of the code that trains this model (an edit of any module it imports, or of this
    model's own module, starts afresh)."""
    data = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())
    shared = {k: v for k, v in to_dict(train).items() if k not in ("device", "threads")}
    key = stable_hash(
        {
            "model": name,
            "params": to_dict(params),
            "train": shared,
            "data": data,
            "code": code_fingerprint(__name__, choice=model_choice(name)),
        }
    )
    return Path(cache_dir) / "train" / name / f"{key[:24]}.pt"


def _save_resume(
    path: Path,
    model: EmotionModel,
    optimizer: torch.optim.Optimizer,
    rng: np.random.Generator,
    state: TrainState,
) -> None:
    checkpoint.save(
        path,
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
            "numpy_rng": rng.bit_generator.state,
            "state": state.__dict__,
        },
    )


def _restore(
    path: Path, model: EmotionModel, optimizer: torch.optim.Optimizer, rng: np.random.Generator
) -> TrainState:
    """The state saved at ``path`` loaded into the model, optimiser and RNGs; a fresh state when
    there is none, or (with a warning, the file deleted) when it cannot be used."""
    if not path.exists():
        return TrainState()
    fresh = (
        copy.deepcopy(model.state_dict()),
        copy.deepcopy(optimizer.state_dict()),
        torch.get_rng_state(),
        rng.bit_generator.state,
    )
    try:
        saved = checkpoint.load(path)
        state = TrainState(**saved["state"])
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        torch.set_rng_state(saved["torch_rng"])
        if saved["cuda_rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(saved["cuda_rng"])
        rng.bit_generator.state = saved["numpy_rng"]
    except (MmserError, KeyError, TypeError, ValueError, RuntimeError) as exc:
        reason = exc.message if isinstance(exc, MmserError) else f"{type(exc).__name__}: {exc}"
        log.warning("discarding resume checkpoint %s: %s; training starts afresh", path, reason)
        model.load_state_dict(fresh[0])
        optimizer.load_state_dict(fresh[1])
        torch.set_rng_state(fresh[2])
        rng.bit_generator.state = fresh[3]
        path.unlink(missing_ok=True)
        return TrainState()
    log.info("resuming %s from step %d (%s)", model.name, state.step, path)
    return state
