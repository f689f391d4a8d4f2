"""The text files of a dialog, in the release's formats (label, evaluator and transcription files).

- ``EmoEvaluation/<dialog>.txt``: header line, blank line, then one block per listed utterance:
  ``[START - END]\\tID\\tLABEL\\t[V, A, D]``, categorical votes ``C-E2:\\tAnger;\\t()``, the
  actor's own vote ``C-F1``, dimensional ratings ``A-E3:\\tval 2; act 4; dom  4;\\t()``; V, A, D
  are the means of the external evaluators' ratings, as in the release.
- ``EmoEvaluation/{Categorical,Attribute,Self-evaluation}/``: one file per evaluator.
- ``transcriptions/<dialog>.txt``: ``ID [006.2901-008.2357]: text`` for every turn, including
  ``XX`` backchannels, plus a few speaker-only lines (``M: sorry.``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.corpus import layout
from pipeline.corpus.synthetic.plan import DialogPlan, Rating, Vote
from pipeline.corpus.synthetic.timeline import TimedTurn

# The Categorical files spell the neutral category out in full.
CATEGORICAL_WORDS = {"Neutral": "Neutral state"}


def _categories(vote: Vote, words: dict[str, str] | None = None) -> str:
    return " ".join(f"{(words or {}).get(c, c)};" for c in vote.categories)


def _attributes(rating: Rating) -> str:
    return f"val {rating.valence}; act {rating.activation}; dom  {rating.dominance};"


def emo_evaluation(timed: Sequence[TimedTurn]) -> str:
    """The top-level EmoEvaluation file of a dialog (listed utterances in time order)."""
    blocks = [layout.EMO_HEADER + "\n"]
    for item in timed:
        turn = item.turn
        if not turn.listed:
            continue
        v, a, d = turn.vad
        lines = [f"[{item.start_s:.4f} - {item.end_s:.4f}]\t{turn.turn_id}\t{turn.label}\t"
                 f"[{v:.4f}, {a:.4f}, {d:.4f}]"]  # fmt: skip
        lines += [f"C-{x.evaluator}:\t{_categories(x)}\t({x.comment})" for x in turn.votes]
        lines += [f"A-{x.evaluator}:\t{_attributes(x)}\t({x.comment})" for x in turn.ratings]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def evaluator_files(dialog: str, timed: Sequence[TimedTurn]) -> dict[str, str]:
    """Per-evaluator files, keyed by their path below ``EmoEvaluation/``.

    ``Categorical/<dialog>_e2_cat.txt`` (``<id> :Anger; ()``), ``Attribute/<dialog>_e3_atr.txt``
    (``<id> :val 2; act 4; dom  4; ()``) and ``Self-evaluation/<dialog>_self.txt`` (the actors'
    own category and ratings).
    """
    categorical, attribute, own = layout.EVALUATOR_SUBFOLDERS
    files: dict[str, list[str]] = {}
    for item in timed:
        turn = item.turn
        uid = turn.turn_id
        for vote in turn.votes:
            if vote.evaluator.startswith("E"):
                name = f"{categorical}/{dialog}_{vote.evaluator.lower()}_cat.txt"
                text = f"{uid} :{_categories(vote, CATEGORICAL_WORDS)} ({vote.comment})"
                files.setdefault(name, []).append(text)
        for rating in turn.ratings:
            if rating.evaluator.startswith("E"):
                name = f"{attribute}/{dialog}_{rating.evaluator.lower()}_atr.txt"
                text = f"{uid} :{_attributes(rating)} ({rating.comment})"
                files.setdefault(name, []).append(text)
        own_votes = [v for v in turn.votes if not v.evaluator.startswith("E")]
        own_ratings = [r for r in turn.ratings if not r.evaluator.startswith("E")]
        for vote, rating in zip(own_votes, own_ratings, strict=True):
            line = (f"{uid} :{vote.evaluator}: {_categories(vote, CATEGORICAL_WORDS)} "
                    f"{_attributes(rating)} ()")  # fmt: skip
            files.setdefault(f"{own}/{dialog}_self.txt", []).append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in sorted(files.items())}


def transcription(plan: DialogPlan, timed: Sequence[TimedTurn]) -> str:
    """The transcription file: every turn (listed or not) plus the speaker-only lines."""
    lines = [
        f"{t.turn.turn_id} [{t.start_s:08.4f}-{t.end_s:08.4f}]: {t.turn.transcript}" for t in timed
    ]
    for position, text in sorted(plan.speaker_only_lines, reverse=True):
        lines.insert(position, text)
    return "\n".join(lines) + "\n"
