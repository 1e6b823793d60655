"""The public site of an event: home, news, documents, contacts and background."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from majlis.core import audit, capabilities
from majlis.core.files import content_disposition
from majlis.core.permissions import public

from . import extensions, queries
from .access import event_view
from .models import Document, DocumentFile, Event, EventOrganisation, Organisation

NEWS_PER_PAGE = 10
HOME_NEWS = 3
HOME_DOCUMENTS = 4
ORGANISER_ROLES = (EventOrganisation.Role.HOST, EventOrganisation.Role.CO_ORGANISER)


def _render(request: HttpRequest, template: str, event: Event, section: str, context: dict[str, Any]) -> HttpResponse:
    """Renders an event page; times are shown in the event's time zone."""
    context = {"event": event, "section": section, **context}
    context.setdefault("today", timezone.localdate())
    with timezone.override(event.tz):
        return render(request, template, context)


@event_view(None)
def event_home(request: HttpRequest, ev: Event) -> HttpResponse:
    roles = list(queries.organisation_roles(ev))
    documents = list(queries.visible_documents(ev, request.user))
    attendee_info = next((doc for doc in documents if doc.kind == Document.Kind.ATTENDEE_INFO), None)
    context = {
        "organisers": [role for role in roles if role.role in ORGANISER_ROLES],
        "partners": [role for role in roles if role.role not in ORGANISER_ROLES],
        "pillars": list(ev.pillars.all()),
        "news": list(queries.published_news(ev)[:HOME_NEWS]),
        "documents": documents[:HOME_DOCUMENTS],
        "more_documents": len(documents) > HOME_DOCUMENTS,
        "phase": ev.phase(),
        "attendee_info": attendee_info,
        "attendee_info_file": _file_for_language(attendee_info) if attendee_info else None,
        "languages": [name for _code, name in settings.LANGUAGES],
        "registration_open": False,
        **extensions.home_context(ev),
    }
    return _render(request, "events/home.html", ev, "home", context)


def _file_for_language(document: Document) -> DocumentFile | None:
    """The document's file in the visitor's language, else in English, else any."""
    files = {file.language: file for file in document.files.all()}
    for code in (get_language(), settings.LANGUAGE_CODE):
        if code in files:
            return files[code]
    return next(iter(files.values()), None)


@event_view(None)
def news_list(request: HttpRequest, ev: Event) -> HttpResponse:
    page = Paginator(queries.published_news(ev), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "events/news_list.html", ev, "news", {"page": page})


@event_view(None)
def news_detail(request: HttpRequest, ev: Event, slug: str) -> HttpResponse:
    item = get_object_or_404(ev.news, slug=slug)
    if not item.is_published and not capabilities.has(request.user, "event.manage", ev):
        raise Http404("No such news item.")
    return _render(request, "events/news_detail.html", ev, "news", {"item": item})


def _document_filters(params: Any) -> tuple[str, str, list[str]]:
    """The kind and language asked for; unknown values are dropped with a message saying so."""
    kind = params.get("kind", "").strip()
    language = params.get("language", "").strip()
    problems = []
    if kind and kind not in Document.Kind.values:
        problems.append(
            _("There is no kind of document called “%(value)s”. Documents of every kind are shown.")
            % {"value": kind[:60]}
        )
        kind = ""
    if language and language not in dict(settings.LANGUAGES):
        problems.append(
            _("Documents are not available in the language “%(value)s”. Documents in every language are shown.")
            % {"value": language[:60]}
        )
        language = ""
    return kind, language, problems


@event_view(None)
def document_list(request: HttpRequest, ev: Event) -> HttpResponse:
    kind, language, problems = _document_filters(request.GET)
    documents = queries.visible_documents(ev, request.user)
    if kind:
        documents = documents.filter(kind=kind)
    if language:
        documents = documents.filter(files__language=language).distinct()
    context = {
        "documents": list(documents),
        "kind_choices": Document.Kind.choices,
        "language_choices": settings.LANGUAGES,
        "selected_kind": kind,
        "selected_language": language,
        "filter_problems": problems,
        "filtered": bool(kind or language),
    }
    return _render(request, "events/document_list.html", ev, "documents", context)


@event_view(None)
def document_file(request: HttpRequest, ev: Event, slug: str, file_language: str) -> FileResponse:
    document = queries.visible_documents(ev, request.user).filter(slug=slug).first()
    if document is None:
        raise Http404("No such document.")
    file = next((f for f in document.files.all() if f.language == file_language), None)
    if file is None:
        raise Http404("The document has no file in this language.")
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    name = file.original_name or (file.file.name or "").rsplit("/", 1)[-1]
    content_type = file.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    if document.is_public and document.published_on and document.published_on <= timezone.localdate():
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    if not document.is_public:
        audit.record("document.download", request=request, obj=file, event_slug=ev.slug, language=file.language)
    return response


@event_view(None)
def contacts(request: HttpRequest, ev: Event) -> HttpResponse:
    people = ev.contacts.select_related("organisation").order_by("position", "id")
    return _render(request, "events/contacts.html", ev, "contacts", {"contacts": list(people)})


@event_view(None)
def background(request: HttpRequest, ev: Event) -> HttpResponse:
    milestones = list(ev.series.milestones.order_by("date", "id")) if ev.series else []
    return _render(request, "events/background.html", ev, "background", {"milestones": milestones})


LOGO_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


@public
def organisation_logo(request: HttpRequest, pk: int) -> FileResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not organisation.logo.name:  # (a FieldFile is true exactly when it has a name)
        raise Http404("The organisation has no logo.")
    extension = organisation.logo.name.rsplit(".", 1)[-1].lower()
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The logo is missing from storage.") from exc
    content_type = LOGO_CONTENT_TYPES.get(extension) or mimetypes.guess_type(organisation.logo.name)[0]
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    # An SVG may carry scripts: opened on its own it runs with no rights at all.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public
def platform_home(request: HttpRequest) -> HttpResponse:
    """The platform's front page: every published conference, the latest first."""
    events = Event.objects.public().select_related("series", "venue").order_by("-start_date", "id")
    return render(request, "events/platform_home.html", {"events": events})
