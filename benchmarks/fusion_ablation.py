"""Which modality does each trained model rely on? Per-fold training with test-time ablations.

Two steps, outside DVC so that variants can be compared quickly on fixed per-fold datasets:

``build`` writes one dataset folder per fold (``<out>/fold<K>/{r1,amh}``), the same arrays the
``split@<setting>-<K>`` and ``dataset@<setting>-<K>`` stages write for ``--protocol`` (params.yaml
supplies everything else)::

    python -m benchmarks.fusion_ablation build --setting r1 --protocol loso --out /tmp/folds

``run`` trains one model on one fold with the params of params.yaml plus ``--set`` overrides
(``models.mdrea.attention_mask=false``, ``train.min_steps=400`` ...), evaluates it on test, then
again with each modality the model reads shuffled across the test utterances (audio = frames,
their lengths and prosody; text = tokens; video = frames and lengths; 5 permutations averaged):
a model that uses a modality loses accuracy when it is shuffled. One JSON line per run is
appended to ``--results``::

    python -m benchmarks.fusion_ablation run --folds /tmp/folds --fold 1 --model mdrea \\
        --variant unmasked --set models.mdrea.attention_mask=false
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml

from models.checkpoint import load_model
from models.data import Partition, dataset_folder, load_partition
from models.evaluate import predict, score
from models.params import TrainParams
from models.train import train_model
from models.zoo import MODELS
from pipeline import paths
from pipeline.audio.params import AudioParams
from pipeline.datasets import build_datasets, dataset_options
from pipeline.io import write_csv
from pipeline.manifest import read_manifest
from pipeline.params import from_dict, load_params, load_section
from pipeline.settings import LAYOUTS, SETTINGS, SettingsParams
from pipeline.splits import SplitParams, SplitRow, make_split
from pipeline.text.params import TextParams
from pipeline.video.params import VideoParams

RESULTS = Path(__file__).parent / "results" / "fusion_ablation.jsonl"
PROTOCOLS = ("original", "loso", "random")
GROUPS = {  # arrays shuffled together when a modality is ablated
    "audio": ("audio", "audio_len", "prosody"),
    "text": ("text",),
    "video": ("video", "video_len"),
}
PERMUTATIONS = 5


def _set(tree: dict[str, Any], dotted: str, raw: str) -> None:
    *parents, leaf = dotted.split(".")
    for key in parents:
        tree = tree.setdefault(key, {})
    tree[leaf] = yaml.safe_load(raw)


def build(setting: str, protocol: str, folds: list[int], out: Path, overrides: list[str]) -> None:
    """Write ``out/fold<K>/{r1,amh}`` (+ split.csv) of ``setting`` for each fold."""
    params = load_params()
    for item in overrides:
        key, raw = item.split("=", 1)
        _set(params, key, raw)
    scheme = load_section(SettingsParams, "settings", params).scheme(setting)
    split = from_dict(SplitParams, dict(params["split"], protocol=protocol), "split")
    options = dataset_options(
        load_section(AudioParams, "audio", params),
        load_section(VideoParams, "video", params),
        load_section(TextParams, "text", params),
    )
    manifest = read_manifest(paths.MANIFEST)
    for fold in folds:
        rows = make_split(manifest, scheme, split, fold)
        target = out / f"fold{fold}"
        write_csv(target / "split.csv", (asdict(r) for r in rows), SplitRow.__dataclass_fields__)
        report = build_datasets(
            target / "split.csv", scheme, target, paths.FEATURES, options, layouts=LAYOUTS[setting]
        )
        sizes = {p: report["partitions"][p]["total"] for p in ("train", "dev", "test")}
        print(f"fold {fold}: {sizes}")


def shuffled(part: Partition, roles: tuple[str, ...], seed: int) -> Partition:
    """``part`` with the arrays of ``roles`` permuted across rows (labels untouched)."""
    perm = np.random.default_rng(seed).permutation(len(part))
    arrays = dict(part.arrays)
    for role in roles:
        if role in arrays:
            arrays[role] = np.asarray(arrays[role])[perm]
    return Partition(part.ids, arrays)


def ablations(model_path: Path, datasets: Path) -> dict[str, Any]:
    """Test WA as trained, and with each modality the model reads shuffled."""
    device = torch.device("cpu")
    model, _ = load_model(model_path, device)
    part = load_partition(dataset_folder(datasets, model.family), "test", model.roles)
    kind, classes = model.params.optim.loss, model.info.classes

    def wa(p: Partition) -> float:
        return score(predict(model, p, device), p.labels, kind, classes)["wa"]

    result: dict[str, Any] = {"test_wa": wa(part), "n_test": len(part)}
    for modality, roles in GROUPS.items():
        if roles[0] in model.roles:
            scores = [wa(shuffled(part, roles, seed)) for seed in range(PERMUTATIONS)]
            result[f"shuffled_{modality}"] = float(np.mean(scores))
    return result


def run(
    folds: Path,
    fold: int,
    name: str,
    variant: str,
    overrides: list[str],
    out: Path,
    keep: Path | None = None,
) -> dict:
    params = load_params()
    for item in overrides:
        key, raw = item.split("=", 1)
        _set(params, key, raw)
    cls = MODELS.get(name)
    model_params = from_dict(cls.params_type, params["models"][name], f"models.{name}")
    train = from_dict(TrainParams, params["train"], "train")
    datasets = folds / f"fold{fold}"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        trained = train_model(
            name, model_params, train, datasets, work / "model", work / "results", work / "cache",
            progress=False,
        )  # fmt: skip
        record = {
            "fold": fold,
            "model": name,
            "variant": variant,
            "overrides": overrides,
            "best_step": trained["best_step"],
            "steps": trained["steps"],
            "dev_wa": trained["dev_at_best"].get("wa"),
            **ablations(work / "model" / "model.pt", datasets),
            "seconds": round(time.perf_counter() - started, 1),
        }
        if keep is not None:
            target = keep / f"fold{fold}" / f"{name}_{variant}"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(work / "model" / "model.pt", target / "model.pt")
            shutil.copy(work / "results" / "train_log.csv", target / "train_log.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    print(json.dumps(record))
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--setting", choices=SETTINGS, default="r1")
    b.add_argument("--protocol", choices=PROTOCOLS, default="loso")
    b.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--set", action="append", default=[])
    r = sub.add_parser("run")
    r.add_argument("--folds", type=Path, required=True)
    r.add_argument("--fold", type=int, required=True)
    r.add_argument("--model", required=True)
    r.add_argument("--variant", default="default")
    r.add_argument("--set", action="append", default=[])
    r.add_argument("--results", type=Path, default=RESULTS)
    r.add_argument("--keep", type=Path, help="copy model.pt and train_log.csv under this folder")
    args = parser.parse_args()
    if args.command == "build":
        build(args.setting, args.protocol, args.folds, args.out, args.set)
    else:
        run(args.folds, args.fold, args.model, args.variant, args.set, args.results, args.keep)


if __name__ == "__main__":
    main()
