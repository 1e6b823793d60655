"""Freeze the live programme of an event into a plain JSON document.

Every translated text is stored as ``{"en": …, "ru": …, "uz": …}`` with English filled in where a
translation is missing, so readers never query the database for a published programme.
Stream links are private and never part of a snapshot.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model, Prefetch

from majlis.events.models import Event, Organisation

from .models import Person, Session, SessionSpeaker, Track
from .protocol import protocol_order

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def translations(obj: Model, field: str) -> dict[str, str]:
    english = getattr(obj, f"{field}_en", "") or ""
    return {code: getattr(obj, f"{field}_{code}", "") or english for code in LANGUAGE_CODES}


def _organisation(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "id": org.pk,
        "name": translations(org, "name"),
        "acronym": translations(org, "acronym"),
        "kind": org.kind,
        "country": org.country,
    }


def _person(person: Person) -> dict[str, Any]:
    return {
        "slug": person.slug,
        "honorific": person.honorific,
        "name_native": person.name_native,
        "name_latin": person.name_latin,
        "sort_name": person.sort_name or person.name_latin,
        "position": translations(person, "position"),
        "organisation": _organisation(person.organisation),
        "country": person.country,
        "protocol_rank": person.protocol_rank,
        "bio": translations(person, "bio"),
        "has_photo": bool(person.photo),
    }


def live_sessions(event: Event):  # type: ignore[no-untyped-def]
    speakers = SessionSpeaker.objects.select_related("person__organisation")
    return (
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=speakers), "organisers")
        .order_by("starts_at", "room__position", "id")
    )


def build_snapshot(event: Event) -> dict[str, Any]:
    sessions = list(live_sessions(event))
    tracks = Track.objects.filter(event=event).select_related("pillar").order_by("position", "id")
    people: dict[str, dict[str, Any]] = {}
    rooms: dict[int, dict[str, Any]] = {}
    session_rows = []
    for session in sessions:
        ordered = protocol_order(list(session.speakers.all()))
        for appearance in ordered:
            people.setdefault(appearance.person.slug, _person(appearance.person))
        if session.room is not None and session.room.pk not in rooms:
            rooms[session.room.pk] = {
                "id": session.room.pk,
                "name": translations(session.room, "name"),
                "floor": translations(session.room, "floor"),
                "capacity": session.room.capacity,
                "position": session.room.position,
            }
        session_rows.append(
            {
                "guid": str(session.guid),
                "slug": session.slug,
                "kind": session.kind,
                "title": translations(session, "title"),
                "abstract": translations(session, "abstract"),
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "room": session.room.pk if session.room else None,
                "track": session.track.slug if session.track else None,
                "organisers": [_organisation(org) for org in sorted(session.organisers.all(), key=lambda o: o.pk)],
                "capacity": session.capacity,
                "access": session.access,
                "floor_languages": list(session.floor_languages or []),
                "interpretation": list(session.interpretation or []),
                "is_cancelled": session.is_cancelled,
                "speakers": [
                    {
                        "person": a.person.slug,
                        "role": a.role,
                        "delivery": a.delivery,
                        "on_behalf_of": translations(a, "on_behalf_of"),
                    }
                    for a in ordered
                ],
            }
        )
    return {
        "format": 1,
        "event": {
            "slug": event.slug,
            "title": translations(event, "title"),
            "short_title": translations(event, "short_title"),
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "time_zone": event.time_zone,
            "city": translations(event, "city"),
        },
        "tracks": [
            {
                "slug": t.slug,
                "name": translations(t, "name"),
                "colour": t.colour,
                "pillar": t.pillar.number if t.pillar else None,
            }
            for t in tracks
        ],
        "rooms": sorted(rooms.values(), key=lambda r: (r["position"], r["id"])),
        "people": sorted(people.values(), key=lambda p: (p["sort_name"].casefold(), p["slug"])),
        "sessions": session_rows,
    }
