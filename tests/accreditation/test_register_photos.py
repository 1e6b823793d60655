"""Badge photos: checked by content, upright, without metadata, 35:45; bombs and odd files refused."""

from __future__ import annotations

import os
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from majlis.accreditation import photos

from .applicant_helpers import image_bytes


def open_result(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def process(data: bytes, box: photos.CropBox | None = None) -> Image.Image:
    return open_result(photos.crop_photo(photos.normalise_photo(data), box))


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        photos.normalise_photo(data)
    return caught.value


def test_photo_exif_gps_camera_and_comment_are_removed():
    original = image_bytes(exif=True)
    assert b"Secret Camera Model" in original and b"secret comment" in original
    result = photos.crop_photo(photos.normalise_photo(original))
    assert b"Secret Camera Model" not in result and b"secret comment" not in result
    image = open_result(result)
    assert not image.getexif()
    assert "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info


@pytest.mark.parametrize(("width", "height"), [(600, 800), (1200, 800), (400, 2000), (300, 400), (4000, 5000)])
def test_photo_is_cropped_to_passport_proportions(width, height):
    image = process(image_bytes(width, height))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert abs(image.width / image.height - 35 / 45) < 0.01
    assert image.width <= photos.OUTPUT_SIZE[0]


def test_photo_centred_crop_keeps_the_middle():
    assert photos.centred_box(1200, 800) == photos.CropBox(289, 0, 622, 800)
    assert photos.centred_box(350, 1000) == photos.CropBox(0, 275, 350, 450)


def test_photo_exif_orientation_is_applied_before_cropping():
    # Stored landscape 800 × 600 with "rotate 90°" (orientation 6): upright it is a portrait 600 × 800.
    normalised = photos.normalise_photo(image_bytes(800, 600, orientation=6))
    assert normalised.size == (600, 800)
    # The dark corner, top left when stored, is top right once upright.
    assert normalised.getpixel((590, 10))[0] < 60
    assert normalised.getpixel((10, 10))[0] > 150


def test_photo_png_with_transparency_becomes_a_jpeg_on_white():
    image = Image.new("RGBA", (400, 520), (0, 0, 0, 0))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    result = process(buffer.getvalue())
    assert result.format == "JPEG" and result.getpixel((10, 10)) == (255, 255, 255)


def test_photo_chosen_area_is_used_and_made_exactly_35_by_45():
    image = process(image_bytes(1000, 1200), photos.CropBox(100, 100, 351, 450))
    assert image.size == (350, 450)


@pytest.mark.parametrize(
    "box",
    [
        photos.CropBox(-1, 0, 350, 450),
        photos.CropBox(0, 0, 350, 1300),
        photos.CropBox(700, 0, 350, 450),
        photos.CropBox(0, 0, 450, 450),  # not 35:45
        photos.CropBox(0, 0, 0, 0),
    ],
)
def test_photo_chosen_area_outside_the_photo_or_out_of_proportion_is_refused(box):
    with pytest.raises(ValidationError) as caught:
        photos.crop_photo(photos.normalise_photo(image_bytes(1000, 1200)), box)
    assert caught.value.code == "crop_invalid"


def test_photo_chosen_area_too_small_for_a_badge_is_refused():
    with pytest.raises(ValidationError) as caught:
        photos.crop_photo(photos.normalise_photo(image_bytes(1000, 1200)), photos.CropBox(0, 0, 140, 180))
    assert caught.value.code == "crop_small"


@pytest.mark.parametrize(
    "values", [{"crop_x": "a", "crop_y": "1", "crop_w": "2", "crop_h": "3"}, {"crop_x": "1e999"}, {"crop_w": "nan"}]
)
def test_photo_crop_values_that_are_not_numbers_are_refused(values):
    with pytest.raises(ValidationError):
        photos.parse_crop_box(values)


def test_photo_without_crop_values_uses_the_centre():
    assert photos.parse_crop_box({"crop_x": "", "crop_y": None}) is None


def test_photo_too_small_is_refused_with_its_size():
    error = refusal(image_bytes(299, 500))
    assert error.code == "photo_small"
    assert "299 × 500" in error.messages[0]


def test_photo_too_large_in_pixels_is_refused():
    assert refusal(image_bytes(6001, 500, format="PNG")).code == "photo_pixels"


def test_photo_larger_than_5_mb_is_refused():
    assert refusal(image_bytes() + bytes(5 * 1024 * 1024)).code == "photo_size"


@pytest.mark.parametrize("side", [9000, 20000])
def test_photo_decompression_bomb_is_refused_without_decoding(side):
    # A one-bit PNG of side × side pixels compresses to a few kilobytes.
    buffer = BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    assert len(data) < 200_000
    assert refusal(data).code == "photo_pixels"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"%PDF-1.4 a document",
        b"GIF89a" + bytes(100),
        b"\xff\xd8\xff\xe0" + os.urandom(2000),  # a JPEG header, then noise
    ],
)
def test_photo_that_is_not_a_readable_jpeg_or_png_is_refused(data):
    assert refusal(data).code in {"photo_invalid", "photo_empty", "photo_type"}


def test_photo_gif_or_webp_is_refused_as_a_type():
    for image_format in ("GIF", "WEBP", "BMP"):
        buffer = BytesIO()
        Image.new("RGB", (400, 520)).save(buffer, format=image_format)
        assert refusal(buffer.getvalue()).code == "photo_type"


def test_photo_truncated_jpeg_is_refused():
    data = image_bytes(800, 1000)
    assert refusal(data[: len(data) // 2]).code == "photo_invalid"


def test_photo_pending_file_round_trip_and_tampering(db):
    pending = photos.keep_pending("photo", b"jpeg bytes", "jpg", "me.jpg")
    assert pending.name.startswith("private/pending/") and "me" not in pending.name
    assert photos.load_pending(pending.token, "photo").read() == b"jpeg bytes"
    assert photos.load_pending(pending.token, "document") is None
    assert photos.load_pending(pending.token[:-2] + "xx", "photo") is None
    assert photos.load_pending("", "photo") is None
    photos.discard_pending(pending)
    assert photos.load_pending(pending.token, "photo") is None


def test_photo_pending_files_older_than_an_hour_are_purged(db):
    old = photos.keep_pending("photo", b"old", "jpg")
    two_hours_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(old.name), (two_hours_ago, two_hours_ago))
    fresh = photos.keep_pending("photo", b"new", "jpg")  # storing a file purges the expired ones
    assert not default_storage.exists(old.name)
    assert default_storage.exists(fresh.name)
    assert photos.purge_expired_pending(now=timezone.now() + timedelta(minutes=61)) == 1
    assert not default_storage.exists(fresh.name)
