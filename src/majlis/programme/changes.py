"""What changed between two programme snapshots, matched by the sessions' stable guids.

``diff_snapshots(old, new)`` compares two snapshot documents (see ``snapshot.py``; ``old`` is
None before the first publication) and ``describe(changes)`` turns the result into lines in the
active language, times in the event's time zone. Both work on snapshots only: no queries.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from majlis.core.templatetags.majlis_tags import format_day

from .models import Person, SessionKind, SessionSpeaker

Row = dict[str, Any]


@dataclass(frozen=True)
class Move:
    session: Row
    before: Row

    @property
    def time_changed(self) -> bool:
        return _instant(self.session["starts_at"]) != _instant(self.before["starts_at"]) or _instant(
            self.session["ends_at"]
        ) != _instant(self.before["ends_at"])

    @property
    def room_changed(self) -> bool:
        return self.session.get("room") != self.before.get("room")


@dataclass(frozen=True)
class Retitle:
    session: Row
    before: dict[str, str]
    after: dict[str, str]


@dataclass
class SpeakerChanges:
    session: Row
    added: list[tuple[str, str]] = field(default_factory=list)  # (person slug, role)
    removed: list[tuple[str, str]] = field(default_factory=list)
    role_changes: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # slug, before, after


@dataclass
class ProgrammeChanges:
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    cancelled: list[Row] = field(default_factory=list)
    reinstated: list[Row] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    retitled: list[Retitle] = field(default_factory=list)
    speakers: list[SpeakerChanges] = field(default_factory=list)
    old: Mapping[str, Any] | None = None
    new: Mapping[str, Any] | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.added, self.removed, self.cancelled, self.reinstated, self.moved, self.retitled, self.speakers)
        )

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.added,
                self.removed,
                self.cancelled,
                self.reinstated,
                self.moved,
                self.retitled,
                self.speakers,
            )
        )


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _roles_by_person(row: Row) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = defaultdict(list)
    for speaker in row.get("speakers", []):
        roles[speaker["person"]].append(speaker["role"])
    return {slug: sorted(values) for slug, values in roles.items()}


def diff_snapshots(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> ProgrammeChanges:
    """The changes that turn ``old`` into ``new`` (every session is "added" when ``old`` is None)."""
    changes = ProgrammeChanges(old=old, new=new)
    before = {row["guid"]: row for row in (old or {}).get("sessions", [])}
    after = {row["guid"]: row for row in new.get("sessions", [])}
    for guid, row in after.items():
        previous = before.get(guid)
        if previous is None:
            changes.added.append(row)
            continue
        if row.get("is_cancelled") and not previous.get("is_cancelled"):
            changes.cancelled.append(row)
        elif previous.get("is_cancelled") and not row.get("is_cancelled"):
            changes.reinstated.append(row)
        move = Move(session=row, before=previous)
        if move.time_changed or move.room_changed:
            changes.moved.append(move)
        if row.get("title") != previous.get("title"):
            changes.retitled.append(Retitle(session=row, before=previous.get("title") or {}, after=row["title"]))
        speakers = _speaker_changes(previous, row)
        if speakers is not None:
            changes.speakers.append(speakers)
    changes.removed = [row for guid, row in before.items() if guid not in after]
    return changes


def _speaker_changes(previous: Row, row: Row) -> SpeakerChanges | None:
    old_roles, new_roles = _roles_by_person(previous), _roles_by_person(row)
    result = SpeakerChanges(session=row)
    for slug, roles in new_roles.items():
        if slug not in old_roles:
            result.added.extend((slug, role) for role in roles)
        elif roles != old_roles[slug]:
            result.role_changes.append((slug, old_roles[slug], roles))
    for slug, roles in old_roles.items():
        if slug not in new_roles:
            result.removed.extend((slug, role) for role in roles)
    if result.added or result.removed or result.role_changes:
        return result
    return None


# --- In words ----------------------------------------------------------------------------------


def in_language(value: Any, language: str | None = None) -> str:
    """One language of a {"en": …, "ru": …, "uz": …} text, falling back to English."""
    if not isinstance(value, Mapping):
        return "" if value is None else str(value)
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or ""


@dataclass(frozen=True)
class ChangeLine:
    kind: str  # added, removed, cancelled, reinstated, moved, retitled, speakers
    session_guid: str
    session_title: str
    text: str


class _Words:
    """Names of rooms, people and roles, and times, as one snapshot has them."""

    def __init__(self, snapshot: Mapping[str, Any] | None, fallback: Mapping[str, Any] | None = None):
        snapshot = snapshot or {}
        self.rooms = {room["id"]: room for room in (fallback or {}).get("rooms", [])}
        self.rooms.update({room["id"]: room for room in snapshot.get("rooms", [])})
        self.people = {p["slug"]: p for p in (fallback or {}).get("people", [])}
        self.people.update({p["slug"]: p for p in snapshot.get("people", [])})
        event = snapshot.get("event") or (fallback or {}).get("event") or {}
        self.tz = zoneinfo.ZoneInfo(event.get("time_zone") or "UTC")

    def room(self, room_id: int | None) -> str:
        if room_id is None or room_id not in self.rooms:
            return _("no room")
        return in_language(self.rooms[room_id]["name"])

    def person(self, slug: str) -> str:
        person = self.people.get(slug)
        if person is None:
            return slug
        honorific = person.get("honorific") or ""
        label = str(Person.Honorific(honorific).label) if honorific in Person.Honorific.values and honorific else ""
        return f"{label} {person['name_latin']}".strip()

    def when(self, row: Row) -> str:
        start = _instant(row["starts_at"]).astimezone(self.tz)
        end = _instant(row["ends_at"]).astimezone(self.tz)
        if start.date() == end.date():
            return f"{format_day(start.date())}, {start:%H:%M}–{end:%H:%M}"
        return f"{format_day(start.date())}, {start:%H:%M} – {format_day(end.date())}, {end:%H:%M}"

    def place(self, row: Row) -> str:
        return f"{self.when(row)}, {self.room(row.get('room'))}"


def _role(code: str) -> str:
    return str(SessionSpeaker.Role(code).label) if code in SessionSpeaker.Role.values else code


def _roles(codes: list[str]) -> str:
    return ", ".join(_role(code) for code in codes)


def _kind(code: str) -> str:
    return str(SessionKind(code).label) if code in SessionKind.values else code


def describe(changes: ProgrammeChanges) -> list[ChangeLine]:
    """The changes in words, in the active language, session by session in programme order."""
    new_words = _Words(changes.new, fallback=changes.old)
    old_words = _Words(changes.old, fallback=changes.new)
    lines: list[ChangeLine] = []

    def line(kind: str, row: Row, text: str) -> None:
        lines.append(ChangeLine(kind, row["guid"], in_language(row.get("title")), text))

    for row in changes.added:
        line("added", row, _("New %(kind)s: %(place)s.") % {"kind": _kind(row["kind"]), "place": new_words.place(row)})
    for row in changes.removed:
        line("removed", row, _("Removed from the programme (was %(place)s).") % {"place": old_words.place(row)})
    for row in changes.cancelled:
        line("cancelled", row, _("Cancelled."))
    for row in changes.reinstated:
        line("reinstated", row, _("No longer cancelled: it takes place as planned."))
    for move in changes.moved:
        if move.time_changed and move.room_changed:
            text = _("Moved from %(before)s to %(after)s.") % {
                "before": old_words.place(move.before),
                "after": new_words.place(move.session),
            }
        elif move.time_changed:
            text = _("New time: %(after)s (was %(before)s).") % {
                "before": old_words.when(move.before),
                "after": new_words.when(move.session),
            }
        else:
            text = _("New room: %(after)s (was %(before)s).") % {
                "before": old_words.room(move.before.get("room")),
                "after": new_words.room(move.session.get("room")),
            }
        line("moved", move.session, text)
    for retitle in changes.retitled:
        line(
            "retitled",
            retitle.session,
            _("New title (was “%(before)s”).") % {"before": in_language(retitle.before)},
        )
    for change in changes.speakers:
        for slug, role in change.added:
            line(
                "speakers",
                change.session,
                _("%(person)s added as %(role)s.")
                % {
                    "person": new_words.person(slug),
                    "role": _role(role),
                },
            )
        for slug, role in change.removed:
            line(
                "speakers",
                change.session,
                _("%(person)s no longer takes part as %(role)s.")
                % {
                    "person": old_words.person(slug),
                    "role": _role(role),
                },
            )
        for slug, before, after in change.role_changes:
            line(
                "speakers",
                change.session,
                _("%(person)s now takes part as %(after)s (was %(before)s).")
                % {
                    "person": new_words.person(slug),
                    "before": _roles(before),
                    "after": _roles(after),
                },
            )
    order = {row["guid"]: i for i, row in enumerate((changes.new or {}).get("sessions", []))}
    kinds = ["added", "removed", "cancelled", "reinstated", "moved", "retitled", "speakers"]
    lines.sort(key=lambda item: (order.get(item.session_guid, len(order)), kinds.index(item.kind)))
    return lines


def version_history(event: Any) -> list[dict[str, Any]]:
    """Every published version, newest first, with its changes from the one before (one query)."""
    from .models import ProgrammeVersion

    fields = ("number", "published_at", "note", "snapshot")
    versions = list(ProgrammeVersion.objects.filter(event=event).order_by("number").only(*fields))
    history = []
    previous = None
    for version in versions:
        changes = diff_snapshots(previous.snapshot if previous else None, version.snapshot)
        history.append({"version": version, "changes": changes, "lines": describe(changes), "first": previous is None})
        previous = version
    history.reverse()
    return history
