"""Frame times, frame indices, halves and the crop, against hand-computed values."""

import numpy as np
import pytest

from pipeline.video.frames import (
    actor_crop,
    center_crop,
    crop_geometry,
    frame_indices,
    half_bounds,
    sample_times,
    select_half,
)


def test_sample_times_every_third_of_a_second_inside_the_window():
    np.testing.assert_allclose(sample_times(1.0, 2.5, 3.0, 32), [1, 4 / 3, 5 / 3, 2, 7 / 3])


def test_sample_times_exclude_the_window_end():
    np.testing.assert_allclose(sample_times(0.0, 1.0, 3.0, 32), [0, 1 / 3, 2 / 3])


def test_sample_times_keep_the_first_max_frames():
    times = sample_times(0.0, 20.0, 3.0, 32)
    assert len(times) == 32
    assert times[-1] == pytest.approx(31 / 3)


def test_sample_times_of_a_very_short_window_is_its_start():
    np.testing.assert_allclose(sample_times(5.0, 5.01, 3.0, 32), [5.0])


def test_frame_indices_are_the_frame_on_screen_despite_round_off():
    # 4/3 * 30 is 39.999999999999993 in floating point: the frame on screen at 4/3 s is 40.
    assert frame_indices(sample_times(1.0, 2.5, 3.0, 32), 30.0).tolist() == [30, 40, 50, 60, 70]


def test_frame_indices_for_an_iemocap_like_window_at_29_97_fps():
    # Ses01F_impro01_F000 [6.2901 - 8.2357]: t·29.97 = 188.514, 198.504, …, 238.464 (step 9.99).
    times = sample_times(6.2901, 8.2357, 3.0, 32)
    assert frame_indices(times, 29.97).tolist() == [188, 198, 208, 218, 228, 238]


def test_half_bounds_split_at_the_midpoint_and_drop_an_odd_middle_column():
    assert half_bounds(720, "left") == (0, 360)
    assert half_bounds(720, "right") == (360, 720)
    assert half_bounds(721, "left") == (0, 360)
    assert half_bounds(721, "right") == (361, 721)


def test_select_half_returns_the_requested_actor():
    frame = np.zeros((4, 6, 3), np.uint8)
    frame[:, :3] = 10
    frame[:, 3:] = 200
    assert (select_half(frame, "left") == 10).all()
    assert (select_half(frame, "right") == 200).all()
    assert select_half(frame, "right").shape == (4, 3, 3)


def _coordinates(height, width):
    """An image whose value at (y, x) is 1000·y + x."""
    y, x = np.mgrid[0:height, 0:width]
    return (1000 * y + x).astype(np.int32)


def test_center_crop_of_a_release_half_frame_takes_x_68_y_128():
    # A 720×480 release frame has 360×480 halves: offsets (360-224)/2 = 68, (480-224)/2 = 128.
    geometry = crop_geometry(480, 360, 224)
    assert (geometry.top, geometry.left, geometry.resized) == (128, 68, False)
    crop = center_crop(_coordinates(480, 360), 224)
    assert crop.shape == (224, 224)
    assert crop[0, 0] == 128 * 1000 + 68
    assert crop[-1, -1] == (128 + 223) * 1000 + (68 + 223)


def test_a_half_smaller_than_the_crop_is_scaled_up_first():
    # 160×120 half: scale 224/120 → 299×224 (w×h), then the centre: left = (299-224)//2 = 37.
    geometry = crop_geometry(120, 160, 224)
    assert (geometry.resized_height, geometry.resized_width) == (224, 299)
    assert (geometry.top, geometry.left, geometry.resized) == (0, 37, True)
    image = np.zeros((120, 160, 3), np.uint8)
    image[50:70, 70:90] = 255  # a square around the centre stays at the centre
    crop = center_crop(image, 224)
    assert crop.shape == (224, 224, 3)
    assert crop[112, 112].tolist() == [255, 255, 255]
    assert crop[5, 5].tolist() == [0, 0, 0]


def test_a_half_below_a_quarter_of_the_crop_is_rejected():
    with pytest.raises(ValueError, match="below 56 px"):
        crop_geometry(50, 40, 224)
    assert crop_geometry(56, 56, 224).resized


def test_actor_crop_is_rgb_from_the_bgr_frame():
    frame = np.zeros((480, 720, 3), np.uint8)
    frame[:, :360] = (255, 0, 0)  # blue in BGR
    frame[:, 360:] = (0, 0, 255)  # red in BGR
    left = actor_crop(frame, "left", 224)
    right = actor_crop(frame, "right", 224)
    assert left.shape == (224, 224, 3) and left.flags.c_contiguous
    assert left[0, 0].tolist() == [0, 0, 255]
    assert right[0, 0].tolist() == [255, 0, 0]
