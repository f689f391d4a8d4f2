"""The whole params.yaml as one typed value, and the checks run before every ``dvc repro``.

:class:`Params` is the one list of params sections: each field is a section, its type the
dataclass that reads it (the ``models`` and ``train`` ones included, from :mod:`models.params`,
which imports no torch); a section or key that is not a field here is refused as unknown, with
the closest known name. Each stage reads only its own sections, with
:func:`pipeline.params.load_section` and the section's dataclass, so that its code depends on
those modules alone; tests/core/test_config.py checks that every section read is one of these.

:func:`validate` is what the ``validate`` stage runs first on every ``dvc repro``: the whole file
(every key present, no unknown one, types, ranges, the rules that span sections) and what the
values point at (``corpus.root`` of the real release, ``glove.path``, a ``video.weights`` file).
All problems are reported at once, each as ``params.yaml:<line>: <dotted.key>: <what is wrong>``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.params import ModelsParams, TrainParams
from pipeline.asr.params import AsrParams
from pipeline.audio.params import AudioParams
from pipeline.cache import CacheParams
from pipeline.corpus import layout
from pipeline.corpus.params import CorpusParams
from pipeline.errors import MmserError
from pipeline.params import DEFAULT_PARAMS, InvalidValue, ParamsError, key_lines, load_file
from pipeline.report.checks import ReportParams
from pipeline.settings import SettingsParams
from pipeline.splits import SplitParams
from pipeline.text.params import GloveParams, TextParams
from pipeline.video.params import WEIGHT_KEYWORDS, VideoParams


@dataclass(frozen=True)
class Params:
    """Every section of params.yaml (see the comments there for what each key does)."""

    corpus: CorpusParams = field(default_factory=CorpusParams)
    settings: SettingsParams = field(default_factory=SettingsParams)
    split: SplitParams = field(default_factory=SplitParams)
    audio: AudioParams = field(default_factory=AudioParams)
    asr: AsrParams = field(default_factory=AsrParams)
    text: TextParams = field(default_factory=TextParams)
    glove: GloveParams = field(default_factory=GloveParams)
    video: VideoParams = field(default_factory=VideoParams)
    train: TrainParams = field(default_factory=TrainParams)
    models: ModelsParams = field(default_factory=ModelsParams)
    report: ReportParams = field(default_factory=ReportParams)
    cache: CacheParams = field(default_factory=CacheParams)

    def __post_init__(self) -> None:
        problems = list(self._encoder_limits())
        if problems:
            raise InvalidValue(*problems)

    def _encoder_limits(self) -> Iterator[tuple[str, str]]:
        """A model may not read more steps than the feature arrays hold."""
        limits = {
            "text": ("text.max_len", self.text.max_len),
            "video": ("video.max_frames", self.video.max_frames),
        }
        for model in dataclasses.fields(self.models):
            blocks = getattr(self.models, model.name)
            for role, (source, limit) in limits.items():
                size = getattr(getattr(blocks, role, None), "encoder_size", 0)
                if size > limit:
                    yield (
                        f"models.{model.name}.{role}.encoder_size",
                        f"{size} exceeds {source} ({limit}), the {role} steps stored per "
                        f"utterance: set it to at most {limit}",
                    )


def validate(path: str | Path = DEFAULT_PARAMS) -> Params:
    """The whole params file, checked: every key present and valid, and what it points at.

    Raises:
        ParamsError: listing every problem, each with its line and dotted key.
    """
    params = load_file(Params, path, strict=True)
    problems = list(_missing_inputs(params, path))
    if problems:
        raise ParamsError.combine(problems).located(key_lines(path))
    return params


def _missing_inputs(params: Params, path: str | Path) -> Iterator[ParamsError]:
    """Files and folders named by params that must exist before the pipeline starts."""
    if params.corpus.source == "iemocap":
        try:
            layout.release_root(params.corpus.root)
        except MmserError as exc:
            message = (
                f"{params.corpus.root!r}: {exc.message}; with corpus.source: iemocap it must be"
            )
            yield ParamsError(f"{message} {layout.RELEASE_CONTENT}", key="corpus.root", file=path)
    if params.glove.path is not None and not Path(params.glove.path).is_file():
        yield ParamsError(
            f"file not found: {params.glove.path!r} (a GloVe text file such as "
            "glove.840B.300d.txt, or null for glove.fallback)",
            key="glove.path",
            file=path,
        )
    weights = params.video.weights
    if weights not in WEIGHT_KEYWORDS and not Path(weights).is_file():
        yield ParamsError(
            f"{weights!r} is neither one of {', '.join(WEIGHT_KEYWORDS)} nor an existing .pth file",
            key="video.weights",
            file=path,
        )
