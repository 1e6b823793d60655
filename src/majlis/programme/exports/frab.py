"""The frab / c3voc schedule formats: ``schedule.json`` and ``schedule.xml``.

Read by Giggity, ConfClerk, EventFahrplan, pyfahrplan, recording pipelines and signage players.
Both documents are built from one dictionary, valid against the c3voc JSON schema (draft-06) and
XML schema (see ``shared/reference/c3voc-schedule``).

Decisions:

* Identifiers are stable across versions: events carry the session guid, rooms and people get
  ``uuid5`` guids derived from the event slug and room id, or the person's slug; the legacy integer
  ``id`` is derived from the guid (unique within the schedule).
* Cancelled sessions are left out, as pretalx does: the format has no status field, so readers
  would show a cancelled session as if it took place (and recording pipelines would record it).
  Calendars, which do have a status, get them as STATUS:CANCELLED (see ``ical.py``).
* The same version and language always give the same bytes: everything is ordered explicitly.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET  # noqa: N817 — only builds our own documents; never parses input

from django.utils.translation import gettext as _

from .common import (
    GENERATOR,
    GENERATOR_VERSION,
    Published,
    acronym,
    ascii_slug,
    kind_label,
    numeric_ids,
    parse_time,
    people_by_slug,
    person_guid,
    person_title,
    room_guid,
    session_dates,
    speaker_lines,
    tr,
    tracks_by_slug,
)

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
_TIME_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
_JSON_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
_XML_TRACK_SLUG = re.compile(r"^[a-z][a-z0-9-]+$")


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: Any) -> str:
    """Text for XML: characters XML 1.0 cannot carry (control characters) are dropped."""
    return _XML_ILLEGAL.sub("", str(value))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event_slug(conference: str, number: int, slug: str) -> str:
    """ "tashkent_2022-1234-opening": valid as a c3voc slug in both schemas and unique (it has the id)."""
    return f"{conference}-{number}-{ascii_slug(slug) or 'session'}"


def _room_names(published: Published, language: str) -> dict[int | None, str]:
    """Room names in the language, made unique (readers key rooms by name)."""
    names: dict[int | None, str] = {}
    used: set[str] = set()
    rooms = list(published.snapshot.get("rooms", []))
    for room in rooms:
        name = tr(room["name"], language) or _("Room %(number)s") % {"number": room["id"]}
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name} ({n})", n + 1
        used.add(candidate)
        names[room["id"]] = candidate
    if any(s.get("room") is None or s.get("room") not in names for s in published.sessions):
        name = _("Whole conference")
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name} ({n})", n + 1
        names[None] = candidate
    return names


def build_schedule(
    published: Published,
    *,
    language: str,
    event_slug: str,
    session_url: Callable[[str], str],
    conference_url: str,
) -> dict[str, Any]:
    """The schedule.json document (a dict); ``schedule_xml`` renders the same content as XML."""
    snapshot = published.snapshot
    event = snapshot["event"]
    tz = published.tz
    conference = acronym(event_slug, event["start_date"])
    people = people_by_slug(published)
    tracks = tracks_by_slug(published)
    room_names = _room_names(published, language)
    ids = numeric_ids([s["guid"] for s in published.sessions])
    listed = [s for s in published.sessions if not s.get("is_cancelled")]

    slot = 0
    by_day: dict[date, list[tuple[datetime, datetime, dict[str, Any]]]] = {}
    for session in listed:
        start, end = parse_time(session["starts_at"], tz), parse_time(session["ends_at"], tz)
        slot = math.gcd(slot, start.hour * 60 + start.minute, int((end - start).total_seconds() // 60))
        by_day.setdefault(start.date(), []).append((start, end, session))

    days = []
    for index, day in enumerate(session_dates(published), start=1):
        entries = sorted(by_day.get(day, []), key=lambda e: (e[0], e[2]["guid"]))
        midnight = datetime.combine(day, time(0, 0), tzinfo=tz)
        day_start = min((e[0] for e in entries), default=midnight)
        day_end = max((e[1] for e in entries), default=midnight + timedelta(hours=23, minutes=59))
        rooms: dict[str, list[dict[str, Any]]] = {name: [] for name in room_names.values()}
        for start, end, session in entries:
            room_name = room_names.get(session.get("room"), room_names.get(None, ""))
            rooms[room_name].append(
                _event(session, start, end, room_name, conference, ids, people, tracks, language, session_url)
            )
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": day_end.isoformat(),
                "rooms": rooms,
            }
        )

    track_rows = []
    for track in snapshot.get("tracks", []):
        row = {"name": tr(track["name"], language), "color": track.get("colour") or "#1f4e79"}
        slug = ascii_slug(track["slug"])
        if _JSON_SLUG.match(slug):
            row["slug"] = slug
        track_rows.append(row)

    rooms_by_id = {room["id"]: room for room in snapshot.get("rooms", [])}
    room_rows = []
    for room_id, name in room_names.items():
        room = rooms_by_id.get(room_id) if room_id is not None else None
        room_rows.append(
            {
                "name": name,
                "guid": room_guid(event_slug, room_id),
                "capacity": room.get("capacity") if room else None,
                "description": (tr(room.get("floor"), language) or None) if room else None,
            }
        )

    conference_doc: dict[str, Any] = {
        "acronym": conference,
        "title": tr(event["title"], language),
        "start": event["start_date"],
        "end": event["end_date"],
        "daysCount": len(days),
        "timeslot_duration": _hhmm(min(slot, 60) or 15),
    }
    if _TIME_ZONE_NAME.search(event["time_zone"]):
        conference_doc["time_zone_name"] = event["time_zone"]
    conference_doc.update({"url": conference_url, "tracks": track_rows, "rooms": room_rows, "days": days})

    version = f"v{published.number}"
    if published.note:
        version += f" — {published.note}"
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR, "version": GENERATOR_VERSION},
        "schedule": {"version": version, "conference": conference_doc},
    }


def _event(
    session: dict[str, Any],
    start: datetime,
    end: datetime,
    room_name: str,
    conference: str,
    ids: dict[str, int],
    people: dict[str, dict[str, Any]],
    tracks: dict[str, dict[str, Any]],
    language: str,
    session_url: Callable[[str], str],
) -> dict[str, Any]:
    number = ids[session["guid"]]
    track = tracks.get(session.get("track") or "")
    persons = []
    seen = set()
    for appearance in session.get("speakers", []):
        person = people.get(appearance["person"])
        if person is None or person["slug"] in seen:
            continue
        seen.add(person["slug"])
        guid = person_guid(person["slug"])
        persons.append(
            {
                "id": numeric_ids([guid])[guid],
                "guid": guid,
                "public_name": person_title(person, language),
                "biography": tr(person.get("bio"), language) or None,
            }
        )
    floor = session.get("floor_languages") or []
    minutes = int((end - start).total_seconds() // 60)
    return {
        "guid": session["guid"],
        "id": number,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(),
        "duration": _hhmm(minutes),
        "room": room_name,
        "slug": _event_slug(conference, number, session["slug"]),
        "url": session_url(session["slug"]),
        "title": tr(session["title"], language),
        "subtitle": "",
        "track": tr(track["name"], language) if track else None,
        "type": kind_label(session["kind"]),
        "language": floor[0] if floor else None,
        "abstract": tr(session.get("abstract"), language),
        "description": "\n".join(speaker_lines(session, people, language)),
        "persons": persons,
        "links": [],
        "attachments": [],
    }


def schedule_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def schedule_xml(document: dict[str, Any], *, schedule_url: str = "") -> bytes:
    """The same schedule as frab XML (``schedule.xml.xsd``)."""
    schedule = document["schedule"]
    conference = schedule["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=document["generator"]["name"], version=document["generator"]["version"])
    if schedule_url:
        ET.SubElement(root, "url").text = _x(schedule_url)
    ET.SubElement(root, "version").text = _x(schedule["version"])

    conf = ET.SubElement(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        ET.SubElement(conf, key).text = _x(conference[key])
    ET.SubElement(conf, "days").text = str(conference["daysCount"])
    ET.SubElement(conf, "timeslot_duration").text = conference["timeslot_duration"]
    ET.SubElement(conf, "url").text = _x(conference["url"])
    if "time_zone_name" in conference:
        ET.SubElement(conf, "time_zone_name").text = conference["time_zone_name"]
    for track in conference["tracks"]:
        attributes = {"name": _x(track["name"]), "color": track["color"]}
        if _XML_TRACK_SLUG.match(track.get("slug", "")):
            attributes["slug"] = track["slug"]
        ET.SubElement(conf, "track", attributes)

    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ET.SubElement(
            root, "day", index=str(day["index"]), date=day["date"], start=day["day_start"], end=day["day_end"]
        )
        for room_name, events in day["rooms"].items():
            room_element = ET.SubElement(day_element, "room", name=_x(room_name), guid=guids[room_name])
            for event in events:
                element = ET.SubElement(room_element, "event", id=str(event["id"]), guid=event["guid"])
                for key in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle"):
                    ET.SubElement(element, key).text = _x(event[key])
                ET.SubElement(element, "track").text = _x(event["track"] or "")
                ET.SubElement(element, "type").text = _x(event["type"])
                if event["language"]:
                    ET.SubElement(element, "language").text = _x(event["language"])
                ET.SubElement(element, "abstract").text = _x(event["abstract"] or "")
                ET.SubElement(element, "description").text = _x(event["description"] or "")
                persons = ET.SubElement(element, "persons")
                for person in event["persons"]:
                    person_element = ET.SubElement(persons, "person", id=str(person["id"]), guid=person["guid"])
                    person_element.text = _x(person["public_name"])
                ET.SubElement(element, "links")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
