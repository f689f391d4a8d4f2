"""Plan the synthetic corpus: sessions, dialogs, turns, labels, texts, cues and annotations.

Planning is pure and seeded: :func:`plan_corpus` draws every random choice from
``corpus.synthetic.seed`` in a fixed order, so the same params give the same plan. Timing
(start/end inside the dialog) is not planned here: it follows from the synthesized speech and is
fixed when a dialog is rendered (:mod:`pipeline.corpus.synthetic.render`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from pipeline.corpus import layout
from pipeline.corpus.params import SyntheticParams
from pipeline.corpus.synthetic import sentences
from pipeline.corpus.synthetic.emotions import (
    ALL_LABELS,
    EMOTIONS,
    RARE_LABELS,
    SCHEME_LABELS,
    XXX_SOURCES,
    same_group,
)
from pipeline.corpus.synthetic.tts import Voice

UTTERANCES_PER_DIALOG = 12
MIN_DIALOGS_PER_SESSION = 3
MISSING_WAVS = 2  # listed utterances without a sentence wav (the parser must skip them)
FEMALE_VOICES = ("f1", "f2", "f3", "f4", "f5")  # espeak-ng variants, one actor per session
MALE_VOICES = ("m1", "m2", "m3", "m4", "m5")
EXTERNAL_EVALUATORS = ("E1", "E2", "E3", "E4")
COMMENTS = ("curious", "sarcastic", "a bit tired, polite", "note: mild", "loud", "hesitant")
VIDEO_DECOYS = (*SCHEME_LABELS, "fea", "dis")
# Dialogs with odd names come first in their session, so even a tiny corpus has them.
SPECIAL_DIALOGS = {
    3: ["Ses03M_impro05a", "Ses03F_script01_1", "Ses03M_impro05b"],
    5: ["Ses05F_impro01", "Ses05M_script01_1b", "Ses05M_impro01"],
}


@dataclass(frozen=True)
class Face:
    """How the speaking actor's half of the frame moves during one turn."""

    hue: float
    mouth_hz: float
    bob: float
    brow: float
    phase: float


@dataclass(frozen=True)
class Vote:
    """A categorical evaluation line (``C-E1:\\tAnger;\\t()``)."""

    evaluator: str
    categories: tuple[str, ...]
    comment: str = ""


@dataclass(frozen=True)
class Rating:
    """A dimensional evaluation line (``A-E3:\\tval 2; act 4; dom  4;\\t()``)."""

    evaluator: str
    valence: int
    activation: int
    dominance: int
    comment: str = ""


@dataclass(frozen=True)
class Turn:
    """One turn of a dialog: a listed (labelled) utterance, or an unlabelled ``XX`` backchannel.

    Attributes:
        turn_id: ``Ses01F_impro01_F000`` for a listed utterance, ``Ses01F_impro01_MXX0`` else.
        speaker: ``F`` or ``M``: which actor speaks.
        label: Raw label; ``""`` for a backchannel.
        transcript: The transcription text (may hold a colon, a ``[LAUGHTER]`` tag, accents).
        voice: How it is spoken.
        face: The speaking actor's visual cue; ``None`` for a backchannel (actor stays idle).
        votes, ratings: Evaluator lines (empty for a backchannel).
        has_wav: Whether ``sentences/wav`` holds its cut (two listed ones deliberately lack it).
        cues: Which label's cue each modality shows (``text``/``audio``/``video``); the text
            entry is ``group:<valence group>`` or ``common`` for a decoy sentence.
        pre_pad, post_pad: Seconds of the utterance span before/after the speech.
        gap: Seconds of silence after the span, before the next turn.
    """

    turn_id: str
    speaker: str
    label: str
    transcript: str
    voice: Voice
    face: Face | None
    votes: tuple[Vote, ...]
    ratings: tuple[Rating, ...]
    has_wav: bool
    cues: tuple[tuple[str, str], ...]
    pre_pad: float
    post_pad: float
    gap: float

    @property
    def listed(self) -> bool:
        """Whether the turn is an utterance of the EmoEvaluation file."""
        return self.label != ""

    @property
    def vad(self) -> tuple[float, float, float]:
        """Mean valence, activation, dominance of the external evaluators (as the release)."""
        external = [r for r in self.ratings if r.evaluator.startswith("E")]
        return tuple(  # type: ignore[return-value]
            round(float(np.mean([getattr(r, k) for r in external])), 4)
            for k in ("valence", "activation", "dominance")
        )


@dataclass(frozen=True)
class DialogPlan:
    """Everything needed to render one dialog's files."""

    dialog: str
    session: int
    turns: tuple[Turn, ...]
    speaker_only_lines: tuple[tuple[int, str], ...]  # (insert before transcription line i, text)
    lead_in: float
    seed: int
    apple_double: bool  # whether macOS ``._<file>`` companions sit beside its files

    @property
    def mode(self) -> str:
        return "script" if "_script" in self.dialog else "impro"


def session_sizes(total: int) -> list[int]:
    """Listed utterances per session: ``total`` split as evenly as possible."""
    base, extra = divmod(total, len(layout.SESSIONS))
    return [base + (1 if i < extra else 0) for i in range(len(layout.SESSIONS))]


def allocate_labels(total: int, rng: np.random.Generator) -> list[list[str]]:
    """Raw labels per session: every scheme label in every session, each rare label somewhere.

    The remaining slots follow the label weights (largest-remainder rounding), then each
    session's list is shuffled.
    """
    sizes = session_sizes(total)
    per_session: list[list[str]] = [list(SCHEME_LABELS) for _ in sizes]
    for index, label in enumerate(RARE_LABELS):
        per_session[index % len(sizes)].append(label)
    weights = np.array([EMOTIONS[label].weight for label in ALL_LABELS])
    weights = weights / weights.sum()
    for labels, size in zip(per_session, sizes, strict=True):
        free = size - len(labels)
        if free < 0:
            raise ValueError(f"a session of {size} utterances cannot hold every label")
        exact = weights * free
        counts = np.floor(exact).astype(int)
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[: free - counts.sum()]] += 1
        for label, count in zip(ALL_LABELS, counts, strict=True):
            labels.extend([label] * int(count))
        rng.shuffle(labels)
    return per_session


def dialog_names(session: int, count: int) -> list[str]:
    """``count`` dialog ids of a session in release style, odd names (a/b parts) first."""
    ss = f"Ses{session:02d}"
    scripts = ("01_1", "01_2", "01_3", "02_1", "02_2", "03_1", "03_2")
    regular = []
    for i in range(8):
        for first, second in (("F", "M"), ("M", "F")):
            if i < len(scripts):
                regular.append(f"{ss}{first}_impro{i + 1:02d}")
                regular.append(f"{ss}{second}_script{scripts[i]}")
            else:
                regular.append(f"{ss}{first}_impro{i + 1:02d}")
    special = SPECIAL_DIALOGS.get(session, [])
    names = special + [n for n in regular if n not in special and n != "Ses03M_impro05"]
    assert all(layout.is_dialog_name(n) for n in names)
    return names[: max(1, min(count, len(names)))]


def plan_corpus(params: SyntheticParams) -> list[DialogPlan]:
    """Plan every dialog of the corpus from ``params`` (deterministic in ``params.seed``)."""
    rng = np.random.default_rng(params.seed)
    labels_per_session = allocate_labels(params.utterances, rng)
    actors = {session: _actors(session, rng) for session in layout.SESSIONS}
    groups: list[tuple[int, str, list[str]]] = []  # (session, dialog, its labels)
    for session, labels in zip(layout.SESSIONS, labels_per_session, strict=True):
        count = max(MIN_DIALOGS_PER_SESSION, round(len(labels) / UTTERANCES_PER_DIALOG))
        names = dialog_names(session, count)
        groups += [(session, name, labels[i :: len(names)]) for i, name in enumerate(names)]
    flat = [(session, label) for session, _, labels in groups for label in labels]
    missing = _choose_missing(flat, rng)
    decorated = _choose_decorations(len(flat), missing, rng)
    dialogs: list[DialogPlan] = []
    position = 0  # index in ``flat`` of the dialog's first utterance
    for session, name, labels in groups:
        local = range(position, position + len(labels))
        dialogs.append(
            _plan_dialog(
                name, session, labels, actors[session], params, rng,
                missing={p - position for p in missing if p in local},
                decorated={p - position: form for p, form in decorated.items() if p in local},
                quirks=position == 0,
            )
        )  # fmt: skip
        position += len(labels)
    return dialogs


def _actors(session: int, rng: np.random.Generator) -> dict[str, tuple[str, int, float]]:
    """Per speaker: espeak variant, pitch offset and rate factor of the session's two actors."""
    return {
        "F": (FEMALE_VOICES[session - 1], int(rng.integers(-5, 6)), float(rng.uniform(0.93, 1.07))),
        "M": (MALE_VOICES[session - 1], int(rng.integers(-5, 6)), float(rng.uniform(0.93, 1.07))),
    }


def _choose_missing(flat: list[tuple[int, str]], rng: np.random.Generator) -> set[int]:
    """Positions of listed utterances that get no sentence wav, in different sessions.

    Only utterances whose label occurs at least twice in their session qualify, so every label
    stays usable in every session.
    """
    counts = Counter(flat)
    candidates = [(s, i) for i, (s, label) in enumerate(flat) if counts[(s, label)] >= 2]
    sessions = sorted({s for s, _ in candidates})
    chosen = set()
    for session in rng.choice(sessions, size=min(MISSING_WAVS, len(sessions)), replace=False):
        chosen.add(int(rng.choice([i for s, i in candidates if s == session])))
    return chosen


def _choose_decorations(total: int, missing: set[int], rng: np.random.Generator) -> dict[int, str]:
    """Positions of utterances with a sentence wav → a quirky transcript form (colon, tag...)."""
    wanted = (
        (sentences.COLON_FORMS, max(2, total // 100)),
        (sentences.TAG_FORMS, max(2, total // 100)),
        (sentences.ACCENT_FORMS, max(1, total // 200)),
    )
    positions = [int(p) for p in rng.permutation(total) if p not in missing]
    decorated: dict[int, str] = {}
    taken = 0
    for forms, count in wanted:
        for k in range(count):
            decorated[positions[taken]] = forms[k % len(forms)]
            taken += 1
    return decorated


def _plan_dialog(
    dialog: str,
    session: int,
    labels: list[str],
    actors: dict[str, tuple[str, int, float]],
    params: SyntheticParams,
    rng: np.random.Generator,
    *,
    missing: set[int],
    decorated: dict[int, str],
    quirks: bool,
) -> DialogPlan:
    """Turns of one dialog: alternating speakers, an optional ``XX`` backchannel, extra lines."""
    cat_evaluators = sorted(rng.choice(EXTERNAL_EVALUATORS, size=3, replace=False).tolist())
    attr_evaluators = sorted(rng.choice(cat_evaluators, size=2, replace=False).tolist())
    speaker = str(rng.choice(["F", "M"]))
    numbers = {"F": 0, "M": 0}
    turns: list[Turn] = []
    backchannel_at = int(rng.integers(1, len(labels) + 1)) if quirks or rng.random() < 0.35 else -1
    for index, label in enumerate(labels):
        if index == backchannel_at:
            listener = "M" if speaker == "F" else "F"
            turns.append(_backchannel(dialog, listener, actors[listener], rng))
        uid = layout.utterance_id(dialog, speaker, numbers[speaker])
        numbers[speaker] += 1
        turns.append(
            _plan_turn(
                uid, speaker, label, actors[speaker], params, rng,
                has_wav=index not in missing, decoration=decorated.get(index),
                cat_evaluators=cat_evaluators, attr_evaluators=attr_evaluators,
            )
        )  # fmt: skip
        if rng.random() < 0.8:
            speaker = "M" if speaker == "F" else "F"
    if backchannel_at == len(labels):
        listener = "M" if speaker == "F" else "F"
        turns.append(_backchannel(dialog, listener, actors[listener], rng))
    extra_lines: list[tuple[int, str]] = []
    if quirks or rng.random() < 0.3:
        line = sentences.SPEAKER_ONLY_LINES[int(rng.integers(len(sentences.SPEAKER_ONLY_LINES)))]
        extra_lines.append((int(rng.integers(0, len(turns) + 1)), line))
    return DialogPlan(
        dialog=dialog,
        session=session,
        turns=tuple(turns),
        speaker_only_lines=tuple(extra_lines),
        lead_in=round(float(rng.uniform(1.0, 3.0)), 3),
        seed=int(rng.integers(2**31)),
        apple_double=quirks or rng.random() < 0.15,
    )


def _cue_labels(label: str, params: SyntheticParams, rng: np.random.Generator) -> dict[str, str]:
    """Which label's cue the text, audio and video of an utterance show (see module docs)."""
    sources = {m: label for m in ("t", "a", "v")}
    if label == "xxx":  # no agreement: each modality borrows a random label's cue
        sources = {m: str(rng.choice(XXX_SOURCES)) for m in sources}
    text = sources["t"]
    if rng.random() >= params.text_cue or not sentences.LABEL_SENTENCES[text]:
        text = f"group:{EMOTIONS[text].valence_group}" if rng.random() < 0.5 else "common"
    audio = sources["a"]
    if rng.random() >= params.audio_cue and same_group(audio, "arousal_group"):
        audio = str(rng.choice(same_group(audio, "arousal_group")))
    video = sources["v"]
    if rng.random() >= params.video_cue:
        video = str(rng.choice([x for x in VIDEO_DECOYS if x != video]))
    return {"text": text, "audio": audio, "video": video}


def _sentence(text_cue: str, rng: np.random.Generator) -> str:
    """A sentence of the pool named by ``text_cue`` (a label, ``group:<group>`` or ``common``)."""
    if text_cue == "common":
        pool = sentences.COMMON_SENTENCES
    elif text_cue.startswith("group:"):
        pool = sentences.GROUP_SENTENCES[text_cue.removeprefix("group:")]
    else:
        pool = sentences.LABEL_SENTENCES[text_cue]
    return pool[int(rng.integers(len(pool)))]


def _plan_turn(
    uid: str,
    speaker: str,
    label: str,
    actor: tuple[str, int, float],
    params: SyntheticParams,
    rng: np.random.Generator,
    *,
    has_wav: bool,
    decoration: str | None,
    cat_evaluators: list[str],
    attr_evaluators: list[str],
) -> Turn:
    cues = _cue_labels(label, params, rng)
    text = _sentence(cues["text"], rng)
    if decoration is not None:
        text = decoration.format(text)
    return Turn(
        turn_id=uid,
        speaker=speaker,
        label=label,
        transcript=text,
        voice=_voice(cues["audio"], actor, rng),
        face=_face(cues["video"], rng),
        votes=_votes(label, speaker, cat_evaluators, rng),
        ratings=_ratings(label, speaker, attr_evaluators, rng),
        has_wav=has_wav,
        cues=tuple(cues.items()),
        **_pads(rng),
    )


def _backchannel(
    dialog: str, speaker: str, actor: tuple[str, int, float], rng: np.random.Generator
) -> Turn:
    """An ``XX`` turn: a short neutral reply with no label, no evaluation and no sentence wav."""
    return Turn(
        turn_id=f"{dialog}_{speaker}XX0",
        speaker=speaker,
        label="",
        transcript=sentences.BACKCHANNELS[int(rng.integers(len(sentences.BACKCHANNELS)))],
        voice=_voice("neu", actor, rng),
        face=None,
        votes=(),
        ratings=(),
        has_wav=False,
        cues=(),
        **_pads(rng),
    )


def _pads(rng: np.random.Generator) -> dict[str, float]:
    return {
        "pre_pad": round(float(rng.uniform(0.05, 0.25)), 3),
        "post_pad": round(float(rng.uniform(0.10, 0.30)), 3),
        "gap": round(float(rng.uniform(0.10, 0.60)), 3),
    }


def _voice(style_label: str, actor: tuple[str, int, float], rng: np.random.Generator) -> Voice:
    """espeak-ng settings: the label's prosody, the actor's voice, per-utterance jitter."""
    variant, pitch_offset, rate_factor = actor
    style = EMOTIONS[style_label]
    return Voice(
        name=f"en-us+{variant}",
        pitch=int(np.clip(style.pitch + pitch_offset + rng.normal(0, 4), 0, 100)),
        pitch_range=int(np.clip(style.pitch_range + rng.normal(0, 6), 0, 100)),
        rate=int(np.clip(style.rate * rate_factor + rng.normal(0, 10), 90, 300)),
        volume=int(np.clip(style.volume + rng.normal(0, 8), 40, 170)),
    )


def _face(style_label: str, rng: np.random.Generator) -> Face:
    """The speaking actor's visual cue: the label's colour and motion, with jitter."""
    style = EMOTIONS[style_label]
    return Face(
        hue=round(float((style.hue + rng.normal(0, 10)) % 360), 2),
        mouth_hz=round(float(style.mouth_hz * rng.uniform(0.85, 1.15)), 3),
        bob=round(float(style.bob * rng.uniform(0.8, 1.2)), 2),
        brow=round(float(np.clip(style.brow + rng.normal(0, 0.15), -1, 1)), 2),
        phase=round(float(rng.uniform(0, 2 * np.pi)), 3),
    )


def _comment(rng: np.random.Generator, probability: float = 0.15) -> str:
    return str(rng.choice(COMMENTS)) if rng.random() < probability else ""


def _votes(
    label: str, speaker: str, evaluators: list[str], rng: np.random.Generator
) -> tuple[Vote, ...]:
    """Categorical votes whose majority is ``label`` (``xxx``: three different categories)."""
    if label == "xxx":
        picks = rng.choice(SCHEME_LABELS, size=len(evaluators), replace=False)
        firsts = [EMOTIONS[str(p)].category for p in picks]
    else:
        own = EMOTIONS[label].category
        firsts = [own] * len(evaluators)
        if rng.random() < 0.4:  # one evaluator disagrees; the majority still holds
            firsts[int(rng.integers(len(firsts)))] = _other_category(label, rng)
    votes = []
    for evaluator, first in zip(evaluators, firsts, strict=True):
        categories: tuple[str, ...] = (first,)
        if rng.random() < 0.1:
            categories += (_other_category(label, rng, exclude=first),)
        votes.append(Vote(evaluator, categories, _comment(rng)))
    self_category = EMOTIONS[label].category or EMOTIONS["neu"].category
    if rng.random() < 0.3:
        self_category = _other_category(label, rng)
    votes.append(Vote(f"{speaker}1", (self_category,), _comment(rng)))
    return tuple(votes)


def _other_category(label: str, rng: np.random.Generator, exclude: str = "") -> str:
    options = [
        EMOTIONS[x].category
        for x in (*SCHEME_LABELS, "fea", "dis", "oth")
        if x != label and EMOTIONS[x].category != exclude
    ]
    return str(rng.choice(options))


def _ratings(
    label: str, speaker: str, evaluators: list[str], rng: np.random.Generator
) -> tuple[Rating, ...]:
    """Integer 1-5 ratings around the label's mean valence, activation and dominance."""
    mean = EMOTIONS[label].vad
    ratings = []
    for evaluator in [*evaluators, f"{speaker}1"]:
        v, a, d = (int(np.clip(round(m + rng.normal(0, 0.6)), 1, 5)) for m in mean)
        ratings.append(Rating(evaluator, v, a, d, _comment(rng, 0.1)))
    return tuple(ratings)
