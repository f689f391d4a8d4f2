"""Label schemes: which raw IEMOCAP labels are used and which class id each gets.

Each setting picks one (``settings.<setting>.labels``, :mod:`pipeline.settings`).

- ``4class`` (SLT 2018, R1): ang → 0, hap and exc merged → 1 (``hap``), sad → 2, neu → 3; the
  other labels are excluded. 5,531 utterances on the release.
- ``7class`` (ICASSP 2020, AMH): ang, exc, hap, sad, fru, sur, neu → 0..6 in the order of the
  AMH README's class table (the original code does not record the mapping). 7,487 utterances.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.registry import Registry


@dataclass(frozen=True)
class LabelScheme:
    """Classes in id order, and the raw label → class id mapping (unmapped = excluded)."""

    name: str
    classes: tuple[str, ...]
    mapping: dict[str, int]

    def class_id(self, raw_label: str) -> int | None:
        """The class id of a raw label, or ``None`` if the scheme excludes it."""
        return self.mapping.get(raw_label)

    @property
    def num_classes(self) -> int:
        return len(self.classes)


FOUR_CLASS = LabelScheme(
    name="4class",
    classes=("ang", "hap", "sad", "neu"),
    mapping={"ang": 0, "hap": 1, "exc": 1, "sad": 2, "neu": 3},
)
SEVEN_CLASS = LabelScheme(
    name="7class",
    classes=("ang", "exc", "hap", "sad", "fru", "sur", "neu"),
    mapping={"ang": 0, "exc": 1, "hap": 2, "sad": 3, "fru": 4, "sur": 5, "neu": 6},
)
SCHEMES: Registry[LabelScheme] = Registry(
    "label scheme",
    {"4class": "pipeline.labels:FOUR_CLASS", "7class": "pipeline.labels:SEVEN_CLASS"},
)
