"""Cross-validation over all five folds as one command, aggregated as mean ± std.

::

    python -m models.crossval                       # leave-one-session-out, sessions 1..5
    python -m models.crossval --protocol original   # R1's five random utterance-level folds
    python -m models.crossval --set text.source=asr # any extra params, applied to every fold

For each fold it runs ``dvc exp run -S split.protocol=… -S split.test_session=K`` (an ordinary DVC
experiment: only ``split``, ``dataset``, training, evaluation and report rerun — features come
from the cache — and ``dvc exp show`` lists every fold), then archives the five models'
``metrics.json`` with the run's provenance under ``results/cv/<name>/fold<K>/``. At the end
params.yaml is restored (and ``dvc repro`` brings the workspace back to it, from DVC's run cache),
and ``results/cv/<name>/summary.{md,csv}`` aggregate the folds
(mean ± std per model; same table as ``results/summary.md``). ``dvc exp run`` needs the project
to be a git repository with at least one commit.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from models.report import ReportParams, run_context, write_summary
from models.zoo import MODELS
from pipeline import paths, stage
from pipeline.errors import MmserError
from pipeline.io import read_json, write_json
from pipeline.params import load_params, load_section

log = logging.getLogger(__name__)
FOLDS = (1, 2, 3, 4, 5)
FOLD_KEY = {"loso": "split.test_session", "original": "split.fold"}


def fold_command(protocol: str, fold: int, overrides: Sequence[str] = ()) -> list[str]:
    """The ``dvc exp run`` command of one fold."""
    sets = [f"split.protocol={protocol}", f"{FOLD_KEY[protocol]}={fold}", *overrides]
    return ["dvc", "exp", "run", *(arg for s in sets for arg in ("-S", s))]


def run_name(protocol: str, overrides: Sequence[str] = ()) -> str:
    """Folder name under ``results/cv``, e.g. ``loso`` or ``loso_text.source=asr``."""
    return "_".join([protocol, *overrides]).replace("/", "-")


def archive_fold(out: Path, context: dict[str, Any], models: Sequence[str]) -> None:
    """Copy each model's metrics.json and the run context into ``out``."""
    for name in models:
        target = out / name / "metrics.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.results_dir(name) / "metrics.json", target)
    write_json(out / "context.json", context)


def aggregate(
    cv_dir: Path, folds: Sequence[int], models: Sequence[str], params: ReportParams
) -> list[str]:
    """Write ``cv_dir/summary.{md,csv}`` over the archived folds; return the check messages."""
    dirs = [cv_dir / f"fold{k}" for k in folds]
    missing = [
        str(d / m / "metrics.json")
        for d in dirs
        for m in models
        if not (d / m / "metrics.json").exists()
    ]
    if missing:
        raise MmserError(f"missing fold results: {', '.join(missing[:3])}", file=cv_dir)
    runs = {m: [read_json(d / m / "metrics.json") for d in dirs] for m in models}
    context = read_json(dirs[0] / "context.json")
    protocols = sorted({read_json(d / "context.json")["protocol"] for d in dirs})
    context["protocol"] = f"{len(dirs)} folds: " + "; ".join(protocols)
    return write_summary(
        runs, context, params, cv_dir / "summary.md", cv_dir / "summary.csv",
        title=f"Cross-validation results ({cv_dir.name})",
    )  # fmt: skip


def crossval(
    protocol: str,
    folds: Sequence[int],
    overrides: Sequence[str],
    params_path: Path,
    execute: Callable[[list[str]], None],
    restore: bool = True,
) -> list[str]:
    """Run every fold through ``execute`` (a ``dvc exp run`` command), archive, aggregate.

    With ``restore`` the workspace is brought back to params.yaml's configuration afterwards
    (``dvc repro``, served from DVC's run cache when that configuration ran before).
    """
    original = params_path.read_text(encoding="utf-8")
    cv_dir = paths.CROSSVAL / run_name(protocol, overrides)
    try:
        for fold in folds:
            command = fold_command(protocol, fold, overrides)
            log.info("fold %d/%d: %s", fold, len(folds), " ".join(command))
            execute(command)
            archive_fold(cv_dir / f"fold{fold}", run_context(), list(MODELS))
    finally:
        params_path.write_text(original, encoding="utf-8")
    if restore:
        execute(["dvc", "repro"])  # back to params.yaml's own run (from DVC's run cache)
    report = load_section(ReportParams, "report", load_params(params_path))
    return aggregate(cv_dir, folds, list(MODELS), report)


def _execute(command: list[str]) -> None:
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise MmserError(f"`{' '.join(command)}` failed with exit code {result.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--protocol", choices=sorted(FOLD_KEY), default="loso")
    parser.add_argument("--folds", type=int, nargs="+", default=list(FOLDS))
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="extra params"
    )
    parser.add_argument("--params", type=Path, default=Path("params.yaml"))
    parser.add_argument("--no-restore", action="store_true", help="leave the last fold's outputs")
    args = parser.parse_args()
    checks = crossval(
        args.protocol, args.folds, args.set, args.params, _execute, not args.no_restore
    )
    print("\n".join(checks))
    print(f"summary: {paths.CROSSVAL / run_name(args.protocol, args.set) / 'summary.md'}")


if __name__ == "__main__":
    stage.run(main)
