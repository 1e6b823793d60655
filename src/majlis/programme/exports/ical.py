"""iCalendar (RFC 5545) exports of a published programme: all of it, one session, or an agenda.

* UID ``<session guid>@majlis`` never changes, so calendar applications update events in place;
  SEQUENCE is the version number and DTSTAMP the publication time of the version.
* Times are local to the event with a VTIMEZONE, so that calendars show them correctly even when
  the participant's device is set to another time zone.
* Cancelled sessions stay in the calendar with STATUS:CANCELLED (that is how a calendar learns to
  remove or strike them) and their summary says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date
from typing import Any

import icalendar
from django.utils.translation import gettext as _

from .common import (
    Published,
    kind_label,
    parse_time,
    people_by_slug,
    rooms_by_id,
    speaker_lines,
    tr,
    tracks_by_slug,
)

PRODID = "-//Majlis//Majlis programme//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def build_calendar(
    published: Published,
    sessions: Iterable[dict[str, Any]],
    *,
    language: str,
    calendar_name: str,
    session_url: Callable[[str], str],
    venue_name: str = "",
) -> bytes:
    """The iCalendar bytes (CRLF lines folded at 75 octets) for ``sessions`` of ``published``."""
    snapshot = published.snapshot
    tz = published.tz
    people = people_by_slug(published)
    rooms = rooms_by_id(published)
    tracks = tracks_by_slug(published)
    stamp = published.published_at.astimezone(UTC).replace(microsecond=0)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", tz.key)
    calendar.add("x-wr-caldesc", tr(snapshot["event"]["title"], language))

    days: list[date] = []
    for session in sessions:
        start, end = parse_time(session["starts_at"], tz), parse_time(session["ends_at"], tz)
        days += [start.date(), end.date()]
        title = tr(session["title"], language)
        track = tracks.get(session.get("track") or "")
        room_id = session.get("room")
        room = rooms.get(room_id) if room_id is not None else None

        event = icalendar.Event()
        event.add("uid", f"{session['guid']}@majlis")
        event.add("dtstamp", stamp)
        event.add("sequence", published.number)
        event.add("dtstart", start)
        event.add("dtend", end)
        if session.get("is_cancelled"):
            event.add("summary", _("Cancelled: %(title)s") % {"title": title})
            event.add("status", "CANCELLED")
        else:
            event.add("summary", title)
            event.add("status", "CONFIRMED")
        description = _description(session, people, language, track)
        if description:
            event.add("description", description)
        location = ", ".join(part for part in (tr(room["name"], language) if room else "", venue_name) if part)
        if location:
            event.add("location", location)
        categories = [kind_label(session["kind"])] + ([tr(track["name"], language)] if track else [])
        event.add("categories", categories)
        event.add("url", session_url(session["slug"]))
        event.add("transp", "OPAQUE")
        calendar.add_component(event)

    if days:
        first, last = min(days), max(days)
        calendar.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))
    return calendar.to_ical()


def _description(
    session: dict[str, Any], people: dict[str, dict[str, Any]], language: str, track: dict[str, Any] | None
) -> str:
    parts = []
    if session.get("is_cancelled"):
        parts.append(_("This session has been cancelled."))
    abstract = tr(session.get("abstract"), language).strip()
    if abstract:
        parts.append(abstract)
    if track:
        parts.append(_("Track: %(track)s") % {"track": tr(track["name"], language)})
    lines = speaker_lines(session, people, language)
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
