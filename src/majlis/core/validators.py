"""Checks on uploaded files: organisation logos and document files.

Uploads come from staff, but a logo or a document is later shown to the public, so nothing that
could run script in a visitor's browser or make it fetch something from elsewhere is accepted.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree  # noqa: S405 - DOCTYPE and entities are refused before parsing

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_LOGO_BYTES = 1024 * 1024

LOGO_EXTENSIONS = {"svg": "SVG", "png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}

DOCUMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
}
_ZIP_BASED = {"docx", "odt", "xlsx", "pptx"}

# Attributes that may hold a reference to another resource.
_REFERENCE_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "lowsrc", "dynsrc"}
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_all(file: IO[bytes] | Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _local(name: str) -> str:
    """``{http://www.w3.org/1999/xlink}href`` -> ``href``."""
    return name.rsplit("}", 1)[-1].lower()


def _internal_reference(value: str) -> bool:
    return value.strip().startswith("#")


def _check_css(text: str) -> None:
    lowered = text.lower()
    if "@import" in lowered or "expression(" in lowered or "javascript:" in lowered:
        raise ValidationError(_("The SVG file's styles may not import or run anything."), code="svg_unsafe")
    for target in _CSS_URL.findall(text):
        if target and not _internal_reference(target):
            raise ValidationError(
                _("The SVG file refers to another file (%(target)s); it must be self-contained."),
                params={"target": target[:80]},
                code="svg_external",
            )


def validate_svg(data: bytes) -> None:
    """Refuse SVG that can run script or load anything from outside the file."""
    lowered = data.lower()
    if b"<script" in lowered:
        raise ValidationError(_("The SVG file contains a script."), code="svg_script")
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ValidationError(_("The SVG file may not declare a DOCTYPE or entities."), code="svg_doctype")
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DOCTYPE, hence no entity expansion
    except ElementTree.ParseError as error:
        raise ValidationError(_("This is not a well-formed SVG file."), code="svg_invalid") from error
    if _local(root.tag) != "svg":
        raise ValidationError(_("This is not an SVG image."), code="svg_invalid")
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in _FORBIDDEN_ELEMENTS:
            raise ValidationError(
                _("The SVG file contains a <%(tag)s> element, which is not allowed."),
                params={"tag": tag},
                code="svg_script",
            )
        if tag == "style" and element.text:
            _check_css(element.text)
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                raise ValidationError(
                    _("The SVG file contains an event handler (%(name)s), which is not allowed."),
                    params={"name": attribute},
                    code="svg_script",
                )
            if attribute in _REFERENCE_ATTRIBUTES and not _internal_reference(value):
                raise ValidationError(
                    _("The SVG file refers to another file (%(target)s); it must be self-contained."),
                    params={"target": value[:80]},
                    code="svg_external",
                )
            if attribute == "style" or "url(" in value.lower():
                _check_css(value)
            if "javascript:" in value.lower():
                raise ValidationError(_("The SVG file contains a script."), code="svg_script")


def validate_logo(file: Any) -> None:
    """An organisation logo: SVG, PNG or JPEG, at most 1 MB, and really what its name says."""
    extension = extension_of(getattr(file, "name", "") or "")
    if extension not in LOGO_EXTENSIONS:
        raise ValidationError(_("Upload the logo as SVG, PNG or JPEG."), code="logo_type")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; it may be at most 1 MB."),
            params={"size": filesizeformat(size)},
            code="logo_size",
        )
    data = _read_all(file)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo may be at most 1 MB."), code="logo_size")
    if extension == "svg":
        validate_svg(data)
        return
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not a readable image."), code="logo_invalid") from error
    if image_format != LOGO_EXTENSIONS[extension]:
        raise ValidationError(
            _("The file is named .%(extension)s but contains %(format)s data."),
            params={"extension": extension, "format": image_format or "other"},
            code="logo_invalid",
        )


@dataclass(frozen=True)
class DocumentFileInfo:
    original_name: str
    content_type: str
    size: int
    sha256: str
    # The bytes to store instead of the upload (a PDF without its active content), or None.
    cleaned_data: bytes | None = None


def inspect_document_file(file: Any) -> DocumentFileInfo:
    """Check an uploaded document file and describe it; raises ValidationError when it is refused."""
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = extension_of(name)
    if extension not in DOCUMENT_CONTENT_TYPES:
        raise ValidationError(
            _("Files of type “.%(extension)s” are not accepted. Use PDF, DOCX, ODT, XLSX, PPTX or TXT."),
            params={"extension": extension or "?"},
            code="document_type",
        )
    limit = settings.MAJLIS_MAX_DOCUMENT_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="document_size",
        )
    digest = hashlib.sha256()
    head = b""
    total = 0
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else [file.read()]
    for chunk in chunks:
        if len(head) < 8:
            head += chunk[:8]
        total += len(chunk)
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    if total > limit:
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            params={"size": filesizeformat(total), "limit": filesizeformat(limit)},
            code="document_size",
        )
    if total == 0:
        raise ValidationError(_("The file is empty."), code="document_empty")
    if extension == "pdf" and not head.startswith(b"%PDF-"):
        raise ValidationError(_("The file is named .pdf but is not a PDF document."), code="document_mismatch")
    if extension in _ZIP_BASED and (not head.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(file)):
        raise ValidationError(
            _("The file is named .%(extension)s but is not such a document."),
            params={"extension": extension},
            code="document_mismatch",
        )
    if extension == "txt":
        try:
            _read_all(file).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Text files must be encoded in UTF-8."), code="document_encoding") from error
    if hasattr(file, "seek"):
        file.seek(0)
    if extension == "pdf":
        # Stored without JavaScript, actions, embedded files, XFA or RichMedia (pdf_safety.py).
        from majlis.core.pdf_safety import sanitise_pdf_upload

        cleaned = sanitise_pdf_upload(_read_all(file))
        return DocumentFileInfo(
            original_name=name[:200],
            content_type=DOCUMENT_CONTENT_TYPES[extension],
            size=len(cleaned),
            sha256=hashlib.sha256(cleaned).hexdigest(),
            cleaned_data=cleaned,
        )
    return DocumentFileInfo(
        original_name=name[:200],
        content_type=DOCUMENT_CONTENT_TYPES[extension],
        size=total,
        sha256=digest.hexdigest(),
    )
