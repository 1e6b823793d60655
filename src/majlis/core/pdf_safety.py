"""Uploaded PDFs lose their active content before they are stored.

A PDF can carry JavaScript (document-level, in page and field actions, in annotations), actions
that run when it opens or when a page or field is touched (``/OpenAction``, ``/AA``), launch
commands, ``javascript:`` links, form submission to other sites, embedded files, XFA forms and
RichMedia (Flash, 3D, video). Notes verbales, press cards and the event's documents are opened by
organisers, officers and the public: none of that is needed to read them, so it is all removed
with pikepdf (qpdf) and the file is written again, unencrypted, with only the objects still
referenced. A file pikepdf cannot open is refused with a clear message.

A file that qpdf read without having to repair anything and in which nothing was found is kept
byte for byte (a digital signature on a note verbale stays valid); any other file is rewritten.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Dictionary keys whose value is active content wherever they appear.
ACTIVE_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/EF", "/RichMediaContent")
# Actions that run code, open other programs or files, or send data somewhere.
DANGEROUS_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/Hide",
        "/ResetForm",
        "/SetOCGState",
        "/Trans",
        "/GoTo3DView",
    }
)
# Annotations that embed media or files.
DANGEROUS_ANNOTATIONS = frozenset({"/RichMedia", "/FileAttachment", "/Screen", "/Movie", "/Sound", "/3D"})
UNSAFE_URI_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class UnreadablePdf(ValueError):
    pass


def _name(value: Any) -> str:
    try:
        return str(value) if isinstance(value, pikepdf.Name) else ""
    except Exception:  # noqa: BLE001 - a damaged name is no name
        return ""


def _dangerous_action(action: Any) -> bool:
    """Whether an action dictionary (or any action in its /Next chain) must go."""
    if isinstance(action, pikepdf.Array):
        return any(_dangerous_action(item) for item in action)
    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = _name(action.get("/S"))
    if kind in DANGEROUS_ACTIONS:
        return True
    if kind == "/URI":
        uri = action.get("/URI")
        text = bytes(uri).decode("latin-1", "replace") if isinstance(uri, pikepdf.String) else ""
        if "".join(text.split()).lower().startswith(UNSAFE_URI_SCHEMES):
            return True
    return "/Next" in action and _dangerous_action(action.get("/Next"))


def _clean_dictionary(dictionary: pikepdf.Dictionary) -> bool:
    """Remove active content from one dictionary; returns whether anything was removed."""
    changed = False
    for key in ACTIVE_KEYS:
        if key in dictionary:
            del dictionary[key]
            changed = True
    if "/A" in dictionary and _dangerous_action(dictionary.get("/A")):
        del dictionary["/A"]
        changed = True
    annotations = dictionary.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        keep = [
            item
            for item in annotations
            if not (isinstance(item, pikepdf.Dictionary) and _name(item.get("/Subtype")) in DANGEROUS_ANNOTATIONS)
        ]
        if len(keep) != len(annotations):
            dictionary["/Annots"] = pikepdf.Array(keep)
            changed = True
    return changed


def _walk(value: Any, seen: set[tuple[int, int]], depth: int = 0) -> bool:
    """Clean every dictionary reachable from ``value`` (direct objects inside indirect ones included);
    returns whether anything was removed."""
    changed = False
    if depth > 200:
        return changed
    if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        if value.is_indirect:
            identity = value.objgen
            if identity in seen:
                return changed
            seen.add(identity)
        dictionary = value.stream_dict if isinstance(value, pikepdf.Stream) else value
        changed = _clean_dictionary(dictionary)
        for key in list(dictionary.keys()):
            if key == "/Parent":
                continue
            changed = _walk(dictionary.get(key), seen, depth + 1) or changed
    elif isinstance(value, pikepdf.Array):
        if value.is_indirect:
            identity = value.objgen
            if identity in seen:
                return changed
            seen.add(identity)
        for item in value:
            changed = _walk(item, seen, depth + 1) or changed
    return changed


def strip_active_content(data: bytes) -> bytes:
    """The PDF ``data`` without JavaScript, actions, embedded files, XFA and RichMedia.

    Raises ``UnreadablePdf`` when pikepdf cannot open it (damaged, or protected by a password).
    """
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            repaired = bool(pdf.get_warnings()) or pdf.is_encrypted
            root = pdf.Root
            changed = False
            names = root.get("/Names")
            if isinstance(names, pikepdf.Dictionary):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
                        changed = True
            acroform = root.get("/AcroForm")
            if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
                del acroform["/XFA"]
                changed = True
            seen: set[tuple[int, int]] = set()
            changed = _walk(pdf.trailer, seen) or changed
            for obj in pdf.objects:  # objects not reachable from the trailer are not written anyway
                changed = _walk(obj, seen) or changed
            if not changed and not repaired and not pdf.get_warnings():
                return data
            output = BytesIO()
            pdf.save(output, encryption=False, fix_metadata_version=False)
            return output.getvalue()
    except pikepdf.PasswordError as error:
        raise UnreadablePdf("password") from error
    except Exception as error:  # noqa: BLE001 - whatever qpdf cannot read is refused, never a server error
        raise UnreadablePdf(str(error)) from error


def sanitise_pdf_upload(data: bytes) -> bytes:
    """``strip_active_content`` for an upload: an unreadable file is a ValidationError in the page's language."""
    try:
        return strip_active_content(data)
    except UnreadablePdf as error:
        raise ValidationError(
            _(
                "This PDF file cannot be read: it may be damaged or protected by a password. Save it again as "
                "an ordinary PDF (for example with “Print to PDF”) and upload that file."
            ),
            code="pdf_unreadable",
        ) from error
