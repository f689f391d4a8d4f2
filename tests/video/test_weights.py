"""The weights policy: imagenet / auto / random / file, their messages and provenance."""

import logging

import pytest
import torch
import torchvision

from pipeline.cache import file_digest
from pipeline.errors import MmserError
from pipeline.video.weights import imagenet_file, load_backbone


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    """An empty torch hub cache (TORCH_HOME) for this test."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return tmp_path / "torch"


@pytest.fixture(scope="module")
def full_state():
    """A random state_dict of the complete torchvision resnet101 (with its fc layer)."""
    torch.manual_seed(123)
    return torchvision.models.resnet101().state_dict()


def test_imagenet_file_lives_in_the_torch_hub_cache(torch_home):
    assert imagenet_file() == torch_home / "hub" / "checkpoints" / "resnet101-63fe2227.pth"


def test_imagenet_without_the_file_names_the_exact_path(torch_home):
    with pytest.raises(MmserError) as info:
        load_backbone("imagenet")
    expected = str(torch_home / "hub" / "checkpoints" / "resnet101-63fe2227.pth")
    assert info.value.file == expected
    assert "not found" in str(info.value)
    assert "https://download.pytorch.org/models/resnet101-63fe2227.pth" in str(info.value)


def test_auto_without_imagenet_falls_back_to_random_weights_loudly(torch_home, caplog):
    with caplog.at_level(logging.WARNING):
        model, info = load_backbone("auto")
    assert info.random and info.source == "random" and info.requested == "auto"
    assert "RANDOM WEIGHTS" in info.warning
    assert str(torch_home / "hub" / "checkpoints" / "resnet101-63fe2227.pth") in info.warning
    assert any("RANDOM WEIGHTS" in r.getMessage() for r in caplog.records)
    assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 2048)


def test_random_weights_are_seeded(torch_home):
    _, first = load_backbone("random")
    _, second = load_backbone("random")
    assert first.sha256 == second.sha256
    assert first.requested == "random" and first.warning.startswith("RANDOM WEIGHTS")


def test_a_state_dict_in_the_hub_cache_loads_through_torchvision(torch_home, full_state):
    path = imagenet_file()
    path.parent.mkdir(parents=True)
    torch.save(full_state, path)
    for spec in ("imagenet", "auto"):
        model, info = load_backbone(spec)
        assert (info.source, info.requested, info.random) == ("imagenet", spec, False)
        assert info.sha256 == file_digest(path)
        assert info.published_checksum_ok is False  # not the official file: flagged
        assert "not torchvision's official ImageNet weights" in info.warning
        torch.testing.assert_close(model.conv1.weight, full_state["conv1.weight"])
        assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 2048)


def test_a_state_dict_file_without_fc_and_with_module_prefixes_loads(tmp_path, full_state):
    path = tmp_path / "mine.pth"
    state = {f"module.{k}": v for k, v in full_state.items() if not k.startswith("fc.")}
    torch.save({"state_dict": state}, path)
    model, info = load_backbone(str(path))
    assert (info.source, info.file, info.sha256) == ("file", str(path), file_digest(path))
    torch.testing.assert_close(model.layer4[2].conv3.weight, full_state["layer4.2.conv3.weight"])


def test_a_foreign_state_dict_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "resnet18.pth"
    torch.save(torchvision.models.resnet18().state_dict(), path)
    with pytest.raises(MmserError, match="does not fit torchvision resnet101") as info:
        load_backbone(str(path))
    assert info.value.file == str(path)


def test_a_missing_weights_file_lists_the_choices(tmp_path):
    with pytest.raises(MmserError, match="auto, imagenet, random or the path"):
        load_backbone(str(tmp_path / "missing.pth"))
