"""Small photos for the gate's screen and the offline allow-list: JPEG data URLs of a few kilobytes.

A gate shows the holder's face next to the name so that the officer can compare; the offline
package carries one per badge of its zone, so each must stay small (``MAX_BYTES``). Thumbnails are
made with Pillow from the application's photo (already checked, upright and stripped of metadata
when it was uploaded) and cached per badge and photo file: a new photo has a new file name.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterable
from io import BytesIO

from django.core.cache import cache
from PIL import Image, ImageOps, UnidentifiedImageError

from majlis.badges.models import Badge
from majlis.badges.queries import photo_bytes

logger = logging.getLogger(__name__)

SIZE = (84, 108)  # passport proportions (35:45), enough to recognise a face on a phone
MAX_BYTES = 6 * 1024  # of the data URL
QUALITIES = (70, 55, 40, 25)
CACHE_SECONDS = 7 * 24 * 3600
PREFIX = "data:image/jpeg;base64,"
_NO_PHOTO = ""  # cached for a photo that cannot be read, so that it is not tried on every scan


def _cache_key(badge: Badge) -> str:
    name = badge.application.photo.name or ""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"gates:thumb:{badge.pk}:{digest}"


def _thumbnail(data: bytes) -> str:
    with Image.open(BytesIO(data)) as opened:
        upright = ImageOps.exif_transpose(opened)
        image = ImageOps.fit(upright.convert("RGB"), SIZE, method=Image.Resampling.LANCZOS)
    for quality in QUALITIES:
        out = BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True, progressive=False)
        url = PREFIX + base64.b64encode(out.getvalue()).decode("ascii")
        if len(url) <= MAX_BYTES:
            return url
    return _NO_PHOTO  # a photo that will not shrink (noise): better none than a large package


def _make(badge: Badge) -> str:
    data = photo_bytes(badge)
    try:
        if data is None:
            raise OSError("the photo file cannot be read")
        return _thumbnail(data)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        logger.warning("The photo of badge %s cannot be read for the gates.", badge.pk)
        return _NO_PHOTO


def thumbnails(badges: Iterable[Badge]) -> dict[int, str | None]:
    """Badge id → small JPEG data URL (``None`` without a readable photo). One cache round trip."""
    with_photo = [badge for badge in badges if badge.application.photo]
    keys = {badge.pk: _cache_key(badge) for badge in with_photo}
    cached = cache.get_many(list(keys.values())) if keys else {}
    result: dict[int, str | None] = {}
    missing: dict[str, str] = {}
    for badge in with_photo:
        key = keys[badge.pk]
        url = cached.get(key)
        if url is None:
            url = _make(badge)
            missing[key] = url
        result[badge.pk] = url or None
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return result


def thumbnail(badge: Badge) -> str | None:
    return thumbnails([badge]).get(badge.pk)
