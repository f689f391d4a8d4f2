"""The numbers the two papers reported, and which of them a run may be compared with.

A run is compared only with the paper of its own setting, and only when it uses that paper's
labels: R1 (SLT 2018) reported 4-class WA for its four models; R2 (ICASSP 2020, its README)
reported 7-class WA/UA for AMH and for the MDRE (A+T) baseline it re-ran on its seven classes,
first as precision, then revised to accuracy. A spread the paper did not give is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Stat = tuple[float, float | None]  # mean and the paper's ± (None: the paper gave none)


@dataclass(frozen=True)
class Paper:
    """One reported result: WA and UA and where they come from."""

    wa: Stat
    ua: Stat | None
    source: str


@dataclass(frozen=True)
class PaperTable:
    """What one paper reported, for the runs of the setting that follows it."""

    name: str
    scheme: str  # the label scheme of every number below
    accuracy: Mapping[str, Paper]
    precision: Mapping[str, Paper] = field(default_factory=dict)  # R2's first, precision table
    asr: Mapping[str, Paper] | None = None  # with ASR transcripts; None: not reported


_R1 = "SLT 2018, 4-class WA, 5 folds (recalled, unverified)"
_R1_ASR = "SLT 2018, 4-class WA with ASR text (recalled)"
PAPERS: dict[str, PaperTable] = {
    "r1": PaperTable(
        name="SLT 2018",
        scheme="4class",
        accuracy={
            "are": Paper((0.546, 0.009), None, _R1),
            "tre": Paper((0.635, 0.018), None, _R1),
            "mdre": Paper((0.718, 0.019), None, _R1),
            "mdrea": Paper((0.690, 0.011), None, _R1),
        },
        asr={  # the same table with Google ASR transcripts: single values, no spread
            "tre": Paper((0.593, None), None, _R1_ASR),
            "mdre": Paper((0.691, None), None, _R1_ASR),
            "mdrea": Paper((0.688, None), None, _R1_ASR),
        },
    ),
    "r2": PaperTable(
        name="ICASSP 2020",
        scheme="7class",
        accuracy={  # the README's "accuracy (revised)" table
            "amh": Paper((0.617, 0.016), (0.547, 0.025), "AMH README, 7-class accuracy (revised)"),
            "mdre": Paper((0.498, 0.059), (0.418, 0.077), "AMH README, 7-class MDRE (A+T)"),
        },
        precision={  # what the paper first published as accuracy
            "amh": Paper((0.624, 0.022), (0.597, 0.040), "AMH paper (precision)"),
            "mdre": Paper((0.557, 0.018), (0.536, 0.030), "AMH paper, MDRE (A+T) (precision)"),
        },
    ),
}


def paper_numbers(
    setting: str, model: str, scheme: str, text_source: str, reads_text: bool
) -> tuple[Paper | None, Paper | None, str]:
    """The paper's accuracy and precision figures comparable with a run, and a note.

    Args:
        setting: The run's setting (``r1``, ``r2``): only its own paper counts.
        model: The model name.
        scheme: The run's label scheme; a paper's numbers hold for its own scheme only.
        text_source: ``gold`` or ``asr``: ASR runs of text models need the paper's ASR numbers.
        reads_text: Whether the model reads text.
    """
    table = PAPERS[setting]
    if scheme != table.scheme:
        return None, None, f"{table.name} reported {table.scheme} only"
    numbers = table.accuracy
    if text_source == "asr" and reads_text:
        if table.asr is None:
            return None, None, f"{table.name} reported gold transcripts only"
        numbers = table.asr
    paper = numbers.get(model)
    if paper is None:
        return None, None, f"{table.name} reported no {model} result"
    return paper, table.precision.get(model), paper.source
