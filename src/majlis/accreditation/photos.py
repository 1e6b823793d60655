"""Badge photos and supporting documents of applications: checked by content, never trusted by name.

A photo is opened with Pillow under a pixel limit (decompression bombs are refused before any pixel
is decoded), verified, turned upright by its EXIF orientation and re-encoded: the JPEG written back
contains pixels only, no EXIF (GPS position, camera serial), no comments, no colour profile.
It is then cropped to passport proportions (35:45), centred unless the applicant chose an area.

Files uploaded with a form that had other errors are kept for an hour in the private storage under
a random name, referenced by a signed token: the applicant does not have to upload them again.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from majlis.core.pdf_safety import sanitise_pdf_upload

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MIN_PHOTO_WIDTH = 300
MIN_PHOTO_HEIGHT = 400
MAX_PHOTO_SIDE = 6000
# Pillow refuses (DecompressionBombError) images of more than twice this many pixels before decoding
# them, and warns above it; the warning is turned into a refusal below. The limit is process-wide:
# no image the platform accepts anywhere is larger than 6000 × 6000 pixels.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_SIDE * MAX_PHOTO_SIDE

PHOTO_RATIO = (35, 45)  # passport photo: 35 mm wide, 45 mm high
MIN_CROP_WIDTH = 210  # pixels of the original: below this the badge photo would be blurred
OUTPUT_SIZE = (525, 675)  # 35 × 45 mm at 381 dpi: sharp on a printed badge, about 60 KB
JPEG_QUALITY = 88
PHOTO_FORMATS = {"JPEG", "PNG"}

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}

PENDING_MAX_AGE = timedelta(hours=1)
PENDING_FOLDER = "private/pending"
_SIGNING_SALT = "majlis.accreditation.pending-upload"


@dataclass(frozen=True)
class CropBox:
    x: int
    y: int
    width: int
    height: int


def _photo_error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def read_upload(file: Any, limit: int) -> bytes:
    """The bytes of an uploaded file, reading at most ``limit + 1`` of them."""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data if isinstance(data, bytes) else bytes(data or b"")


def shown_size(size: int | None, limit: int) -> str:
    """The size to show in a "too large" message, or "" when it cannot be shown truthfully: unknown,
    or rounding to the unit shown would make it look no larger than the limit (5 MB and a few
    bytes is "5.0 MB")."""
    if size is None or size <= limit:
        return ""
    text = filesizeformat(size)
    return "" if text == filesizeformat(limit) else text


def photo_size_error(size: int | None) -> ValidationError:
    """The photo is too large: say how large when that can be said truthfully, otherwise only that it is."""
    shown = shown_size(size, MAX_PHOTO_BYTES)
    if not shown:
        return _photo_error(_("The photo is larger than 5 MB; it may be at most 5 MB."), "photo_size")
    return _photo_error(_("The photo is %(size)s; it may be at most 5 MB.") % {"size": shown}, "photo_size")


def normalise_photo(data: bytes, size: int | None = None) -> Image.Image:
    """Check an uploaded photo and return it upright, in RGB, without any metadata.

    ``size`` is the upload's real size when known: ``data`` may hold only its first bytes (see
    ``read_upload``). Raises ValidationError (in the active language) when the file is not a JPEG
    or PNG image, is too large in bytes or pixels, too small, damaged, or a decompression bomb.
    """
    if size is not None and size > MAX_PHOTO_BYTES:
        raise photo_size_error(size)
    if len(data) > MAX_PHOTO_BYTES:
        # read_upload stops one byte past the limit: the real size is unknown here.
        raise photo_size_error(size if size is not None and size >= len(data) else None)
    if not data:
        raise _photo_error(_("The photo file is empty."), "photo_empty")
    unreadable = _("This file is not a readable JPEG or PNG image.")
    too_big = _("The photo may be at most %(max)s × %(max)s pixels.") % {"max": MAX_PHOTO_SIDE}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in PHOTO_FORMATS:
                    raise _photo_error(_("Upload the photo as a JPEG or PNG file."), "photo_type")
                if width > MAX_PHOTO_SIDE or height > MAX_PHOTO_SIDE:
                    raise _photo_error(too_big, "photo_pixels")
                probe.verify()
            # verify() leaves the image unusable: open it again to decode the pixels.
            with Image.open(BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = _to_rgb(upright)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _photo_error(too_big, "photo_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError) as error:
        raise _photo_error(unreadable, "photo_invalid") from error
    except Exception as error:  # noqa: BLE001 - a damaged file must never become a server error
        raise _photo_error(unreadable, "photo_invalid") from error
    if rgb.width < MIN_PHOTO_WIDTH or rgb.height < MIN_PHOTO_HEIGHT:
        raise _photo_error(
            _(
                "The photo is %(width)s × %(height)s pixels; it must be at least %(min_width)s pixels wide "
                "and %(min_height)s pixels high."
            )
            % {"width": rgb.width, "height": rgb.height, "min_width": MIN_PHOTO_WIDTH, "min_height": MIN_PHOTO_HEIGHT},
            "photo_small",
        )
    return rgb


def _to_rgb(image: Image.Image) -> Image.Image:
    """A new RGB image holding only the pixels (transparent areas become white)."""
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    rgb = image.convert("RGB")
    # convert() may return an image sharing the info dict: start from a clean one.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def encode_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def centred_box(width: int, height: int) -> CropBox:
    """The largest 35:45 area in the middle of an image."""
    ratio_w, ratio_h = PHOTO_RATIO
    if width * ratio_h > height * ratio_w:  # wider than 35:45: cut the sides
        crop_h = height
        crop_w = height * ratio_w // ratio_h
    else:  # taller: cut the top and bottom
        crop_w = width
        crop_h = width * ratio_h // ratio_w
    return CropBox((width - crop_w) // 2, (height - crop_h) // 2, crop_w, crop_h)


def parse_crop_box(values: dict[str, Any]) -> CropBox | None:
    """The crop area sent by the preview script (crop_x, crop_y, crop_w, crop_h), or None if absent.

    Raises ValidationError when the values are present but are not whole numbers.
    """
    raw = [values.get(f"crop_{key}") for key in ("x", "y", "w", "h")]
    if all(value in (None, "") for value in raw):
        return None
    try:
        x, y, w, h = (int(float(str(value))) for value in raw)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(_("The chosen photo area is not valid; choose it again."), code="crop_invalid") from error
    return CropBox(x, y, w, h)


def check_crop_box(box: CropBox, width: int, height: int) -> CropBox:
    """Check a chosen area against the photo and make its proportions exactly 35:45 (keeping its centre)."""
    invalid = ValidationError(_("The chosen photo area does not fit the photo; choose it again."), code="crop_invalid")
    if box.x < 0 or box.y < 0 or box.width <= 0 or box.height <= 0:
        raise invalid
    if box.x + box.width > width or box.y + box.height > height:
        raise invalid
    ratio_w, ratio_h = PHOTO_RATIO
    # The script keeps the ratio; rounding in the browser may be a few pixels off. Anything else is refused.
    if abs(box.width * ratio_h - box.height * ratio_w) > 0.03 * box.height * ratio_w:
        raise invalid
    if box.width < MIN_CROP_WIDTH:
        raise ValidationError(
            _("The chosen photo area is too small to print sharply on a badge; choose a larger area."),
            code="crop_small",
        )
    crop_w = min(box.width, box.height * ratio_w // ratio_h)
    crop_h = crop_w * ratio_h // ratio_w
    x = box.x + (box.width - crop_w) // 2
    y = box.y + (box.height - crop_h) // 2
    return CropBox(x, y, crop_w, crop_h)


def crop_photo(image: Image.Image, box: CropBox | None = None) -> bytes:
    """The badge photo: the chosen (or centred) 35:45 area, resized, as a JPEG without metadata."""
    area = check_crop_box(box, image.width, image.height) if box else centred_box(image.width, image.height)
    cropped = image.crop((area.x, area.y, area.x + area.width, area.y + area.height))
    if cropped.width > OUTPUT_SIZE[0]:
        cropped = cropped.resize(OUTPUT_SIZE, Image.Resampling.LANCZOS)
    return encode_jpeg(cropped)


def open_normalised(data: bytes) -> Image.Image:
    """Open a JPEG this module wrote (a pending photo) without the checks of a fresh upload."""
    with Image.open(BytesIO(data)) as image:
        image.load()
        return image.convert("RGB")


# -- Supporting documents (press cards, letters) --------------------------------------------------


@dataclass(frozen=True)
class CheckedDocument:
    data: bytes
    original_name: str
    extension: str
    content_type: str


def document_size_error(size: int | None) -> ValidationError:
    shown = shown_size(size, MAX_DOCUMENT_BYTES)
    if not shown:
        return ValidationError(_("The document is larger than 10 MB; it may be at most 10 MB."), code="document_size")
    return ValidationError(
        _("The document is %(size)s; it may be at most 10 MB.") % {"size": shown}, code="document_size"
    )


def check_document(file: Any) -> CheckedDocument:
    """A supporting document: PDF, JPEG or PNG of at most 10 MB, whose content is what its name says."""
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(_("Upload the document as a PDF, JPEG or PNG file."), code="document_type")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise document_size_error(size)
    data = read_upload(file, MAX_DOCUMENT_BYTES)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise document_size_error(None)
    if not data:
        raise ValidationError(_("The document file is empty."), code="document_empty")
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("The file is named .pdf but is not a PDF document."), code="document_mismatch")
        # Stored without JavaScript, actions, embedded files, XFA or RichMedia (core/pdf_safety.py).
        data = sanitise_pdf_upload(data)
    else:
        expected = "PNG" if extension == "png" else "JPEG"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(BytesIO(data)) as image:
                    actual = image.format
                    image.verify()
        except Exception as error:  # noqa: BLE001 - any failure to read it means it is not an image
            raise ValidationError(_("This file is not a readable image."), code="document_invalid") from error
        if actual != expected:
            raise ValidationError(
                _("The file is named .%(extension)s but contains something else.") % {"extension": extension},
                code="document_mismatch",
            )
    return CheckedDocument(
        data=data, original_name=name[:200], extension=extension, content_type=DOCUMENT_TYPES[extension]
    )


# -- Files kept between two submissions of a form -------------------------------------------------


@dataclass(frozen=True)
class PendingFile:
    kind: str  # "photo" or "document"
    name: str  # storage name
    original_name: str
    size: int
    token: str

    def read(self) -> bytes:
        with default_storage.open(self.name, "rb") as handle:
            return handle.read()

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def keep_pending(kind: str, data: bytes, extension: str, original_name: str = "") -> PendingFile:
    """Store a checked file for an hour under a random name; returns it with its signed token."""
    purge_expired_pending()
    name = default_storage.save(f"{PENDING_FOLDER}/{uuid.uuid4().hex}.{extension}", ContentFile(data))
    token = signing.dumps(
        {"k": kind, "n": name, "o": original_name[:200], "s": len(data)}, salt=_SIGNING_SALT, compress=True
    )
    return PendingFile(kind=kind, name=name, original_name=original_name[:200], size=len(data), token=token)


def load_pending(token: str, kind: str) -> PendingFile | None:
    """The pending file a token refers to, if the token is genuine, under an hour old and the file exists."""
    if not token or len(token) > 1000:
        return None
    try:
        value = signing.loads(token, salt=_SIGNING_SALT, max_age=PENDING_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(value, dict) or value.get("k") != kind:
        return None
    name = str(value.get("n", ""))
    if not name.startswith(f"{PENDING_FOLDER}/") or ".." in name or not default_storage.exists(name):
        return None
    return PendingFile(
        kind=kind, name=name, original_name=str(value.get("o", "")), size=int(value.get("s", 0)), token=token
    )


def discard_pending(pending: PendingFile | None) -> None:
    if pending is not None and default_storage.exists(pending.name):
        default_storage.delete(pending.name)


def purge_expired_pending(now: Any = None) -> int:
    """Delete pending files older than an hour (their tokens no longer work anyway); returns how many."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(PENDING_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for filename in files:
        name = f"{PENDING_FOLDER}/{filename}"
        try:
            modified = default_storage.get_modified_time(name)
        except (FileNotFoundError, OSError):
            continue
        if now - modified > PENDING_MAX_AGE:
            default_storage.delete(name)
            removed += 1
    return removed
