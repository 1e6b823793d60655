"""What every export needs: the published version with its metadata, and texts in one language."""

from __future__ import annotations

import re
import unicodedata
import uuid
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from majlis.events.models import Event

from ..models import Person, ProgrammeVersion, SessionKind, SessionSpeaker
from ..published import snapshot_cache_key

# Bump when the output of an export changes, so that cached exports of old code are not served.
EXPORT_FORMAT = 1
GENERATOR = "majlis"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("majlis")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0"


GENERATOR_VERSION = _package_version()


class Published:
    """The newest published version of an event's programme; its snapshot is read on first use.

    Cached exports need only the version number, so they never pay for reading the snapshot.
    """

    def __init__(self, event: Event, number: int, published_at: datetime, note: str) -> None:
        self.event = event
        self.number = number
        self.published_at = published_at
        self.note = note

    @cached_property
    def snapshot(self) -> dict[str, Any]:
        key = snapshot_cache_key(self.event, self.number)
        snapshot = cache.get(key)
        if snapshot is None:
            snapshot = ProgrammeVersion.objects.values_list("snapshot", flat=True).get(
                event=self.event, number=self.number
            )
            cache.set(key, snapshot, timeout=None)
        return snapshot

    @property
    def sessions(self) -> list[dict[str, Any]]:
        return self.snapshot["sessions"]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.snapshot["event"]["time_zone"])


def load_published(event: Event) -> Published | None:
    """The newest version (one query); its snapshot shares the cache entry of ``published_programme``.

    Like ``majlis.programme.published.published_programme`` but also carries the publication time
    and note, which the exports print.
    """
    row = (
        ProgrammeVersion.objects.filter(event=event)
        .order_by("-number")
        .values_list("number", "published_at", "note")
        .first()
    )
    if row is None:
        return None
    number, published_at, note = row
    return Published(event, number, published_at, note)


def tr(texts: dict[str, str] | None, language: str) -> str:
    """A translated text from a snapshot (``{"en": …, "ru": …}``), English when missing."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or ""


def parse_time(value: str, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.fromisoformat(value).astimezone(tz)


def session_dates(published: Published) -> list[date]:
    """The event's days plus any day a session falls on, in order."""
    event = published.snapshot["event"]
    tz = published.tz
    first, last = date.fromisoformat(event["start_date"]), date.fromisoformat(event["end_date"])
    days = {date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)}
    days |= {parse_time(s["starts_at"], tz).date() for s in published.sessions}
    return sorted(days)


# --- People ---------------------------------------------------------------------------------------

_LATIN_OR_CYRILLIC = re.compile(r"^[\s\W\d\u0000-\u024f\u02b0-\u02ff\u0400-\u052f\u1e00-\u1eff]*$")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")


def honorific_label(code: str) -> str:
    if not code:
        return ""
    return str(dict(Person.Honorific.choices).get(code, ""))


def person_name(person: dict[str, Any], language: str) -> str:
    """The name to print: Cyrillic names natively in Russian, Latin otherwise; other scripts added.

    "Zhang Ming (张明)" — readers of any language can read the Latin form; the native form is added
    when it is in a script other than Latin or Cyrillic, so that it is also printed correctly.
    """
    latin = person.get("name_latin") or ""
    native = person.get("name_native") or ""
    if language == "ru" and native and _CYRILLIC.search(native):
        return native
    if native and native != latin and not _LATIN_OR_CYRILLIC.match(native):
        return f"{latin} ({native})" if latin else native
    return latin or native


def person_title(person: dict[str, Any], language: str) -> str:
    """Honorific and name, e.g. "H.E. Vladimir Voronkov"."""
    honorific = honorific_label(person.get("honorific", ""))
    name = person_name(person, language)
    return f"{honorific} {name}" if honorific else name


def person_affiliation(person: dict[str, Any], language: str) -> str:
    parts = [tr(person.get("position"), language)]
    organisation = person.get("organisation")
    if organisation:
        parts.append(tr(organisation.get("acronym"), language) or tr(organisation.get("name"), language))
    return ", ".join(p for p in parts if p)


def role_label(code: str) -> str:
    return str(dict(SessionSpeaker.Role.choices).get(code, code))


def kind_label(code: str) -> str:
    return str(dict(SessionKind.choices).get(code, code))


def appearance_note(appearance: dict[str, Any], language: str) -> str:
    """How the speech is delivered, when that is not simply in person."""
    on_behalf = tr(appearance.get("on_behalf_of"), language)
    notes = []
    delivery = appearance.get("delivery")
    if delivery == SessionSpeaker.Delivery.VIDEO:
        notes.append(_("video message"))
    elif delivery == SessionSpeaker.Delivery.REMOTE_LIVE:
        notes.append(_("remote, live"))
    if on_behalf:
        notes.append(_("address on behalf of %(name)s") % {"name": on_behalf})
    return "; ".join(notes)


def speaker_lines(session: dict[str, Any], people: dict[str, dict[str, Any]], language: str) -> list[str]:
    """One line per appearance, in protocol order: "Chair: H.E. … , position — note"."""
    lines = []
    for appearance in session.get("speakers", []):
        person = people.get(appearance["person"])
        if person is None:
            continue
        line = f"{capfirst(role_label(appearance['role']))}: {person_title(person, language)}"
        affiliation = person_affiliation(person, language)
        if affiliation:
            line += f", {affiliation}"
        note = appearance_note(appearance, language)
        if note:
            line += f" — {note}"
        lines.append(line)
    return lines


def people_by_slug(published: Published) -> dict[str, dict[str, Any]]:
    return {p["slug"]: p for p in published.snapshot.get("people", [])}


def rooms_by_id(published: Published) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in published.snapshot.get("rooms", [])}


def tracks_by_slug(published: Published) -> dict[str, dict[str, Any]]:
    return {t["slug"]: t for t in published.snapshot.get("tracks", [])}


# --- Links ----------------------------------------------------------------------------------------


def session_url_builder(event_slug: str, base_url: str) -> Callable[[str], str]:
    """Absolute URL of a session's public page, or of the programme page while that has no URL."""
    try:
        reverse("events:programme:session", kwargs={"event": event_slug, "slug": "x"})
    except NoReverseMatch:
        fallback = base_url + programme_page_path(event_slug)
        return lambda slug: fallback
    return lambda slug: base_url + reverse("events:programme:session", kwargs={"event": event_slug, "slug": slug})


def programme_page_path(event_slug: str) -> str:
    for name in ("events:programme:programme", "events:programme:index"):
        try:
            return reverse(name, kwargs={"event": event_slug})
        except NoReverseMatch:
            continue
    return reverse("events:home", kwargs={"event": event_slug})


# --- Stable identifiers ---------------------------------------------------------------------------

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://majlis.example/")


def room_guid(event_slug: str, room_id: int | None) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{event_slug}/room/{room_id if room_id is not None else 'none'}"))


def person_guid(slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"person/{slug}"))


def numeric_ids(guids: list[str]) -> dict[str, int]:
    """Positive integers derived from guids, unique among them and stable between versions.

    Collisions are resolved in guid order, so an id only changes if a colliding guid is added.
    """
    taken: set[int] = set()
    result = {}
    for guid in sorted(set(guids)):
        number = int(uuid.UUID(guid).hex[:7], 16) or 1
        while number in taken:
            number += 1
        taken.add(number)
        result[guid] = number
    return result


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")


def acronym(event_slug: str, start_date: str) -> str:
    """A frab conference acronym from the event slug: "tashkent-2022" → "tashkent_2022"."""
    result = ascii_slug(event_slug).replace("-", "_").strip("_")
    if len(result) < 4:
        result = f"{result}_{start_date[:4]}".strip("_")
    return result
