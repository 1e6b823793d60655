"""The public programme: days, sessions, speakers, a printable view and personal agendas.

Every page reads the newest published snapshot (``queries.published``, through ``published_programme``), never the
live session and speaker tables, so each costs a constant number of queries whatever the size of
the programme. The one exception is a stream link, read live by guid for users allowed to see it.
"""

from __future__ import annotations

import mimetypes
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from majlis.core.permissions import AuthenticatedHttpRequest
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries
from .access import can_see_stream
from .models import AgendaItem, CalendarFeed, Person, Session

PHOTO_CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def load_programme(event: Event) -> queries.Programme | None:
    """The newest published programme in the active language, or None before the first publication."""
    return queries.published(event)


def agenda_guids(request: HttpRequest, event: Event) -> set[str]:
    if not request.user.is_authenticated:
        return set()
    guids = AgendaItem.objects.filter(user=request.user, event=event).values_list("session_guid", flat=True)
    return {str(guid) for guid in guids}


def _render(
    request: HttpRequest, template: str, event: Event, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Renders a programme page; times are shown in the event's time zone."""
    context = {"event": event, "section": section, **context}
    if context.get("programme") is not None:
        context.setdefault("tz_label", queries.utc_offset_label(context["programme"]))
    with timezone.override(event.tz):
        return render(request, template, context, status=status)


def _not_published(request: HttpRequest, event: Event, section: str, title: str = "") -> HttpResponse:
    return _render(request, "programme/not_published.html", event, section, {"page_title": title})


def _anonymous_page_key(request: HttpRequest, event_slug: str) -> str | None:
    """Visitors who are not logged in all see the same page for a version, a language, a query and a minute.

    The key is built from one raw query (no ORM, no snapshot): the cached page is served at the
    price of that query. The version number is part of the key, so a publication shows at once; the
    minute keeps "now / next" and the default day right during the event. Drafts never use it.
    """
    if request.user.is_authenticated:
        return None
    current = queries.public_version_key(event_slug)
    if current is None:
        return None
    event_id, number = current
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    now = queries.current_time()
    return f"programme-page:{event_id}:v{number}:{get_language()}:{now:%Y%m%d%H%M}:{query}"


def _served_to_visitors_from_cache(view: Any) -> Any:
    """Visitors' cached page first, for the price of one raw query, before the event is even loaded.

    Only a published version has a key (``queries.public_version_key``), so a draft is never served
    from it; everything else goes through ``event_view``.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, event: str, *args: Any, **kwargs: Any) -> HttpResponse:
        page_key = _anonymous_page_key(request, event)
        if page_key is not None:
            cached = cache.get(page_key)
            if cached is not None:
                return HttpResponse(cached, content_type="text/html; charset=utf-8")
        return view(request, event, *args, **kwargs)

    return wrapper


@_served_to_visitors_from_cache
@event_view(None)
def programme(request: HttpRequest, ev: Event) -> HttpResponse:
    page_key = _anonymous_page_key(request, ev.slug)
    prog = load_programme(ev)
    if prog is None:
        return _not_published(request, ev, "programme")
    now = queries.current_time()
    day, day_problem = queries.choose_day(prog, request.GET.get("day"), now)
    filters = queries.parse_filters(request.GET, prog)
    sessions = queries.sessions_on(prog, day, filters)
    context = {
        "programme": prog,
        "day": day,
        "days": prog.days,
        "problems": ([day_problem] if day_problem else []) + filters.problems,
        "filters": filters,
        "slots": queries.slots(sessions),
        "session_count": len(sessions),
        "day_has_sessions": bool(queries.sessions_on(prog, day)),
        "now_next": queries.now_and_next(prog, now),
        "now": queries.local_now(prog, now),
        "published_at": prog.published_at,
        "agenda": agenda_guids(request, ev),
    }
    response = _render(request, "programme/programme.html", ev, "programme", context)
    if page_key is not None:
        cache.set(page_key, response.content, timeout=120)
    return response


@event_view(None)
def programme_print(request: HttpRequest, ev: Event) -> HttpResponse:
    prog = load_programme(ev)
    if prog is None:
        return _not_published(request, ev, "programme")
    context = {"programme": prog, "days": queries.by_day(prog), "published_at": prog.published_at}
    return _render(request, "programme/programme_print.html", ev, "programme", context)


@event_view(None)
def session_detail(request: HttpRequest, ev: Event, slug: str) -> HttpResponse:
    prog = load_programme(ev)
    if prog is None:
        raise Http404("The programme has not been published yet.")
    session = prog.sessions_by_slug.get(slug)
    if session is None:
        raise Http404("No such session in the published programme.")
    stream_url = ""
    show_stream = can_see_stream(request.user, ev)
    if show_stream:
        stream_url = (
            Session.objects.filter(event=ev, guid=session.guid).values_list("stream_url", flat=True).first() or ""
        )
    context = {
        "programme": prog,
        "session": session,
        "show_stream": show_stream,
        "stream_url": stream_url,
        "agenda": agenda_guids(request, ev),
    }
    return _render(request, "programme/session_detail.html", ev, "programme", context)


@event_view(None)
def speaker_list(request: HttpRequest, ev: Event) -> HttpResponse:
    prog = load_programme(ev)
    if prog is None:
        return _not_published(request, ev, "speakers")
    people = sorted(prog.people, key=lambda p: (p.sort_name.casefold(), p.name_latin.casefold(), p.slug))
    return _render(request, "programme/speaker_list.html", ev, "speakers", {"programme": prog, "people": people})


@event_view(None)
def speaker_detail(request: HttpRequest, ev: Event, slug: str) -> HttpResponse:
    prog = load_programme(ev)
    person = prog.people_by_slug.get(slug) if prog else None
    if prog is None or person is None:
        raise Http404("No such speaker in the published programme.")
    context = {"programme": prog, "person": person, "appearances": prog.sessions_of(person)}
    return _render(request, "programme/speaker_detail.html", ev, "speakers", context)


@event_view(None)
def speaker_photo(request: HttpRequest, ev: Event, slug: str) -> FileResponse:
    """A speaker's photo: public once the speaker appears in a published programme of the event."""
    prog = load_programme(ev)
    if prog is None or slug not in prog.people_by_slug:
        raise Http404("No such speaker in the published programme.")
    person = Person.objects.only("photo").filter(slug=slug).first()
    if person is None or not person.photo.name:  # (a FieldFile is true exactly when it has a name)
        raise Http404("This speaker has no photo.")
    extension = person.photo.name.rsplit(".", 1)[-1].lower()
    content_type = PHOTO_CONTENT_TYPES.get(extension) or mimetypes.guess_type(person.photo.name)[0]
    if content_type not in PHOTO_CONTENT_TYPES.values():
        raise Http404("This speaker has no photo.")
    try:
        handle = person.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The photo is missing from storage.") from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@event_view(None, login=True)
def agenda(request: AuthenticatedHttpRequest, ev: Event) -> HttpResponse:
    prog = load_programme(ev)
    items = list(AgendaItem.objects.filter(user=request.user, event=ev).order_by("added_at", "id"))
    guids = [str(item.session_guid) for item in items]
    sessions = []
    removed_guids = []
    for guid in guids:
        session = prog.sessions_by_guid.get(guid) if prog else None
        if session is None:
            removed_guids.append(guid)
        else:
            sessions.append(session)
    sessions.sort(key=lambda s: (s.starts_at, s.title))
    days: list[tuple[Any, list[queries.SessionView]]] = []
    for session in sessions:
        if days and days[-1][0] == session.day:
            days[-1][1].append(session)
        else:
            days.append((session.day, [session]))
    removed_titles = queries.removed_session_titles(ev, removed_guids) if removed_guids else {}
    context = {
        "programme": prog,
        "days": days,
        "removed": [{"guid": guid, "title": removed_titles.get(guid, "")} for guid in removed_guids],
        "agenda": set(guids),
        "count": len(sessions),
        "feed_active": CalendarFeed.objects.filter(user=request.user, event=ev, revoked_at__isnull=True).exists(),
    }
    return _render(request, "programme/agenda.html", ev, "agenda", context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _htmx_login(view: Any) -> Any:
    """An htmx request whose session has expired goes to the login page as a whole page, not swapped in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("HX-Request") == "true":
            back = _safe_next(request, reverse("events:programme:programme", kwargs={"event": kwargs["event"]}))
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
            return response
        return view(request, *args, **kwargs)

    return wrapper


@_htmx_login
@event_view(None, login=True)
@require_POST
def agenda_toggle(request: AuthenticatedHttpRequest, ev: Event, guid: UUID) -> HttpResponse:
    """Adds a session to the user's agenda or takes it out; htmx gets the new button back."""
    prog = load_programme(ev)
    session = prog.sessions_by_guid.get(str(guid)) if prog else None
    existing = AgendaItem.objects.filter(user=request.user, event=ev, session_guid=guid)
    action = request.POST.get("action", "")
    if action not in {"add", "remove"}:
        action = "remove" if existing.exists() else "add"
    if action == "add":
        if session is None:
            raise Http404("No such session in the published programme.")
        AgendaItem.objects.get_or_create(user=request.user, event=ev, session_guid=guid)
    else:
        existing.delete()
    in_agenda = action == "add"
    if session is not None:
        fallback = reverse("events:programme:session", kwargs={"event": ev.slug, "slug": session.slug})
    else:
        fallback = reverse("events:programme:agenda", kwargs={"event": ev.slug})
    next_url = _safe_next(request, fallback)
    if request.headers.get("HX-Request") == "true":
        context = {
            "event": ev,
            "guid": str(guid),
            "session": session,
            "in_agenda": in_agenda,
            "next_url": next_url,
            "just_changed": True,
        }
        response = render(request, "programme/_agenda_button.html", context)
        response["Cache-Control"] = "private, no-store"
        return response
    return redirect(next_url)
