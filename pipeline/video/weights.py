"""Which ResNet-101 weights the video features use (``video.weights``), and their provenance.

- ``imagenet``: torchvision's ``ResNet101_Weights.IMAGENET1K_V1`` (the classic ImageNet recipe;
  the original work predates V2), loaded through torchvision's standard path from the torch hub
  cache ``$TORCH_HOME/hub/checkpoints/resnet101-63fe2227.pth`` (``TORCH_HOME`` defaults to
  ``~/.cache/torch``). Nothing is downloaded: when the file is missing the error names the path
  and how to fill it.
- ``auto``: ``imagenet`` when that file loads, otherwise ``random`` with a loud warning that
  ``meta.json`` records (``random_weights: true``) for the results table.
- ``random``: ``torchvision.models.resnet101()`` initialised with seed 0 (deterministic).
- any other value: a path to a ``.pth`` state_dict of ``torchvision.models.resnet101`` (an ``fc``
  layer may be absent; a ``state_dict``/``model`` wrapper and ``module.`` prefixes are accepted).

The checksum of the weights actually used (SHA-256 of the file, or of the tensors for random
weights) is recorded and keys the feature cache.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import torch
import torchvision
from torch import nn
from torchvision.models import ResNet101_Weights

from pipeline.cache import file_digest
from pipeline.errors import MmserError

log = logging.getLogger(__name__)

IMAGENET = ResNet101_Weights.IMAGENET1K_V1
RANDOM_SEED = 0
FEATURE_DIM = 2048


@dataclass(frozen=True)
class WeightsInfo:
    """Provenance of the weights in use (written to ``meta.json``)."""

    requested: str
    source: Literal["imagenet", "file", "random"]
    file: str | None
    sha256: str
    published_checksum_ok: bool | None
    warning: str | None

    @property
    def random(self) -> bool:
        return self.source == "random"


def imagenet_file() -> Path:
    """Where torchvision looks for the ImageNet ResNet-101 weights (honours ``TORCH_HOME``)."""
    return Path(torch.hub.get_dir()) / "checkpoints" / Path(urlparse(IMAGENET.url).path).name


def _published_prefix() -> str:
    """The SHA-256 prefix torchvision puts in the file name (``resnet101-<prefix>.pth``)."""
    return Path(urlparse(IMAGENET.url).path).stem.rsplit("-", 1)[1]


def imagenet_hint() -> str:
    """How to provide the ImageNet weights (used in errors and warnings)."""
    return (
        f"download {IMAGENET.url} to {imagenet_file()} (on a machine with internet: python -c "
        f"\"import torchvision; torchvision.models.resnet101(weights='IMAGENET1K_V1')\" fills "
        "that cache; set TORCH_HOME to use another cache folder), or set video.weights to a .pth "
        "path"
    )


def _headless(model: nn.Module) -> nn.Module:
    model.fc = nn.Identity()  # the 2048-d global-average-pool output ("pool5")
    return model.eval()


def load_imagenet() -> tuple[nn.Module, WeightsInfo]:
    """ResNet-101 with ImageNet weights from the torch hub cache; never downloads."""
    path = imagenet_file()
    if not path.is_file():
        raise MmserError("ImageNet ResNet-101 weights not found", file=path, hint=imagenet_hint())
    try:
        model = torchvision.models.resnet101(weights=IMAGENET, progress=False)
    except (OSError, RuntimeError, EOFError, ValueError) as exc:
        raise MmserError(
            f"cannot load ImageNet ResNet-101 weights: {exc}", file=path, hint=imagenet_hint()
        ) from None
    sha = file_digest(path)
    ok = sha.startswith(_published_prefix())
    warning = None
    if not ok:
        warning = (
            f"{path} does not match the published checksum prefix {_published_prefix()}: "
            "these are not torchvision's official ImageNet weights"
        )
        log.warning(warning)
    return _headless(model), WeightsInfo("imagenet", "imagenet", str(path), sha, ok, warning)


def random_model(requested: str, reason: str | None = None) -> tuple[nn.Module, WeightsInfo]:
    """ResNet-101 with seeded random weights; the warning says why and what it means."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(RANDOM_SEED)
        model = torchvision.models.resnet101(weights=None)
    warning = (
        f"RANDOM WEIGHTS: video features come from a randomly initialised ResNet-101 "
        f"(seed {RANDOM_SEED}), not an ImageNet-trained one"
        + (f", because {reason}" if reason else " (video.weights: random)")
        + f"; for real features: {imagenet_hint()}"
    )
    info = WeightsInfo(requested, "random", None, _tensor_digest(model.state_dict()), None, warning)
    return _headless(model), info


def _tensor_digest(state: Mapping[str, torch.Tensor]) -> str:
    digest = hashlib.sha256()
    for name, tensor in state.items():
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def _unwrap(obj: Any, path: Path) -> dict[str, torch.Tensor]:
    for key in ("state_dict", "model"):
        if isinstance(obj, Mapping) and isinstance(obj.get(key), Mapping):
            obj = obj[key]
    if not isinstance(obj, Mapping) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise MmserError("not a ResNet-101 state_dict (expected a mapping of tensors)", file=path)
    return {k.removeprefix("module."): v for k, v in obj.items()}


def load_file(path: str | Path) -> tuple[nn.Module, WeightsInfo]:
    """ResNet-101 with a state_dict read from ``path`` (checked key by key)."""
    path = Path(path)
    if not path.is_file():
        raise MmserError(
            "weights file not found",
            file=path,
            hint="video.weights must be auto, imagenet, random or the path of a .pth state_dict",
        )
    try:
        state = _unwrap(torch.load(path, map_location="cpu", weights_only=True), path)
    except (OSError, RuntimeError, EOFError, ValueError) as exc:
        raise MmserError(f"cannot read weights: {exc}", file=path) from None
    model = torchvision.models.resnet101(weights=None)
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and not k.startswith("fc.")]
    unexpected = [k for k in state if k not in expected]
    wrong = [k for k in state if k in expected and state[k].shape != expected[k].shape]
    if missing or unexpected or wrong:
        raise MmserError(
            "state_dict does not fit torchvision resnet101: "
            f"{len(missing)} missing (e.g. {missing[:3]}), {len(unexpected)} unexpected "
            f"(e.g. {unexpected[:3]}), {len(wrong)} of another shape (e.g. {wrong[:3]})",
            file=path,
        )
    model.load_state_dict(state, strict=False)
    info = WeightsInfo(str(path), "file", str(path), file_digest(path), None, None)
    return _headless(model), info


def load_backbone(spec: str) -> tuple[nn.Module, WeightsInfo]:
    """Headless ResNet-101 (2048-d output) for a ``video.weights`` value, and its provenance."""
    if spec == "random":
        model, info = random_model(spec)
    elif spec == "imagenet":
        model, info = load_imagenet()
    elif spec == "auto":
        try:
            model, info = load_imagenet()
        except MmserError as exc:
            model, info = random_model(spec, reason=exc.message)
    else:
        model, info = load_file(spec)
    info = replace(info, requested=spec)
    if info.random:
        banner = "!" * 100
        log.warning("\n%s\n%s\n%s", banner, info.warning, banner)
    return model, info
