"""Per-utterance plans: the speaking actor's half, shared frames, and failures."""

from pipeline.video.decode import VideoInfo
from pipeline.video.params import SpeakerSides, VideoParams
from pipeline.video.plan import needed_keys, plan_utterance

from .avi_files import utterance

RELEASE = VideoInfo(fps=30.0, n_frames=300, width=720, height=480)  # 10 s


def test_female_speaker_uses_the_left_half_and_male_the_right():
    params = VideoParams()
    female = plan_utterance(0, utterance("Ses01F_impro01_F000", 1.0, 2.0), RELEASE, params)
    male = plan_utterance(1, utterance("Ses01F_impro01_M000", 1.0, 2.0), RELEASE, params)
    assert (female.side, male.side) == ("left", "right")
    assert female.keys == [(30, 0), (40, 0), (50, 0)]
    assert male.keys == [(30, 1), (40, 1), (50, 1)]
    assert female.failure is None and not female.resized


def test_speaker_side_param_swaps_the_halves():
    params = VideoParams(speaker_side=SpeakerSides(F="right", M="left"))
    plan = plan_utterance(0, utterance("Ses02M_script01_1_F003", 1.0, 2.0), RELEASE, params)
    assert plan.side == "right"


def test_frames_shared_by_overlapping_turns_are_needed_once():
    params = VideoParams()
    plans = [
        plan_utterance(0, utterance("Ses01F_impro01_F000", 1.0, 2.0), RELEASE, params),  # 30 40 50
        plan_utterance(1, utterance("Ses01F_impro01_F001", 1.5, 2.2), RELEASE, params),  # 45 55 65
        plan_utterance(2, utterance("Ses01F_impro01_F002", 1.0, 1.5), RELEASE, params),  # 30 40
        plan_utterance(3, utterance("Ses01F_impro01_M000", 1.0, 1.1), RELEASE, params),  # 30 right
    ]
    assert needed_keys(plans) == [(30, 0), (30, 1), (40, 0), (45, 0), (50, 0), (55, 0), (65, 0)]


def test_a_sample_beyond_the_end_of_the_video_fails_the_utterance():
    plan = plan_utterance(0, utterance("Ses01F_impro01_F000", 9.5, 10.5), RELEASE, VideoParams())
    assert plan.failure is not None and plan.keys == []
    assert "the sample at 10.167 s is frame 305, beyond the end of the video" in plan.failure
    assert "(300 frames = 10.000 s at 30 fps)" in plan.failure


def test_small_halves_are_resized_and_tiny_ones_fail():
    params = VideoParams()
    small = VideoInfo(fps=30.0, n_frames=300, width=320, height=240)  # 160×240 halves
    assert plan_utterance(0, utterance("Ses01F_impro01_F000", 1, 2), small, params).resized
    tiny = VideoInfo(fps=30.0, n_frames=300, width=80, height=60)  # 40×60 halves
    plan = plan_utterance(0, utterance("Ses01F_impro01_F000", 1, 2), tiny, params)
    assert plan.failure == (
        "video is 80×60: actor half is 40×60 px; its short side is below 56 px "
        "(a quarter of the 224-px crop)"
    )
    assert needed_keys([plan]) == []
