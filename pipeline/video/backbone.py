"""Batched ResNet-101 inference: uint8 RGB crops in, 2048-d float32 features out.

Normalisation happens on the device (ImageNet mean/std); an ``[B, H, W, 3]`` uint8 batch viewed
as ``[B, 3, H, W]`` is already channels-last, which is the fastest layout for convolutions on
CPU and on CUDA. Inference runs under ``torch.inference_mode()`` in float32.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from pipeline.errors import MmserError
from pipeline.parallel import resolve_workers

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def resolve_device(preference: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without a GPU is an error."""
    if preference == "cuda" and not torch.cuda.is_available():
        raise MmserError(
            "video.device is cuda but torch sees no CUDA device", hint="set video.device: auto"
        )
    if preference == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda")


class FeatureExtractor:
    """Runs a headless ResNet-101 over batches of crops on one device.

    Args:
        model: The headless network returning ``[B, 2048]`` (see ``weights.load_backbone``).
        device: Where to run it.
        batch_size: Images per forward pass.
    """

    def __init__(self, model: nn.Module, device: torch.device, batch_size: int) -> None:
        self.device = device
        self.batch_size = batch_size
        if device.type == "cpu":
            torch.set_num_threads(resolve_workers(0))
        else:
            torch.backends.cudnn.benchmark = True
        self.model = model.eval().to(device=device, memory_format=torch.channels_last)
        shape = (1, 3, 1, 1)
        self.mean = torch.tensor(IMAGENET_MEAN, device=device).view(shape) * 255.0
        self.std = torch.tensor(IMAGENET_STD, device=device).view(shape) * 255.0

    def normalise(self, crops: np.ndarray) -> torch.Tensor:
        """``[B, H, W, 3]`` uint8 RGB → normalised ``[B, 3, H, W]`` float32 (channels-last)."""
        batch = torch.from_numpy(crops).to(self.device, non_blocking=True)
        batch = batch.permute(0, 3, 1, 2).float()
        return ((batch - self.mean) / self.std).contiguous(memory_format=torch.channels_last)

    def __call__(self, crops: np.ndarray) -> np.ndarray:
        """Features ``[B, 2048]`` float32 for ``[B, H, W, 3]`` uint8 RGB crops."""
        out = []
        with torch.inference_mode():
            for begin in range(0, len(crops), self.batch_size):
                chunk = self.normalise(crops[begin : begin + self.batch_size])
                out.append(self.model(chunk).float().cpu().numpy())
        if not out:
            return np.empty((0, 2048), np.float32)
        return np.concatenate(out)
