"""Render a dialog's video: both actors side by side, the speaker's half carrying the emotion cue.

The frame is 720×480 like the release's DivX videos, the female actor on the left half and the
male actor on the right, as in the release. Each half shows a simple face in
its centre (inside the 224×224 centre crop that video features use). While an actor speaks a
listed utterance, their face takes the colour of the utterance's video cue, the mouth opens and
closes at the cue's rate, the head bobs with the cue's amplitude and the brows slant with its
valence; otherwise the face is grey, sways slowly and blinks (the idle pattern), whatever the
label. Written as XVID (MPEG-4 part 2, DivX-compatible) ``.avi`` with the frame rate stored in the
container.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from pipeline.corpus.synthetic.plan import Face
from pipeline.corpus.synthetic.timeline import TimedTurn, active_turns
from pipeline.corpus.synthetic.tts import SAMPLE_RATE
from pipeline.errors import MmserError

WIDTH, HEIGHT = 720, 480
HALF = WIDTH // 2
SIDE = {"F": 0, "M": 1}  # which half of the frame shows which actor
FOURCC = "XVID"
IDLE_COLOUR = (150, 160, 172)  # BGR, unsaturated
WALL = {"F": (92, 80, 70), "M": (70, 80, 92)}  # BGR, constant per actor


def face_colour(hue: float) -> tuple[int, int, int]:
    """BGR colour of a speaking face with ``hue`` in degrees."""
    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, 0.65, 0.9)
    return (round(b * 255), round(g * 255), round(r * 255))


def background() -> np.ndarray:
    """The static scene: each actor's wall colour, a table edge and a door frame."""
    frame = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    for speaker, side in SIDE.items():
        x0 = side * HALF
        frame[:, x0 : x0 + HALF] = WALL[speaker]
        cv2.rectangle(frame, (x0 + 20, 40), (x0 + 80, 300), (60, 60, 60), 3)
        frame[400:, x0 : x0 + HALF] = (40, 55, 75)
    cv2.line(frame, (HALF, 0), (HALF, HEIGHT), (30, 30, 30), 2)
    return frame


def draw_actor(
    frame: np.ndarray, side: int, t: float, face: Face | None, idle_phase: float
) -> None:
    """Draw one actor's face on its half of ``frame`` at time ``t`` (seconds)."""
    if face is None:
        colour, brow, mouth = IDLE_COLOUR, 0.0, 2
        dx, dy = 3 * math.sin(2 * math.pi * t / 4 + idle_phase), 0.0
        blink = (t + idle_phase) % 3.1 < 0.15
    else:
        colour, brow = face_colour(face.hue), face.brow
        mouth = 3 + round(16 * abs(math.sin(math.pi * face.mouth_hz * t + face.phase)))
        dx = 0.5 * face.bob * math.sin(2 * math.pi * 0.7 * t + face.phase)
        dy = face.bob * math.sin(2 * math.pi * 1.5 * t + face.phase)
        blink = False
    cx, cy = side * HALF + HALF // 2 + round(dx), 235 + round(dy)
    cv2.ellipse(frame, (cx, cy), (85, 110), 0, 0, 360, colour, -1, cv2.LINE_AA)
    for sign in (-1, 1):
        eye = (cx + sign * 35, cy - 25)
        if blink:
            cv2.line(frame, (eye[0] - 9, eye[1]), (eye[0] + 9, eye[1]), (30, 30, 30), 2)
        else:
            cv2.circle(frame, eye, 9, (30, 30, 30), -1, cv2.LINE_AA)
        inner, outer = (cx + sign * 18, cy - 50 - round(8 * brow)), (cx + sign * 55, cy - 50)
        cv2.line(frame, inner, outer, (35, 35, 35), 4, cv2.LINE_AA)
    cv2.ellipse(frame, (cx, cy + 50), (28, mouth), 0, 0, 360, (40, 30, 120), -1, cv2.LINE_AA)


def write_dialog_video(
    path: Path, timed: Sequence[TimedTurn], length: int, fps: float, seed: int
) -> int:
    """Render and encode the dialog video; return the number of frames written.

    Raises:
        MmserError: if OpenCV cannot open an XVID writer for ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*FOURCC), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise MmserError(f"OpenCV cannot write {FOURCC} video (no encoder?)", file=path)
    rng = np.random.default_rng(seed)
    idle_phase = {speaker: float(rng.uniform(0, 6.0)) for speaker in SIDE}
    scene = background()
    count = math.ceil(length / SAMPLE_RATE * fps)
    times = np.arange(count) / fps
    active = active_turns(timed, times)
    try:
        for t, index in zip(times, active, strict=True):
            frame = scene.copy()
            turn = timed[index].turn if index >= 0 else None
            for speaker, side in SIDE.items():
                face = turn.face if turn is not None and turn.speaker == speaker else None
                draw_actor(frame, side, float(t), face, idle_phase[speaker])
            writer.write(frame)
    finally:
        writer.release()
    return count
