"""Downloads of the published programme: iCalendar, frab schedule.xml / schedule.json, PDF.

All of them read the newest published snapshot and run a constant number of queries (the event,
the version, the snapshot unless cached). The language is the one of the URL (/en/, /ru/, /uz/).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from majlis.core import capabilities
from majlis.core.files import content_disposition
from majlis.core.permissions import public
from majlis.events.access import event_view
from majlis.events.models import Event

from . import feeds
from .exports import frab, ical
from .exports import pdf as pdf_export
from .exports.common import EXPORT_FORMAT, Published, load_published, programme_page_path, session_url_builder
from .queries import public_version_key


class NotPublished(Exception):
    pass


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _venue_name(event: Event) -> str:
    return event.venue.name if event.venue_id and event.venue else ""


def _not_published() -> HttpResponse:
    return HttpResponseNotFound(
        _("No programme has been published yet for this event."), content_type="text/plain; charset=utf-8"
    )


def _export_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the event and its published programme; 404 in plain words when nothing is published."""

    def wrapper(request: HttpRequest, ev: Event, **kwargs: Any) -> HttpResponse:
        published = load_published(ev)
        if published is None:
            return _not_published()
        return view(request, ev, published, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    resolved: Callable[..., HttpResponse] = event_view(None)(wrapper)  # type: ignore[assignment]
    return require_safe(resolved)


def _respond(
    request: HttpRequest,
    body: bytes,
    content_type: str,
    *,
    filename: str = "",
    disposition: str = "inline",
    private: bool = False,
) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = content_disposition(filename, disposition)
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    response["Content-Language"] = _language()
    if private:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    return response


def _export_key(request: HttpRequest, event_id: int, number: int, name: str) -> str:
    site = hashlib.sha256(_base_url(request).encode("utf-8")).hexdigest()[:12]
    return f"programme:{event_id}:v{number}:{name}:{_language()}:{EXPORT_FORMAT}:{site}"


def _cached_export(
    request: HttpRequest, event: Event, published: Published, name: str, build: Callable[[], bytes]
) -> bytes:
    """Exports depend only on the version, the language and the site address: build each once."""
    key = _export_key(request, event.pk, published.number, name)
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, timeout=24 * 3600)
    return body


def _served_from_cache(
    name: str, content_type: str, filename: Callable[[str], str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer from the cached export when there is one, for the cost of one raw query.

    The export is the same for every reader of a published or archived event, so the key needs
    only the event, the newest version number, the language and the site address; drafts and
    cache misses go through the full view, which fills the cache.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, event: str, **kwargs: Any) -> HttpResponse:
            current = public_version_key(event)
            if current is not None:
                body = cache.get(_export_key(request, current[0], current[1], name))
                if body is not None:
                    return _respond(request, body, content_type, filename=filename(event) if filename else "")
            return view(request, event, **kwargs)

        return require_safe(wrapper)

    return decorate


def _calendar(
    request: HttpRequest, event: Event, published: Published, sessions: list[dict[str, Any]], name: str
) -> bytes:
    return ical.build_calendar(
        published,
        sessions,
        language=_language(),
        calendar_name=name,
        session_url=session_url_builder(event.slug, _base_url(request)),
        venue_name=_venue_name(event),
    )


def _event_title(published: Published) -> str:
    event = published.snapshot["event"]
    language = _language()
    return event["short_title"].get(language) or event["title"].get(language) or event["title"].get("en", "")


@_served_from_cache("ics", ical.CONTENT_TYPE, lambda slug: f"{slug}-{_language()}.ics")
@_export_view
def programme_ics(request: HttpRequest, event: Event, published: Published) -> HttpResponse:
    """The whole published programme as an iCalendar file."""
    body = _cached_export(
        request,
        event,
        published,
        "ics",
        lambda: _calendar(request, event, published, published.sessions, _event_title(published)),
    )
    return _respond(request, body, ical.CONTENT_TYPE, filename=f"{event.slug}-{_language()}.ics")


@_export_view
def session_ics(request: HttpRequest, event: Event, published: Published, slug: str) -> HttpResponse:
    """One session as an iCalendar file, to add it to a calendar."""
    session = next((s for s in published.sessions if s["slug"] == slug), None)
    if session is None:
        raise Http404(_("No such session in the published programme."))
    body = _calendar(request, event, published, [session], _event_title(published))
    return _respond(request, body, ical.CONTENT_TYPE, filename=f"{event.slug}-{slug}.ics", disposition="attachment")


def _schedule(request: HttpRequest, event: Event, published: Published) -> dict[str, Any]:
    base = _base_url(request)
    return frab.build_schedule(
        published,
        language=_language(),
        event_slug=event.slug,
        session_url=session_url_builder(event.slug, base),
        conference_url=base + programme_page_path(event.slug),
    )


@_served_from_cache("xml", frab.XML_CONTENT_TYPE)
@_export_view
def schedule_xml(request: HttpRequest, event: Event, published: Published) -> HttpResponse:
    """The programme in the frab schedule.xml format (Giggity, ConfClerk, EventFahrplan …)."""
    schedule_url = request.build_absolute_uri(reverse("events:programme:schedule-xml", kwargs={"event": event.slug}))
    body = _cached_export(
        request,
        event,
        published,
        "xml",
        lambda: frab.schedule_xml(_schedule(request, event, published), schedule_url=schedule_url),
    )
    return _respond(request, body, frab.XML_CONTENT_TYPE)


@_served_from_cache("json", frab.JSON_CONTENT_TYPE)
@_export_view
def schedule_json(request: HttpRequest, event: Event, published: Published) -> HttpResponse:
    """The programme in the c3voc schedule.json format."""
    body = _cached_export(
        request, event, published, "json", lambda: frab.schedule_json(_schedule(request, event, published))
    )
    return _respond(request, body, frab.JSON_CONTENT_TYPE)


@_export_view
def programme_pdf(request: HttpRequest, event: Event, published: Published) -> HttpResponse:
    """The printable programme (A4) in the language of the URL; cached per version and language."""
    language = _language()
    venue = _venue_name(event)
    venue_key = hashlib.sha256(venue.encode("utf-8")).hexdigest()[:12]
    key = f"programme:{event.pk}:v{published.number}:pdf:{language}:{EXPORT_FORMAT}:{venue_key}"
    body = cache.get(key)
    if body is None:
        body = pdf_export.build_pdf(published, language=language, venue_name=venue)
        cache.set(key, body, timeout=24 * 3600)
    filename = f"{event.slug}-programme-v{published.number}-{language}.pdf"
    return _respond(request, body, pdf_export.CONTENT_TYPE, filename=filename)


@public
@require_safe
def agenda_ics(request: HttpRequest, event: str, token: str) -> HttpResponse:
    """A participant's personal agenda as a private calendar feed; the token is the only key."""
    feed = feeds.active_feed(token, event)
    if feed is None:
        raise Http404(_("This calendar feed does not exist or has been revoked."))
    ev = feed.event
    # The feed shows what its owner may see (calendar applications send no session).
    if not ev.is_public and not capabilities.has(feed.user, "event.view_unpublished", ev):
        raise Http404(_("This calendar feed does not exist or has been revoked."))
    guids = feeds.agenda_guids(feed)
    published = load_published(ev)
    if published is None:
        return _not_published()
    sessions = [s for s in published.sessions if s["guid"] in guids]
    name = _("My agenda: %(event)s") % {"event": _event_title(published)}
    body = _calendar(request, ev, published, sessions, name)
    return _respond(request, body, ical.CONTENT_TYPE, private=True)


def _safe_next(request: HttpRequest, event: Event) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return programme_page_path(event.slug)


@event_view(None, login=True)
@require_POST
def agenda_feed(request: HttpRequest, ev: Event) -> HttpResponse:
    """Make a new private feed URL for one's agenda (revoking the old one), or revoke it."""
    action = request.POST.get("action")
    if action == "create":
        _feed, token = feeds.create_feed(request.user, ev, request=request)
        url = request.build_absolute_uri(
            reverse("events:programme:agenda-ics", kwargs={"event": ev.slug, "token": token})
        )
        messages.success(
            request,
            _(
                "Your private calendar feed: %(url)s — add it to your calendar application now. For your "
                "security it is shown only once; anyone with this address can see your agenda."
            )
            % {"url": url},
        )
    elif action == "revoke":
        count = feeds.revoke_feeds(request.user, ev, request=request)
        if count:
            messages.success(request, _("Your private calendar feed has been revoked; it no longer updates."))
        else:
            messages.info(request, _("You had no active private calendar feed."))
    else:
        return HttpResponseBadRequest(_("Unknown action."), content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(_safe_next(request, ev))
