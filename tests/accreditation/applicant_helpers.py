"""Shared set-up of the registration, account and public list tests: an open event, photos, a valid form."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from majlis.accreditation.models import Category
from tests.factories import PDF_BYTES, make_accreditation_event

_seq = itertools.count(1)
PASSPORT = "FA1234567"


def make_open_event(**kwargs: Any):
    """An event two months ahead, with the default categories, capacity row and privacy notice v1."""
    start = date.today() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1), **kwargs)


def category_by_code(event, code: str) -> Category:
    return Category.objects.get(event=event, code=code)


def image_bytes(
    width: int = 600, height: int = 800, *, format: str = "JPEG", exif: bool = False, orientation: int | None = None
) -> bytes:
    """A real image; with ``exif`` it carries a camera model, a GPS position and a comment."""
    image = Image.new("RGB", (width, height), (180, 140, 120))
    # A dark square at the top left, to check the orientation after rotation.
    image.paste((20, 20, 20), (0, 0, width // 5, height // 5))
    buffer = BytesIO()
    options: dict[str, Any] = {}
    if exif or orientation:
        data = Image.Exif()
        if exif:
            data[0x0110] = "Secret Camera Model"  # Model
            data[0x8825] = {1: "N", 2: (41.0, 18.0, 0.0), 3: "E", 4: (69.0, 16.0, 0.0)}  # GPSInfo
        if orientation:
            data[0x0112] = orientation
        options["exif"] = data.tobytes()
    if format == "JPEG" and exif:
        options["comment"] = b"secret comment"
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def photo_upload(data: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=content_type)


def press_card_upload(data: bytes = PDF_BYTES, name: str = "press-card.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def register_url(event, language: str = "en") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("accreditation:register", kwargs={"event": event.slug})


def valid_post(event, *, category: str | None = "expert", mode: str = "in_person", **overrides: Any) -> dict[str, Any]:
    """A complete application a form accepts, without files (add ``photo`` yourself)."""
    n = next(_seq)
    data: dict[str, Any] = {
        "category": str(category_by_code(event, category).pk) if category else None,
        "honorific": "dr",
        "family_name": "Karimova",
        "given_names": "Dilnoza",
        "name_native": "Дилноза Каримова",
        "gender": "female",
        "nationality": "UZ",
        "organisation_name": "Institute for Strategic and Regional Studies",
        "position": "Senior researcher",
        "email": f"dilnoza{n}@example.org",
        "phone": "+998 71 123 45 67",
        "language": "en",
        "mode": mode,
        "consent": "on",
    }
    if mode == "in_person":
        end = event.end_date
        data.update(
            {
                "passport_number": f"FA{1000000 + n}",
                "passport_expiry": (end + timedelta(days=400)).isoformat(),
                "passport_country": "UZ",
                "arrival_at": f"{(event.start_date - timedelta(days=1)).isoformat()}T18:30",
                "arrival_details": "HY 054",
                "departure_at": f"{(end + timedelta(days=1)).isoformat()}T09:00",
                "departure_details": "HY 053",
            }
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
