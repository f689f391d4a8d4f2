"""The results table: one row per model, our numbers beside the papers', with provenance.

Each row gives test WA and UA (mean ± std over the runs given: several folds or seeds), R2's
precision-as-accuracy figures (weighted/macro precision, what the AMH paper published as
WA/UA), the features actually used (audio backend, text source and ASR backend, video weights —
random weights are flagged loudly), the split protocol and label scheme, and the papers' reported
numbers where the label scheme matches (R1's are 4-class, AMH's 7-class). A "checks" section
flags models that do not beat chance by ``report.min_wa_over_chance`` and multimodal models that
do not beat the best unimodal one.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.zoo import MODALITIES
from pipeline import paths
from pipeline.io import read_json, write_csv, write_text

MULTIMODAL = ("mdre", "mdrea", "amh")
UNIMODAL = ("are", "tre")


@dataclass(frozen=True)
class ReportParams:
    """``report:`` section of params.yaml."""

    min_wa_over_chance: float = 0.15


@dataclass(frozen=True)
class Paper:
    """A reported number: WA and UA (mean, std) and what they measure."""

    wa: tuple[float, float]
    ua: tuple[float, float] | None
    source: str


# R1's paper (4-class WA over 5 folds; recalled from arXiv 1810.04635, not checked against the PDF)
R1_PAPER = {
    "are": Paper((0.546, 0.009), None, "SLT 2018, 4-class WA, 5 folds (recalled, unverified)"),
    "tre": Paper((0.635, 0.018), None, "SLT 2018, 4-class WA, 5 folds (recalled, unverified)"),
    "mdre": Paper((0.718, 0.019), None, "SLT 2018, 4-class WA, 5 folds (recalled, unverified)"),
    "mdrea": Paper((0.690, 0.011), None, "SLT 2018, 4-class WA, 5 folds (recalled, unverified)"),
}
R1_PAPER_ASR = {  # the same table with Google ASR transcripts (single values)
    "tre": Paper((0.593, 0.0), None, "SLT 2018, 4-class WA with ASR text (recalled)"),
    "mdre": Paper((0.691, 0.0), None, "SLT 2018, 4-class WA with ASR text (recalled)"),
    "mdrea": Paper((0.688, 0.0), None, "SLT 2018, 4-class WA with ASR text (recalled)"),
}
# R2's README (7-class, "accuracy (revised)" table; the precision table beside it)
R2_PAPER = {
    "amh": Paper((0.617, 0.016), (0.547, 0.025), "AMH README, 7-class accuracy (revised)"),
    "mdre": Paper((0.498, 0.059), (0.418, 0.077), "AMH README, 7-class MDRE (A+T) baseline"),
}
R2_PAPER_PRECISION = {
    "amh": Paper((0.624, 0.022), (0.597, 0.040), "AMH paper (precision, published as accuracy)"),
    "mdre": Paper((0.557, 0.018), (0.536, 0.030), "AMH paper MDRE (A+T) baseline, precision"),
}


def paper_numbers(
    model: str, scheme: str, text_source: str
) -> tuple[Paper | None, Paper | None, str]:
    """The papers' accuracy and precision figures comparable with this run, and a note."""
    if scheme == "4class":
        paper = R1_PAPER_ASR.get(model) if text_source == "asr" else None
        paper = paper or R1_PAPER.get(model)
        if paper:
            return paper, None, paper.source
        return None, None, "paper numbers are 7-class (set labels.scheme: 7class)"
    if model in R2_PAPER:
        return R2_PAPER[model], R2_PAPER_PRECISION[model], R2_PAPER[model].source
    return None, None, "paper numbers are 4-class (set labels.scheme: 4class)"


def _get(meta: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    """The first of several possible (dotted) keys present in a meta.json."""
    for key in keys:
        node: Any = meta
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            return node
    return default


def _meta(path: Path) -> dict[str, Any]:
    return read_json(path) if path.exists() else {}


def run_context(
    features: Path = paths.FEATURES,
    split_report: Path = paths.SPLIT_REPORT,
    dataset_report: Path = paths.DATASETS_REPORT,
) -> dict[str, Any]:
    """What a run used, from the feature ``meta.json`` files and the split/dataset reports."""
    audio = _meta(features / "audio" / "meta.json")
    text = _meta(features / "text" / "meta.json")
    video = _meta(features / "video" / "meta.json")
    split = _meta(split_report)
    data = _meta(dataset_report)
    random_video = bool(_get(video, "random_weights", default=False))
    return {
        "scheme": split.get("scheme", data.get("scheme", "?")),
        "protocol": split.get("protocol", "?"),
        "audio": _get(audio, "backend", "params.backend", default="?"),
        "audio_normalize": data.get("audio_normalize", "?"),
        "text": _get(text, "source", default="?"),
        "asr_backend": _get(text, "asr_backend", default="") or "",
        "sentence_split": _get(text, "tokenizer.sentence_split.name", default="?"),
        "embedding": f"{_get(text, 'embedding.source', default='?')}"
        f" ({_get(text, 'embedding.dim', default='?')}-d)",
        "vocab_scope": data.get("vocab_scope", "?"),
        "video_weights": _get(video, "weights.source", default="?"),
        "random_video_weights": random_video,
        "excluded": _get(data, "excluded.total", default=0),
    }


def _stat(values: Sequence[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def _fmt(pair: tuple[float, float] | None, runs: int = 2) -> str:
    if pair is None:
        return "–"
    return f"{pair[0]:.3f} ± {pair[1]:.3f}" if runs > 1 else f"{pair[0]:.3f}"


def _chance(metrics: Mapping[str, Any]) -> float:
    """Chance WA on this test set: the larger of uniform guessing and the majority class."""
    support = [c["support"] for c in metrics["per_class"].values()]
    return max(1 / len(support), max(support) / max(sum(support), 1))


def summarize_runs(
    runs: Mapping[str, Sequence[Mapping[str, Any]]],
    context: Mapping[str, Any],
    params: ReportParams,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of the results table and the check messages.

    Args:
        runs: Model name → the ``metrics.json`` of each run (fold or seed) of that model.
        context: :func:`run_context` of the runs.
        params: Report thresholds.
    """
    rows, checks = [], []
    for model, metrics in runs.items():
        tests = [m["test"] for m in metrics]
        wa, ua = _stat([t["wa"] for t in tests]), _stat([t["ua"] for t in tests])
        accuracy, precision, note = paper_numbers(model, context["scheme"], context["text"])
        chance = statistics.fmean(_chance(t) for t in tests)
        n_test = sum(sum(c["support"] for c in t["per_class"].values()) for t in tests)
        flag = wa[0] < chance + params.min_wa_over_chance
        if flag:
            checks.append(
                f"FAIL {model}: test WA {wa[0]:.3f} is not above chance {chance:.3f} + "
                f"{params.min_wa_over_chance}"
            )
        rows.append({
            "model": model,
            "modalities": MODALITIES[model],
            "runs": len(tests),
            "wa": wa,
            "ua": ua,
            "precision_weighted": _stat([t["precision_weighted"] for t in tests]),
            "precision_macro": _stat([t["precision_macro"] for t in tests]),
            "chance_wa": chance,
            "ci95": 1.96 * math.sqrt(wa[0] * (1 - wa[0]) / max(n_test, 1)),
            "below_chance_margin": flag,
            "paper": accuracy,
            "paper_precision": precision,
            "paper_note": note,
        })  # fmt: skip
    if not checks:
        checks.append(f"ok: every model beats chance by {params.min_wa_over_chance}")
    checks += _multimodal_checks({r["model"]: (r["wa"][0], r["ci95"]) for r in rows})
    return rows, checks


def _multimodal_checks(wa: Mapping[str, tuple[float, float]]) -> list[str]:
    """Each multimodal model against the best unimodal one (WA and its 95 % half-width)."""
    unimodal = {m: wa[m][0] for m in UNIMODAL if m in wa}
    if not unimodal:
        return []
    best = max(unimodal, key=unimodal.get)
    out = []
    for model in (m for m in MULTIMODAL if m in wa):
        value, ci = wa[model]
        verdict = "ok" if value > unimodal[best] else "FAIL"
        relation = "beats" if verdict == "ok" else "does not beat"
        noise = f" (within the ±{ci:.3f} 95% interval of the test set)"
        out.append(
            f"{verdict} {model}: test WA {value:.3f} {relation} the best unimodal model "
            f"{best} ({unimodal[best]:.3f})" + (noise if abs(value - unimodal[best]) < ci else "")
        )
    return out


CONTEXT_COLUMNS = (
    "scheme", "protocol", "audio", "audio_normalize", "text", "asr_backend", "sentence_split",
    "embedding", "vocab_scope", "video_weights", "random_video_weights",
)  # fmt: skip
CSV_COLUMNS = (
    "model", "modalities", "runs", "wa_mean", "wa_std", "ua_mean", "ua_std",
    "precision_weighted_mean", "precision_macro_mean", "chance_wa", "below_chance_margin",
    "paper_wa", "paper_wa_std", "paper_ua", "paper_ua_std", "paper_precision_wa",
    "paper_precision_ua", "paper_note", *CONTEXT_COLUMNS,
)  # fmt: skip


def csv_rows(rows: Sequence[Mapping[str, Any]], context: Mapping[str, Any]) -> list[dict]:
    """Flat rows for ``summary.csv``."""
    out = []
    for r in rows:
        paper, precision = r["paper"], r["paper_precision"]
        out.append({
            "model": r["model"], "modalities": r["modalities"], "runs": r["runs"],
            "wa_mean": f"{r['wa'][0]:.4f}", "wa_std": f"{r['wa'][1]:.4f}",
            "ua_mean": f"{r['ua'][0]:.4f}", "ua_std": f"{r['ua'][1]:.4f}",
            "precision_weighted_mean": f"{r['precision_weighted'][0]:.4f}",
            "precision_macro_mean": f"{r['precision_macro'][0]:.4f}",
            "chance_wa": f"{r['chance_wa']:.4f}", "below_chance_margin": r["below_chance_margin"],
            "paper_wa": paper.wa[0] if paper else "", "paper_wa_std": paper.wa[1] if paper else "",
            "paper_ua": paper.ua[0] if paper and paper.ua else "",
            "paper_ua_std": paper.ua[1] if paper and paper.ua else "",
            "paper_precision_wa": precision.wa[0] if precision else "",
            "paper_precision_ua": precision.ua[0] if precision and precision.ua else "",
            "paper_note": r["paper_note"],
            **{k: context[k] for k in CONTEXT_COLUMNS},
        })  # fmt: skip
    return out


def markdown(
    rows: Sequence[Mapping[str, Any]], checks: Sequence[str], context: Mapping[str, Any], title: str
) -> str:
    """``summary.md``: provenance, the table, the checks and how to read them."""
    text = context["text"] + (f" (ASR: {context['asr_backend']})" if context["asr_backend"] else "")
    video = context["video_weights"]
    if context["random_video_weights"]:
        video = "**⚠ RANDOM ResNet-101 weights — video features carry no ImageNet knowledge**"
    lines = [
        f"# {title}",
        "",
        f"- split: {context['protocol']}; labels: {context['scheme']}",
        f"- audio: {context['audio']} (normalisation: {context['audio_normalize']}); "
        f"text: {text}, sentence split: {context['sentence_split']}, "
        f"embedding {context['embedding']}, vocabulary: {context['vocab_scope']}",
        f"- video weights: {video}",
        f"- utterances excluded as failed: {context['excluded']}",
        "",
        "| model | modalities | runs | test WA (95 % CI ±) | test UA | precision W / U (R2-style) "
        "| paper WA | paper UA | paper |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        paper, n = r["paper"], r["runs"]
        flag = " ⚠" if r["below_chance_margin"] else ""
        precision = f"{r['precision_weighted'][0]:.3f} / {r['precision_macro'][0]:.3f}"
        lines.append(
            f"| {r['model']}{flag} | {r['modalities']} | {n} | "
            f"{_fmt(r['wa'], n)} (±{r['ci95']:.2f}) | "
            f"{_fmt(r['ua'], n)} | {precision} | {_fmt(paper.wa if paper else None)} | "
            f"{_fmt(paper.ua if paper else None)} | {r['paper_note']} |"
        )
    lines += ["", "## Checks", "", *(f"- {c}" for c in checks), "", NOTES]
    return "\n".join(lines) + "\n"


NOTES = """## How to read this

- WA = overall accuracy on the test set; UA = mean per-class recall. R1 (SLT 2018) reported WA
  only. R2 (AMH) first published weighted/macro *precision* as WA/UA; its README's revised table
  is accuracy. We show accuracy-based WA/UA as the headline and the precision figures beside them.
- The papers' numbers come from the real IEMOCAP; on the synthetic corpus they are context only.
- ± is the standard deviation over the runs (folds or seeds) of a row; one run has none. The
  95 % interval is the binomial half-width 1.96·sqrt(WA(1−WA)/N) over all N test predictions of
  the row: on a 50-utterance test set it is about ±0.11, so compare models over the five
  cross-validation folds (`python -m models.crossval`), not on one small fold.
"""


def write_summary(
    runs: Mapping[str, Sequence[Mapping[str, Any]]],
    context: Mapping[str, Any],
    params: ReportParams,
    md_path: Path,
    csv_path: Path,
    title: str = "Results",
) -> list[str]:
    """Write ``summary.md`` and ``summary.csv``; return the check messages."""
    rows, checks = summarize_runs(runs, context, params)
    write_text(md_path, markdown(rows, checks, context, title))
    write_csv(csv_path, csv_rows(rows, context), CSV_COLUMNS)
    return checks
