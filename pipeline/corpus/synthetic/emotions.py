"""What each raw IEMOCAP label looks, sounds and reads like in the synthetic corpus.

Every label gets a valence group (which text pool it shares), an arousal group (which prosody it
resembles), mean valence/activation/dominance ratings, the evaluators' category word, an espeak-ng
prosody style and a visual style. The groups are chosen so that the three modalities confuse
*different* labels: text confuses labels of one valence group, audio labels of one arousal group,
and video (one hue per label, spread so that labels that text and audio both confuse are far
apart on the colour wheel) labels only through decoys.
"""

from __future__ import annotations

from dataclasses import dataclass

# Labels every session must contain: the union of the 4-class and 7-class schemes.
SCHEME_LABELS = ("ang", "hap", "exc", "sad", "neu", "fru", "sur")
RARE_LABELS = ("fea", "dis", "oth", "xxx")
ALL_LABELS = SCHEME_LABELS + RARE_LABELS


@dataclass(frozen=True)
class Emotion:
    """The synthetic rendering of one raw label.

    Attributes:
        label: Raw IEMOCAP code (``ang`` ...).
        category: The evaluators' word for it (``Anger``); ``""`` for ``xxx`` (no agreement).
        valence_group: ``positive`` | ``negative`` | ``neutral`` (shared text pool).
        arousal_group: ``high`` | ``low`` (similar prosody).
        vad: Mean valence, activation, dominance on the 1-5 scale.
        pitch: espeak-ng base pitch (0-100, 50 = voice default).
        pitch_range: espeak-ng pitch range (0-100, 50 = default; 0 = monotone).
        rate: Speaking rate in words per minute.
        volume: espeak-ng amplitude (100 = default).
        hue: Face colour of the speaking actor, degrees on the colour wheel.
        mouth_hz: How often the mouth opens per second while speaking.
        bob: Head motion amplitude in pixels while speaking.
        brow: Eyebrow slant (-1 frowning … +1 raised).
        weight: Relative frequency beyond the per-session minimum.
    """

    label: str
    category: str
    valence_group: str
    arousal_group: str
    vad: tuple[float, float, float]
    pitch: int
    pitch_range: int
    rate: int
    volume: int
    hue: float
    mouth_hz: float
    bob: float
    brow: float
    weight: float


# One row per raw label; see :class:`Emotion` for the columns ("-": no category word).
TABLE = """\
label category    valence  arousal   V   A   D pitch range rate volume hue mouth_hz bob brow weight
ang   Anger       negative high    1.8 3.9 3.9    62    75  205    140   0      5.5   9 -1.0   0.13
hap   Happiness   positive high    4.1 3.2 3.1    68    80  180    115  50      3.5   6  0.8   0.10
exc   Excited     positive high    4.0 3.8 3.3    76    90  215    130 205      6.5  11  1.0   0.12
sad   Sadness     negative low     1.9 2.2 2.0    28    20  125     70 105      1.5   1 -0.6   0.12
neu   Neutral     neutral  low     3.0 2.4 2.6    45    40  165     95 310      2.5   2  0.0   0.16
fru   Frustration negative low     2.0 3.0 3.0    40    35  150    110 255      3.0   4 -0.8   0.15
sur   Surprise    positive high    3.6 3.8 2.8    82    95  185    120 150      4.5   8  1.0   0.06
fea   Fear        negative high    1.8 3.7 1.8    78    60  225    100 180      7.0   5  0.5   0.02
dis   Disgust     negative low     1.6 3.0 3.4    34    30  140     95  80      2.0   3 -1.0   0.01
oth   Other       neutral  low     2.8 2.8 2.8    50    50  170    100  25      2.5   3  0.2   0.01
xxx   -           neutral  low     2.7 2.9 2.9    50    50  170    100 330      3.0   4  0.0   0.12
"""


def _parse_table(table: str) -> dict[str, Emotion]:
    emotions = {}
    for row in table.splitlines()[1:]:
        label, category, valence, arousal, *numbers = row.split()
        v, a, d, pitch, pitch_range, rate, volume, hue, mouth_hz, bob, brow, weight = map(
            float, numbers
        )
        emotions[label] = Emotion(
            label, "" if category == "-" else category, valence, arousal, (v, a, d),
            int(pitch), int(pitch_range), int(rate), int(volume), hue, mouth_hz, bob, brow, weight,
        )  # fmt: skip
    return emotions


EMOTIONS: dict[str, Emotion] = _parse_table(TABLE)

# Labels whose cues an utterance with ``xxx`` (no evaluator majority) borrows, one per modality.
XXX_SOURCES = SCHEME_LABELS


def same_group(label: str, attribute: str) -> tuple[str, ...]:
    """Other labels (not ``oth``/``xxx``) with the same ``valence_group`` or ``arousal_group``."""
    value = getattr(EMOTIONS[label], attribute)
    return tuple(
        other
        for other in ALL_LABELS
        if other not in (label, "xxx", "oth") and getattr(EMOTIONS[other], attribute) == value
    )
