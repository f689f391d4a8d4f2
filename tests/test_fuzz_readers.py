"""Damaged input files: each reader either reads them correctly or names them in an MmserError.

Seeded random damage — truncations, byte flips (half of them in the first bytes, where the
headers are), and files of another format — is applied to good files for the readers of user
input: the manifest parser (EmoEvaluation and transcription files), the wav reader, the avi
reader and the GloVe reader. Each damaged copy must either fail with a :class:`MmserError` whose
message names the file, or read "correctly": whatever the damage did not touch reads exactly as
the undamaged file, and shapes, rates and sizes are the original's. Any other exception (a raw
traceback) or a silently different value fails the test. The number of cases is bounded so that
the whole module runs in seconds.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.audio.signal import read_signal
from pipeline.corpus.iemocap import parse_corpus
from pipeline.errors import MmserError
from pipeline.text.glove import read_glove_file
from pipeline.video.decode import probe, read_frames
from tests.audio.wavs import harmonic_tone, write_wav
from tests.corpus.release_files import write_dialog
from tests.video.avi_files import index_frames, write_avi

SEED = 1618
CASES = 60  # damaged copies per file
HEADER_BYTES = 256  # half of the byte flips land here


@dataclass(frozen=True)
class Damage:
    """A damaged copy of a file and which original bytes it changed."""

    name: str
    data: bytes
    changed: frozenset[int] | None  # original byte offsets changed; None: everything may differ

    def touches(self, start: int, stop: int) -> bool:
        """Whether any byte in ``[start, stop)`` of the original was changed."""
        return self.changed is None or any(start <= k < stop for k in self.changed)


def damages(original: bytes, seed: int, other_formats: dict[str, bytes]) -> Iterator[Damage]:
    """``CASES`` seeded truncations and byte flips of ``original``, then the other formats."""
    rng = np.random.default_rng(seed)
    for case in range(CASES):
        if case % 3 == 0:
            cut = int(rng.integers(0, len(original)))
            yield Damage(
                f"truncated at {cut}", original[:cut], frozenset(range(cut, len(original)))
            )
            continue
        flips = int(rng.integers(1, 4))
        data = bytearray(original)
        positions = set()
        for _ in range(flips):
            limit = min(HEADER_BYTES, len(original)) if rng.random() < 0.5 else len(original)
            k = int(rng.integers(0, limit))
            data[k] ^= int(rng.integers(1, 256))
            positions.add(k)
        yield Damage(f"bytes {sorted(positions)} flipped", bytes(data), frozenset(positions))
    for name, data in other_formats.items():
        yield Damage(name, data, None)


OTHER_FORMATS = {
    "empty": b"",
    "zeros": bytes(4096),
    "random bytes": np.random.default_rng(SEED).integers(0, 256, 4096, np.uint8).tobytes(),
    "text": b"hello, this is not the format you are looking for\n" * 20,
}


def check(cases: Iterator[Damage], path: Path, read: Callable[[], Any], judge: Callable) -> None:
    """Write each damaged copy to ``path``, read it, and collect every wrong outcome."""
    problems = []
    for damage in cases:
        path.write_bytes(damage.data)
        try:
            value = read()
        except MmserError as exc:
            if str(path) not in str(exc):
                problems.append(f"{damage.name}: error does not name the file: {exc}")
            continue
        verdict = judge(value, damage)
        if verdict:
            problems.append(f"{damage.name}: read without error but {verdict}")
    assert not problems, "\n".join(problems)


def lines_touched(original: bytes, damage: Damage) -> set[int]:
    """0-based lines of ``original`` the damage changed (and the line after each: a damaged
    line break joins two lines)."""
    touched = set()
    start = 0
    for number, line in enumerate(original.splitlines(keepends=True)):
        if damage.touches(start, start + len(line)):
            touched.update({number, number + 1} if damage.changed is not None else {number})
        start += len(line)
    return touched


# --- manifest parser: EmoEvaluation and transcription files ----------------------------------

DIALOG = "Ses01F_impro01"
TURNS = [
    ("Ses01F_impro01_F000", 6.2901, 8.2357, "neu", "Excuse me."),
    ("Ses01F_impro01_M000", 8.5, 10.25, "ang", "Listen: I said no."),
    ("Ses01F_impro01_F001", 10.5, 12.0, "sad", "Café au lait, s'il vous plaît."),
    ("Ses01F_impro01_M001", 12.5, 14.0, "hap", "Naïve? Über-cool!"),
    ("Ses01F_impro01_F002", 14.5, 16.0, "fru", "No… [LAUGHTER] fine."),
]
OTHER = [("Ses02M_script01_1_F000", 1.0, 2.0, "exc", "Great, déjà vu.")]


@pytest.fixture
def release(tmp_path: Path) -> Path:
    root = tmp_path / "release"
    write_dialog(root, DIALOG, TURNS)
    write_dialog(root, "Ses02M_script01_1", OTHER)
    return root


@pytest.mark.parametrize("kind", ["EmoEvaluation", "transcriptions"])
def test_damaged_label_and_transcription_files(release: Path, kind: str) -> None:
    path = release / "Session1" / "dialog" / kind / f"{DIALOG}.txt"
    original = path.read_bytes()
    before = parse_corpus(release)
    good = {u.utterance_id: u for u in before.utterances}
    line_of = {
        uid: next(i for i, line in enumerate(original.splitlines()) if uid.encode() in line)
        for uid in good
        if uid.startswith(DIALOG)
    }

    def judge(after, damage: Damage) -> str | None:
        touched = lines_touched(original, damage)
        parsed = {u.utterance_id: u for u in after.utterances}
        for uid, u in good.items():
            if uid in line_of and line_of[uid] in touched:
                continue
            if parsed.get(uid) != u:
                return f"the untouched {uid} reads {parsed.get(uid)} instead of {u}"
        listed = set(parsed) | {s.utterance_id for s in after.skipped}
        if unexpected := listed - set(good) - _ids_in(damage.data):
            return f"utterances {unexpected} appear from nowhere"
        return None

    others = {"binary": bytes(range(256)) * 8, **OTHER_FORMATS}
    check(damages(original, SEED, others), path, lambda: parse_corpus(release), judge)


def _ids_in(data: bytes) -> set[str]:
    return {w.decode("latin-1") for w in data.replace(b"\t", b" ").split() if b"_" in w}


# --- wav reader ------------------------------------------------------------------------------


def test_damaged_wav_files(tmp_path: Path) -> None:
    tone = harmonic_tone(180.0, 0.25)
    good = write_wav(tmp_path / "good.wav", tone)
    original = good.read_bytes()
    data_start = original.index(b"data") + 8
    signal, info = read_signal(good)

    def judge(value, damage: Damage) -> str | None:
        got, got_info = value
        if got_info != info or got.shape != signal.shape:
            return f"reads as {got_info}, {got.shape} instead of {info}, {signal.shape}"
        changed_samples = {(k - data_start) // 2 for k in damage.changed or () if k >= data_start}
        differs = set(np.flatnonzero(got != signal).tolist())
        if differs - changed_samples:
            return f"samples {sorted(differs - changed_samples)[:5]} differ though untouched"
        return None

    avi = write_avi(tmp_path / "x.avi", index_frames(2), 5.0).read_bytes()
    others = {"an avi": avi, "text named .wav": b"RIFF\x10\x00\x00\x00WAVEtext", **OTHER_FORMATS}
    check(
        damages(original, SEED, others),
        tmp_path / "damaged.wav",
        lambda: read_signal(tmp_path / "damaged.wav"),
        judge,
    )


# --- avi reader ------------------------------------------------------------------------------


def _frame_chunks(avi: bytes) -> list[tuple[int, int]]:
    """Byte spans of the video frame chunks (``00dc``/``00db``) inside the ``movi`` list."""
    spans = []
    position = avi.index(b"movi") + 4
    while avi[position : position + 4] != b"idx1":
        size = int.from_bytes(avi[position + 4 : position + 8], "little")
        if avi[position : position + 4] in (b"00dc", b"00db"):
            spans.append((position, position + 8 + size))
        position += 8 + size + (size & 1)
    return spans


def test_damaged_avi_files(tmp_path: Path) -> None:
    good = write_avi(tmp_path / "good.avi", index_frames(8, 48, 64), 10.0)
    original = good.read_bytes()
    spans = _frame_chunks(original)
    info = probe(good)
    frames = [f for _, f in read_frames(good, range(info.n_frames))]
    assert len(spans) == len(frames) == 8

    def read(path: Path):
        got = probe(path)
        return got, [f for _, f in read_frames(path, range(got.n_frames))]

    def judge(value, damage: Damage) -> str | None:
        got_info, got_frames = value
        if got_info != info or len(got_frames) != len(frames):
            return f"reads as {got_info} with {len(got_frames)} frames instead of {info}"
        for i, (a, b) in enumerate(zip(got_frames, frames, strict=True)):
            if not damage.touches(*spans[i]) and not np.array_equal(a, b):
                return f"frame {i} differs though its chunk is untouched"
        return None

    wav = write_wav(tmp_path / "x.wav", harmonic_tone(100.0, 0.1)).read_bytes()
    damaged = tmp_path / "damaged.avi"
    check(
        damages(original, SEED, {"a wav": wav, **OTHER_FORMATS}),
        damaged,
        lambda: read(damaged),
        judge,
    )


# --- GloVe reader ----------------------------------------------------------------------------

GLOVE = [
    "the 0.418 0.24968 -0.41242",
    ", 0.013441 0.23682 -0.16899",
    "happy 0.5 -0.5 0.25",
    "café 0 0 2",
    "n't 1e-1 2E-1 -3.5",
    ". . . 9 9 9",
    "sad -0.1 0.7 0.33",
    "table 0.9 0.8 0.7",
]
WORDS = ["the", ",", "happy", "café", "n't", "sad", "table", "absent"]


@pytest.mark.parametrize("compressed", [False, True], ids=["text", "gz"])
def test_damaged_glove_files(tmp_path: Path, compressed: bool) -> None:
    text = ("\n".join(GLOVE) + "\n").encode()
    good = tmp_path / "good.txt"
    good.write_bytes(text)
    vectors = read_glove_file(good, WORDS)
    original = gzip.compress(text, mtime=0) if compressed else text

    def judge(value, damage: Damage) -> str | None:
        if value.dim != vectors.dim:
            return f"reads {value.dim}-d vectors instead of {vectors.dim}-d"
        # gzip checks a CRC of the whole text: what reads from a damaged .gz must be intact.
        touched = set() if compressed else lines_touched(text, damage)
        for number, line in enumerate(GLOVE):
            word = line.split(" ", 1)[0]
            if word in vectors.by_word and number not in touched:
                got = value.by_word.get(word)
                if got is None or got.tolist() != vectors.by_word[word].tolist():
                    return f"the untouched vector of {word!r} reads {got}"
        if extra := set(value.by_word) - set(WORDS):
            return f"words {extra} that were not asked for"
        return None

    damaged = tmp_path / "damaged.txt"
    archive = shutil.make_archive(str(tmp_path / "glove"), "zip", tmp_path, "good.txt")
    others = {"a zip": Path(archive).read_bytes(), **OTHER_FORMATS}
    check(damages(original, SEED, others), damaged, lambda: read_glove_file(damaged, WORDS), judge)
