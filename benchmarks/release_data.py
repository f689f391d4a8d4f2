"""Release-sized inputs without the release: a text-only corpus and fabricated feature arrays.

For measuring the stages whose memory grows with the number of utterances at the release's
full size (10,039 utterances) without generating 12 hours of speech and video:

- :func:`write_text_release`: the synthetic corpus's label, evaluator and transcription files
  (the generator's own planner and writers) with utterance lengths drawn like the release's
  (mean ~4.5 s) instead of synthesized speech, and EMPTY sentence wavs, dialog wavs and avis
  (the manifest only checks that they exist). Enough for ``manifest``, ``split`` and ``text``.
- :func:`fabricate_features`: ``data/features/audio`` and ``data/features/video`` with the
  stages' array files, shapes, dtypes, lengths, ``index.csv`` and an empty ``failed.csv``,
  written row by row (valid frames only: like the stages' outputs the files are sparse). The
  values are seeded noise with a per-speaker offset; ``meta.json`` says ``fabricated``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.audio.features import AMH_DIM, AMH_FRAMES, MFCC_DIM, MFCC_FRAMES, PROSODY_DIM
from pipeline.corpus import layout
from pipeline.corpus.params import SyntheticParams
from pipeline.corpus.synthetic.plan import plan_corpus
from pipeline.corpus.synthetic.render import write_text_files
from pipeline.corpus.synthetic.timeline import place_turns
from pipeline.corpus.synthetic.tts import SAMPLE_RATE
from pipeline.failures import write_failures
from pipeline.io import NpyStreamWriter, save_npy, write_csv, write_json
from pipeline.manifest import Utterance
from pipeline.video.params import VideoParams

RELEASE_UTTERANCES = 10_039
RELEASE_AUDIO_SECONDS = 12 * 3600  # "about 12 hours"
RELEASE_SETTING_ROWS = {"r1": 5_531, "r2": 7_487}  # 4-class and 7-class utterances
# Utterance lengths like the release's (0.6-34 s, mean ~4.5 s): log-normal seconds.
LOG_MEAN, LOG_SIGMA, MIN_SECONDS = math.log(3.7), 0.65, 0.6
VIDEO_DIM = 2048
CHUNK = 64  # rows per block of noise


def write_text_release(root: Path, utterances: int = RELEASE_UTTERANCES, seed: int = 2018) -> int:
    """Write the text files of a synthetic release with ``utterances`` listed utterances (and
    empty media files) at ``root``; return the number of dialogs."""
    params = SyntheticParams(seed=seed, utterances=utterances)
    rng = np.random.default_rng(seed)
    plans = plan_corpus(params)
    for plan in plans:
        seconds = np.maximum(rng.lognormal(LOG_MEAN, LOG_SIGMA, len(plan.turns)), MIN_SECONDS)
        lengths = [range(int(s * SAMPLE_RATE)) for s in seconds]  # place_turns reads len() only
        timed, _ = place_turns(plan, lengths)  # type: ignore[arg-type]
        write_text_files(plan, timed, root)
        files = [layout.dialog_wav_path(plan.dialog), layout.dialog_avi_path(plan.dialog)]
        files += [layout.sentence_wav_path(t.turn.turn_id) for t in timed if t.turn.has_wav]
        for relative in files:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
    return len(plans)


def _noise(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_normal((CHUNK, *shape), dtype=np.float32)


def _fill(
    path: Path,
    shape: tuple[int, ...],
    lengths: np.ndarray,
    offsets: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Rows of noise + a per-row offset, valid frames only (the rest stays zero)."""
    block = _noise(rng, shape[1:])
    with NpyStreamWriter(path, shape, np.float32) as out:
        for i, (length, offset) in enumerate(zip(lengths, offsets, strict=True)):
            row = block[i % CHUNK]
            out[i, : int(length)] = row[: int(length)] + offset


def fabricate_features(features: Path, utterances: Sequence[Utterance], seed: int = 0) -> None:
    """Write fabricated ``audio/`` and ``video/`` feature folders for ``utterances`` (manifest
    order) under ``features`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n = len(utterances)
    seconds = np.array([u.duration for u in utterances])
    frames = np.floor(seconds * 100).astype(np.int64)  # 10 ms hop
    speakers = sorted({u.actor for u in utterances})
    offsets = np.array([speakers.index(u.actor) for u in utterances], np.float32)
    audio, video = features / "audio", features / "video"
    seq_n, amh_seq_n = np.minimum(frames, MFCC_FRAMES), np.minimum(frames, AMH_FRAMES)
    _fill(audio / "mfcc.npy", (n, MFCC_FRAMES, MFCC_DIM), seq_n, offsets, rng)
    _fill(audio / "amh_audio.npy", (n, AMH_FRAMES, AMH_DIM), amh_seq_n, offsets, rng)
    prosody = rng.standard_normal((n, PROSODY_DIM), dtype=np.float32) + offsets[:, None]
    save_npy(audio / "prosody.npy", prosody)
    for name, array in (("seqN", seq_n), ("amh_seqN", amh_seq_n), ("frames", frames)):
        save_npy(audio / f"{name}.npy", array)
    video_params = VideoParams()
    video_seq_n = np.minimum(np.ceil(seconds * video_params.fps), video_params.max_frames)
    video_seq_n = video_seq_n.astype(np.int64)
    shape = (n, video_params.max_frames, VIDEO_DIM)
    _fill(video / "video.npy", shape, video_seq_n, offsets * 100, rng)
    save_npy(video / "video_seqN.npy", video_seq_n)
    for folder in (audio, video):
        rows = [{"utterance_id": u.utterance_id, "status": "ok"} for u in utterances]
        write_csv(folder / "index.csv", rows, ("utterance_id", "status"))
        write_failures(folder / "failed.csv", [])
        write_json(folder / "meta.json", {"fabricated": True, "backend": "fabricated"})
