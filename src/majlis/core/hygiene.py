"""Input hygiene: what every request's text goes through before any view, form, API or admin sees it.

Two rules, applied once by ``InputHygieneMiddleware`` for the whole site:

* **NUL is refused.** A NUL character (U+0000) is never part of legitimate text, and PostgreSQL
  refuses it in text columns and parameters (a 500 if it reaches a query). A request carrying one
  in its path, query string, form fields, JSON body or headers is answered 400: the API's JSON
  error under ``/api/``, a translated page elsewhere. An unpaired surrogate in a JSON string
  (``"\\ud800"``), which cannot be encoded for the database either, is refused the same way.
* **Invisible format controls are stripped** from query strings, form fields and JSON strings
  (``clean_text``): the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) that let "U+202E evil" display as "live", the directional marks, zero-width
  spaces, soft hyphens and the other characters of category Cf that render as nothing but
  change how a name reads or sorts, and the C0/C1 control characters except tab and line breaks.
  Letters, marks and digits of every script stay as they are; so do ZWNJ/ZWJ (U+200C/U+200D),
  which Persian, Indic scripts and emoji sequences need, and variation selectors.

Passwords are passed through untouched (a stored password must keep matching what is typed), and
so are uploaded files. Names are also isolated on output (``<bdi>``) so that text stored before
this cleaning, or right-to-left names, cannot reorder the page around them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"

# Format characters (category Cf) that are kept: they change how letters join, not where they go.
KEPT_FORMAT_CHARACTERS = frozenset(
    {
        "\u200c",  # ZERO WIDTH NON-JOINER: Persian, Kurdish and Indic spelling
        "\u200d",  # ZERO WIDTH JOINER: Indic conjuncts, emoji sequences
    }
)
KEPT_CONTROL_CHARACTERS = frozenset({"\t", "\n", "\r"})

# Named for documentation and tests; ``is_stripped`` covers them (all are category Cf).
BIDI_CONTROLS = frozenset(
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)


def is_stripped(char: str) -> bool:
    """Whether ``clean_text`` removes this character."""
    if char in KEPT_FORMAT_CHARACTERS or char in KEPT_CONTROL_CHARACTERS:
        return False
    return unicodedata.category(char) in {"Cf", "Cc"}


ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Control characters that str.splitlines() treats as line breaks (and would hide from the check).
LINE_BREAK_CONTROLS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85]")


def clean_text(value: str) -> str:
    """``value`` without invisible format and control characters (see the module's docstring).

    Idempotent, and the identity on text without such characters.
    """
    if value.isascii():  # the usual case: only the C0 controls and DEL can be in it
        return ASCII_CONTROLS.sub("", value)
    # Printable text holds no Cf or Cc character; check line by line (line breaks are kept), in C.
    if not LINE_BREAK_CONTROLS.search(value) and all(line.isprintable() for line in value.splitlines()):
        return value
    return "".join(c for c in value if not is_stripped(c))


def clean_data(value: Any) -> Any:
    """``clean_text`` applied to every string of a JSON-like value, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    if isinstance(value, dict):
        return {clean_data(key) if isinstance(key, str) else key: clean_data(item) for key, item in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def is_refused(text: str) -> bool:
    """Text no request may carry: a NUL, or an unpaired surrogate (not encodable as UTF-8)."""
    return NUL in text or _has_surrogate(text)


def _json_strings(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, key), key
            yield from _json_strings(item, (*loc, key))


# --- Finding refused input -------------------------------------------------------------------


class RefusedInput:
    """Where a request carried refused text: ``kind`` is path, query, header or body."""

    def __init__(self, kind: str, name: str | int | None = None, loc: tuple[str | int, ...] = ()):
        self.kind = kind
        self.name = name
        self.loc = loc or ((name,) if name is not None else ())


def _header_name(meta_key: str) -> str:
    name = meta_key.removeprefix("HTTP_")
    return "-".join(part.capitalize() for part in name.split("_"))


def _is_password_field(name: str) -> bool:
    return "password" in name.lower()


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def _is_form(request: HttpRequest) -> bool:
    return request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}


def _is_text(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return (
        _is_json(request)
        or content_type in {"application/x-www-form-urlencoded", ""}
        or content_type.startswith("text/")
    )


def _has_body(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return False


def find_refused_input(request: HttpRequest) -> RefusedInput | None:
    """The first place where the request carries a NUL (or, in JSON, an unpaired surrogate)."""
    if NUL in request.path_info or NUL in request.path:
        return RefusedInput("path")
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return RefusedInput("query", key.replace(NUL, "\\0"))
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key == "CONTENT_TYPE") and isinstance(value, str) and NUL in value:
            return RefusedInput("header", _header_name(key))
    if request.method in {"GET", "HEAD", "OPTIONS"} and not _has_body(request):
        return None
    if _is_form(request) and request.method == "POST":
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in value for value in values):
                return RefusedInput("body", key.replace(NUL, "\\0"))
        for key, files in request.FILES.lists():
            if NUL in key or any(NUL in (upload.name or "") for upload in files):
                return RefusedInput("body", key.replace(NUL, "\\0"))
    elif _has_body(request) and _is_text(request):
        # Only text bodies: an uploaded file (multipart, or a raw binary body) may hold any byte.
        body = request.body
        if b"\x00" in body:
            return RefusedInput("body")
        if request.content_type == "application/x-www-form-urlencoded":
            for key, values in QueryDict(body, encoding=request.encoding).lists():
                if NUL in key or any(NUL in value for value in values):
                    return RefusedInput("body", key.replace(NUL, "\\0"))
        if _is_json(request):
            try:
                data = json.loads(body)
            except ValueError:
                return None  # the view answers malformed JSON with its own error
            for loc, text in _json_strings(data):
                if is_refused(text):
                    return RefusedInput("body", loc[-1] if loc else None, loc)
    return None


# --- Cleaning ----------------------------------------------------------------------------------


def _clean_query_dict(query: QueryDict, keep: Callable[[str], bool] = lambda name: False) -> QueryDict | None:
    """A cleaned copy of ``query``, or ``None`` when nothing needs cleaning."""
    changed = False
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        if keep(key):
            cleaned.setlist(key, values)
            continue
        new_values = [clean_text(value) for value in values]
        new_key = clean_text(key)
        changed = changed or new_key != key or new_values != values
        cleaned.setlist(new_key, new_values)
    if not changed:
        return None
    cleaned._mutable = False
    return cleaned


def clean_request(request: HttpRequest) -> None:
    """Strip invisible format controls from the query string, form fields and JSON strings."""
    query = _clean_query_dict(request.GET)
    if query is not None:
        request.GET = query  # type: ignore[assignment]
    if request.method in {"GET", "HEAD", "OPTIONS"} and not _has_body(request):
        return
    if _is_form(request) and request.method == "POST":
        post = _clean_query_dict(request.POST, keep=_is_password_field)
        if post is not None:
            request._post = post  # type: ignore[attr-defined]
    elif _is_json(request) and _has_body(request):
        try:
            data = json.loads(request.body)
        except ValueError:
            return
        cleaned = clean_data(data)
        if cleaned != data:
            body = json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
            request._body = body
            request._stream = BytesIO(body)


# --- The middleware ------------------------------------------------------------------------------


def _where(refused: RefusedInput) -> str:
    if refused.kind == "path":
        return _("The address of the page")
    if refused.kind == "query":
        return _("The query parameter “%(name)s”") % {"name": refused.name}
    if refused.kind == "header":
        return _("The request header “%(name)s”") % {"name": refused.name}
    if refused.name is not None:
        return _("The field “%(name)s”") % {"name": refused.name}
    return _("The request body")


def refusal_message(refused: RefusedInput) -> str:
    return _(
        "%(where)s contains a NUL character (U+0000) or another character that is never valid in text. "
        "Remove it and try again."
    ) % {"where": _where(refused)}


def _api_response(request: HttpRequest, refused: RefusedInput) -> HttpResponse:
    from django.utils import translation

    from majlis.core.api_support import UnsupportedLanguage, error_body, select_language

    try:
        language = select_language(request)
    except UnsupportedLanguage:  # ?lang= itself may be what carried the NUL
        language = "en"
    with translation.override(language):
        detail = refusal_message(refused)
        code = "invalid_data" if refused.kind == "body" else "invalid_parameters"
        item = {"loc": [refused.kind, *[str(p) if not isinstance(p, int) else p for p in refused.loc]], "msg": detail}
        body = error_body(detail, code, [item])
    response = HttpResponse(json.dumps(body), status=400, content_type="application/json; charset=utf-8")
    response["Content-Language"] = language
    return response


def _page_response(request: HttpRequest, refused: RefusedInput) -> HttpResponse:
    return render(request, "core/refused_input.html", {"status": 400, "message": refusal_message(refused)}, status=400)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class InputHygieneMiddleware:
    """Refuses requests carrying NUL (400) and strips invisible format controls from their text.

    Placed after ``LocaleMiddleware`` (so the refusal page is in the page's language) and before
    everything that reads the session, the user, the CSRF token or the view's parameters.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = find_refused_input(request)
        if refused is not None:
            if is_api_request(request):
                return _api_response(request, refused)
            return _page_response(request, refused)
        clean_request(request)
        return self.get_response(request)
