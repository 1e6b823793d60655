"""Problems in an event's draft programme that organisers should look at before publishing.

``programme_warnings(event)`` reads the whole draft in three queries, whatever its size, and
returns warnings in the active language. Cancelled sessions are left out of every check.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from majlis.events.models import Event

from .models import Session, SessionSpeaker


class WarningKind:
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    OUTSIDE_EVENT_DAYS = "outside_event_days"
    CAPACITY_ABOVE_ROOM = "capacity_above_room"
    SPEAKER_UNRANKED = "speaker_unranked"


@dataclass(frozen=True)
class ProgrammeWarning:
    kind: str
    message: str
    session_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()


@dataclass
class _Slot:
    session: Session
    start: datetime
    end: datetime


def _local(value: datetime, event: Event) -> str:
    return date_format(timezone.localtime(value, event.tz), "SHORT_DATETIME_FORMAT")


def _overlapping_pairs(slots: list[_Slot]) -> list[tuple[_Slot, _Slot]]:
    """Every pair of slots whose times overlap (touching ends do not), in start order."""
    ordered = sorted(slots, key=lambda s: (s.start, s.end, s.session.pk))
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start >= first.end:
                break
            pairs.append((first, second))
    return pairs


def draft_sessions(event: Event) -> list[Session]:
    """The draft's sessions with rooms, speakers and people: three queries."""
    speakers = SessionSpeaker.objects.select_related("person")
    return list(
        Session.objects.filter(event=event)
        .select_related("room")
        .prefetch_related(Prefetch("speakers", queryset=speakers))
        .order_by("starts_at", "room__position", "id")
    )


def programme_warnings(event: Event, sessions: list[Session] | None = None) -> list[ProgrammeWarning]:
    """Everything that looks wrong in the draft programme of ``event``."""
    if sessions is None:
        sessions = draft_sessions(event)
    live = [s for s in sessions if not s.is_cancelled]
    warnings: list[ProgrammeWarning] = []

    # A person in two sessions at once.
    by_person: dict[int, list[_Slot]] = defaultdict(list)
    people = {}
    for session in live:
        seen: set[int] = set()
        for appearance in session.speakers.all():
            if appearance.person_id in seen:
                continue
            seen.add(appearance.person_id)
            people[appearance.person_id] = appearance.person
            by_person[appearance.person_id].append(_Slot(session, session.starts_at, session.ends_at))
    for person_id, slots in by_person.items():
        for first, second in _overlapping_pairs(slots):
            warnings.append(
                ProgrammeWarning(
                    WarningKind.PERSON_DOUBLE_BOOKED,
                    _("%(person)s is in two sessions at the same time: “%(first)s” and “%(second)s”.")
                    % {"person": people[person_id], "first": first.session.title, "second": second.session.title},
                    session_ids=(first.session.pk, second.session.pk),
                    person_ids=(person_id,),
                )
            )

    # Two sessions in one room at once.
    by_room: dict[int, list[_Slot]] = defaultdict(list)
    for session in live:
        if session.room_id is not None:
            by_room[session.room_id].append(_Slot(session, session.starts_at, session.ends_at))
    for slots in by_room.values():
        for first, second in _overlapping_pairs(slots):
            warnings.append(
                ProgrammeWarning(
                    WarningKind.ROOM_DOUBLE_BOOKED,
                    _("“%(first)s” and “%(second)s” are in %(room)s at the same time.")
                    % {
                        "first": first.session.title,
                        "second": second.session.title,
                        "room": getattr(first.session.room, "name", ""),
                    },
                    session_ids=(first.session.pk, second.session.pk),
                )
            )

    # Sessions outside the event's days, in the event's time zone.
    for session in live:
        start_day = timezone.localtime(session.starts_at, event.tz).date()
        end_day = timezone.localtime(session.ends_at, event.tz).date()
        if start_day < event.start_date or end_day > event.end_date:
            warnings.append(
                ProgrammeWarning(
                    WarningKind.OUTSIDE_EVENT_DAYS,
                    _("“%(session)s” (%(start)s – %(end)s) is outside the days of the event.")
                    % {
                        "session": session.title,
                        "start": _local(session.starts_at, event),
                        "end": _local(session.ends_at, event),
                    },
                    session_ids=(session.pk,),
                )
            )

    # More places than the room has seats.
    for session in live:
        if session.room is not None and session.capacity is not None and session.capacity > session.room.capacity:
            warnings.append(
                ProgrammeWarning(
                    WarningKind.CAPACITY_ABOVE_ROOM,
                    _("“%(session)s” offers %(capacity)d places but %(room)s has only %(seats)d seats.")
                    % {
                        "session": session.title,
                        "capacity": session.capacity,
                        "room": session.room.name,
                        "seats": session.room.capacity,
                    },
                    session_ids=(session.pk,),
                )
            )

    # Speakers whose place in protocol order cannot be worked out.
    for session in live:
        for appearance in session.speakers.all():
            if appearance.person.protocol_rank is None:
                warnings.append(
                    ProgrammeWarning(
                        WarningKind.SPEAKER_UNRANKED,
                        _("%(person)s has no protocol rank, so speaks last in “%(session)s”.")
                        % {"person": appearance.person, "session": session.title},
                        session_ids=(session.pk,),
                        person_ids=(appearance.person_id,),
                    )
                )
    return warnings


def group_by_session(warnings: list[ProgrammeWarning]) -> dict[int, list[ProgrammeWarning]]:
    grouped: dict[int, list[ProgrammeWarning]] = defaultdict(list)
    for warning in warnings:
        for session_id in warning.session_ids:
            grouped[session_id].append(warning)
    return dict(grouped)
