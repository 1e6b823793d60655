"""What every endpoint of the JSON API shares: language selection, JSON errors, the docs page.

``MajlisAPI`` is a ``NinjaAPI`` that

* answers in the language asked for: ``?lang=en|ru|uz`` wins, then the ``Accept-Language``
  header (q-values respected), then English. The whole operation, serialisation included, runs
  under ``translation.override``, so translated model fields and reversed site URLs come out in
  that language; every response carries ``Content-Language``;
* turns every failure into ``{"detail": "...", "code": "..."}``: 400 for bad query parameters
  (an unsupported or empty ``lang`` included), 404, 405 and 500, also for unknown paths under the
  API and for writes to the index, the schema and the docs page (no HTML CSRF page);
* documents ``lang``/``Accept-Language``, ``Content-Language`` and the 400/405/500 errors on every
  operation;
* offers the shared parameter types: ``ObjectId`` (a positive 32-bit id), ``IsoDate`` (only
  ``YYYY-MM-DD``, never a Unix time) and ``Pagination`` (``page`` at most ``MAX_PAGE``).

NUL characters never reach an operation: ``majlis.core.hygiene.InputHygieneMiddleware`` answers
them with this module's error shape.
* serves Swagger UI from ninja's bundled assets with a static start-up script, so the docs page
  needs no CDN and keeps to the site's Content Security Policy (no inline scripts or styles).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator, WithJsonSchema

logger = logging.getLogger("django.request")

LANGUAGE_PARAMETER = "lang"


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- Shared schemas ---------------------------------------------------------------------------


class ErrorItem(Schema):
    """One invalid input: where it was (``["query", "kind"]``) and what is wrong with it."""

    loc: list[str | int]
    msg: str


class Error(Schema):
    """Every error the API returns. ``code`` is stable and meant for programs; ``detail`` for people."""

    detail: str
    code: str
    errors: list[ErrorItem] | None = None


class ApiError(Exception):
    """Raise from an endpoint to answer with an ``Error`` body."""

    def __init__(
        self,
        status: int,
        detail: str,
        code: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors
        self.headers = headers or {}


def not_found(detail: str) -> ApiError:
    return ApiError(404, detail, "not_found")


def error_body(detail: str, code: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


# --- Shared parameter types -------------------------------------------------------------------

# Ids are positive 32-bit integers in every table; a larger number names nothing (and some database
# drivers cannot even bind it), so it is a 400 like any other invalid parameter.
MAX_ID = 2_147_483_647
# A page number beyond this would skip more rows than any list holds (and overflow an SQL OFFSET).
MAX_PAGE = 1_000_000

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _iso_date_only(value: Any) -> Any:
    """Pydantic reads ``0`` or ``1700000000`` as a Unix time; a day in the API is always ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("Give the day as YYYY-MM-DD, e.g. 2022-03-03")
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[
    date, BeforeValidator(_iso_date_only), WithJsonSchema({"type": "string", "format": "date", "example": "2022-03-03"})
]


class Pagination(PageNumberPagination):
    """Ninja's page-number pagination with an upper bound on ``page`` (a huge one was a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=MAX_ID,
            description=f"Items per page; more than {ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE} are capped.",
        )


# --- Language selection -----------------------------------------------------------------------


def page_of(queryset: Any, page: int, page_size: int, render: Callable[[Any], Any]) -> dict[str, Any]:
    """One page of ``queryset`` as the paged list operations answer it: count, page, size, items."""
    count = queryset.count()
    start = (page - 1) * page_size
    items = [render(row) for row in queryset[start : start + page_size]]
    return {"count": count, "page": page, "page_size": page_size, "items": items}


class UnsupportedLanguage(ApiError):
    def __init__(self, value: str):
        supported = ", ".join(supported_languages())
        detail = f"Unsupported language “{value}” in ?{LANGUAGE_PARAMETER}=. Supported languages: {supported}."
        super().__init__(
            400,
            detail,
            "unsupported_language",
            errors=[{"loc": ["query", LANGUAGE_PARAMETER], "msg": f"Use one of: {supported}."}],
        )


def language_from_accept_header(header: str) -> str | None:
    """The best supported language of an ``Accept-Language`` header, or ``None``."""
    supported = supported_languages()
    for tag, quality in parse_accept_lang_header(header or ""):
        if quality <= 0 or tag == "*":
            continue
        primary = tag.split("-")[0]
        if tag in supported:
            return tag
        if primary in supported:
            return primary
    return None


def select_language(request: HttpRequest) -> str:
    """``?lang=`` (raises ``UnsupportedLanguage`` when unknown or empty), else ``Accept-Language``, else English."""
    if LANGUAGE_PARAMETER in request.GET:
        requested = request.GET.get(LANGUAGE_PARAMETER, "").strip()
        code = requested.lower()
        if code not in supported_languages():
            raise UnsupportedLanguage(requested[:20])
        return code
    return language_from_accept_header(request.headers.get("Accept-Language", "")) or "en"


def _with_language(api: NinjaAPI) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Operation decorator (mode "view": runs before parameter validation)."""

    def decorator(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response: HttpResponseBase
            try:
                language = select_language(request)
            except UnsupportedLanguage as exc:
                language = "en"
                with translation.override(language):
                    response = api.on_exception(request, exc)
            else:
                with translation.override(language):
                    response = run(request, *args, **kwargs)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            return response

        return wrapper

    return decorator


# --- Error handlers ---------------------------------------------------------------------------


def _location(loc: Any) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in (loc or [])]


def _describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    items = []
    parts = []
    for error in errors:
        loc = _location(error.get("loc"))
        msg = str(error.get("msg", "invalid value"))
        items.append({"loc": loc, "msg": msg})
        where = f"{loc[0]} parameter" if loc else "request"
        name = ".".join(str(part) for part in loc[1:])
        parts.append(f"Invalid {where} “{name}”: {msg}." if name else f"Invalid {where}: {msg}.")
    return (" ".join(parts) or "Invalid request."), items


def install_error_handlers(api: NinjaAPI) -> None:
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = api.create_response(request, error_body(exc.detail, exc.code, exc.errors), status=exc.status)
        for header, value in exc.headers.items():
            response[header] = value  # e.g. Retry-After on a 429
        return response

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail, items = _describe_validation_errors(exc.errors)
        return api.create_response(request, error_body(detail, "invalid_parameters", items), status=400)

    def http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Our own reads raise Http404 with a message written for visitors ("No such event.").
        detail = str(exc) if exc.args and isinstance(exc.args[0], str) else "Not found."
        return api.create_response(request, error_body(detail, "not_found"), status=404)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            429: "throttled",
        }.get(exc.status_code, "error")
        return api.create_response(request, error_body(str(exc), code), status=exc.status_code)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        body = error_body("Internal server error. It has been logged; please try again later.", "server_error")
        return api.create_response(request, body, status=500)

    handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
        ApiError: api_error,
        ValidationError: validation_error,
        Http404: http404,
        HttpError: http_error,
        Exception: server_error,
    }
    for exception_class, handler in handlers.items():
        api.add_exception_handler(exception_class, handler)


def _json_error(status: int, detail: str, code: str) -> HttpResponse:
    import json

    return HttpResponse(
        json.dumps(error_body(detail, code)), status=status, content_type="application/json; charset=utf-8"
    )


def _method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    allowed_list = ", ".join(sorted(m.strip() for m in allowed.split(",") if m.strip()))
    response = _json_error(
        405,
        f"The method {request.method} is not allowed here. Allowed: {allowed_list}.",
        "method_not_allowed",
    )
    response["Allow"] = allowed
    return response


def _json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Ninja answers a wrong method with plain text; make it the API's JSON error.

    ``HEAD`` is answered like ``GET`` (without the body) where ``GET`` is allowed, as Django does
    for its own views.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and request.method == "HEAD" and "GET" in response.get("Allow", ""):
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            return _method_not_allowed(request, response.get("Allow", ""))
        return response

    # Ninja operations are CSRF-exempt at the Django level; keep whatever the wrapped view says.
    wrapper.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    return wrapper


def _read_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For the index, the schema and the docs page: GET and HEAD only, else the JSON 405.

    CSRF-exempt at the Django level, so that a POST is told 405 in JSON rather than getting
    Django's HTML "CSRF verification failed" page; the views change nothing.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in {"GET", "HEAD"}:
            return _method_not_allowed(request, "GET, HEAD")
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def unknown_api_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json_error(404, f"There is no API endpoint at {request.path}. See the docs for the list.", "not_found")


# Whatever the method: a 404 in JSON, not Django's HTML page for a missing CSRF token.
unknown_api_path.csrf_exempt = True  # type: ignore[attr-defined]


def api_index(request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
    import json

    body = {
        "title": api.title,
        "version": api.version,
        "openapi": reverse(f"{api.urls_namespace}:openapi-json"),
        "docs": reverse(f"{api.urls_namespace}:openapi-view"),
    }
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")


# --- Docs page --------------------------------------------------------------------------------


class SelfHostedSwagger(DocsBase):
    """Swagger UI from ninja's own static files, started by ``majlis/api-docs.js``.

    Ninja's template puts the settings in an inline JSON ``<script>``; ours passes them in
    ``data-`` attributes, so the page holds no inline script (or style) at all.
    """

    template = "api/docs.html"
    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # the default badge loads an image from validator.swagger.io
        "tryItOutEnabled": False,
        "withCredentials": True,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        import json

        openapi_url = self.get_openapi_url(api, kwargs)
        context = {
            "api": api,
            "openapi_url": openapi_url,
            "swagger_settings": json.dumps({**self.settings, "url": openapi_url}),
        }
        return render(request, self.template, context)


# --- The API class ----------------------------------------------------------------------------

LANGUAGE_PARAMETERS = [
    {
        "in": "query",
        "name": LANGUAGE_PARAMETER,
        "required": False,
        "description": "Language of translated fields and site links. Wins over Accept-Language; "
        "an unsupported value is a 400 error. Default: Accept-Language, else English.",
        "schema": {"type": "string", "enum": ["en", "ru", "uz"]},
    },
    {
        "in": "header",
        "name": "Accept-Language",
        "required": False,
        "description": "Used when ?lang is absent; q-values are respected, unsupported languages skipped.",
        "schema": {"type": "string"},
    },
]
DECLARED_ERRORS = {
    400: "Invalid parameters or data: an unsupported or empty ?lang, a value out of range, a NUL character.",
    405: "The method is not allowed on this path; the Allow header lists those that are.",
    500: "Internal server error.",
}
CONTENT_LANGUAGE_HEADER = {
    "Content-Language": {"description": "The language of the response.", "schema": {"type": "string"}}
}

API_DESCRIPTION = """\
Data of the conferences on this Majlis platform: events, the organisations behind them, their
documents and news, and the published programme; organisers also edit the draft programme here.

**Access.** Reads are public: anyone may call them without signing in and sees published data
only. Whoever may see an event before it is published (`event.view_unpublished`) also sees its
draft, and its organisers its restricted documents and unpublished news. Every other operation
names the capability it needs in the event (`programme.edit`, `accreditation.view`,
`accreditation.decide`…), held through one's roles in the event: writes to the draft programme and
publishing it, and the participant endpoints (`/events/{slug}/accreditation/…`, which never return
passport data). A side-event organiser may change only the sessions of their own organisation.

**Authentication.** A browser uses its session cookie (writes also send the `X-CSRFToken` header).
A device or an integration sends an API token of one event, made by the event's organisers on the
page `/<lang>/<event>/manage/api-tokens/`: `Authorization: Bearer mjl_…`. A token holds exactly
its scopes, in its own event only; it needs no CSRF header. An unknown, revoked or expired token is
a 401 (also on public reads); too many invalid tokens from one address are a 429 with `Retry-After`.

**Language.** `?lang=en|ru|uz` wins, then the `Accept-Language` header, then English. Translated
fields fall back to English. The response names its language in `Content-Language`.

**Errors.** Always JSON: `{"detail": "...", "code": "..."}`, with `errors` listing the invalid
parameters or fields on a 400. Codes: `invalid_parameters`, `invalid_data`, `unsupported_language`,
`unauthenticated` (401), `forbidden` (403), `not_found`, `throttled` (429), `method_not_allowed`
(405, with `Allow`), `server_error`. A NUL character (U+0000) anywhere in a request (path, query,
headers, body) is a 400; bidirectional and other invisible format controls (U+202E…) are removed
from text before it is used.

**Pagination.** Lists take `?page=` (from 1 to 1000000) and `?page_size=` and answer
`{"items": [...], "count": n}`. Ids are positive 32-bit integers; days are `YYYY-MM-DD`.
"""


class MajlisAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("docs", SelfHostedSwagger())
        kwargs.setdefault("description", API_DESCRIPTION)
        super().__init__(**kwargs)
        install_error_handlers(self)
        self.add_decorator(_with_language(self), mode="view")

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
                operation.setdefault("parameters", []).extend(
                    p for p in LANGUAGE_PARAMETERS if (p["in"], p["name"]) not in names
                )
                # Every operation can refuse its parameters (400) and a wrong method (405).
                for status, description in DECLARED_ERRORS.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
                for response in operation["responses"].values():
                    response.setdefault("headers", {}).update(CONTENT_LANGUAGE_HEADER)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    view = _read_only(_bind(api_index, self))
                    pattern = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
                elif pattern.name in {"openapi-json", "openapi-view"}:
                    view = _read_only(pattern.callback)
                    pattern = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
                else:
                    pattern = URLPattern(
                        pattern.pattern,
                        _json_method_not_allowed(pattern.callback),
                        pattern.default_args,
                        pattern.name,
                    )
            urls.append(pattern)
        urls.append(re_path(r"^.*$", unknown_api_path, name="unknown-path"))
        return urls


def _bind(view: Callable[..., HttpResponse], api: NinjaAPI) -> Callable[..., HttpResponse]:
    def bound(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, api, **kwargs)

    return bound
