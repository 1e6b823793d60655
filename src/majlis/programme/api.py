"""The programme API: public reads of the published programme, organiser writes to the draft.

Reads (``/events/{slug}/programme/…``) come from the newest published snapshot only, so they show
exactly what was published and cost the same few queries whatever the size of the programme.
Writes (``/events/{slug}/programme/draft/…`` and publishing a version) need ``programme.edit`` (or,
for the draft, ``programme.draft``: a side-event organiser changes their organisation's sessions only)
from a signed-in session (cookie and CSRF token) or an API token of the event, and go through the
same functions of ``services.py`` as the organisers' pages.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from majlis.core import capabilities
from majlis.core.api_support import MAX_ID, ApiError, Error, IsoDate, ObjectId, not_found
from majlis.events.api_access import event_operation, request_event
from majlis.events.api_tokens import SESSION_OR_TOKEN
from majlis.events.models import Event, Organisation

from . import services
from .changes import in_language, version_history
from .models import Person, Session, SessionKind, SessionSpeaker, Track
from .published import published_programme
from .snapshot import LANGUAGE_CODES

router = Router(tags=["programme"])

READ_ERRORS: dict[int, Any] = {400: Error, 404: Error, 500: Error}
WRITE_ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 500: Error}


def enum_schema(choices: type[Enum], title: str) -> WithJsonSchema:
    """A model's choices as an inline string enum (several models' choice classes share one name)."""
    return WithJsonSchema({"type": "string", "enum": [c.value for c in choices], "title": title})


SessionKindCode = Annotated[SessionKind, enum_schema(SessionKind, "SessionKind")]
SessionAccess = Annotated[Session.Access, enum_schema(Session.Access, "SessionAccess")]
SpeakerRole = Annotated[SessionSpeaker.Role, enum_schema(SessionSpeaker.Role, "SpeakerRole")]
SpeakerDelivery = Annotated[SessionSpeaker.Delivery, enum_schema(SessionSpeaker.Delivery, "SpeakerDelivery")]


# --- Shapes of the published programme ---------------------------------------------------------


class ProgrammeRoomOut(Schema):
    id: int
    name: str
    floor: str
    capacity: int


class ProgrammeTrackOut(Schema):
    slug: str
    name: str
    colour: str
    pillar: int | None


class ProgrammeOrganisationOut(Schema):
    id: int
    name: str
    acronym: str
    kind: str
    country: str


class ProgrammeSpeakerRefOut(Schema):
    position: int = Field(description="Place in the speaking order, from 1.")
    person: str = Field(description="The person's slug (see the speakers endpoints).")
    name: str
    honorific: str
    role: SpeakerRole
    delivery: SpeakerDelivery
    on_behalf_of: str


class ProgrammeSessionOut(Schema):
    guid: UUID
    slug: str
    kind: SessionKindCode
    title: str
    abstract: str
    starts_at: datetime = Field(description="In the event's time zone.")
    ends_at: datetime
    day: date = Field(description="The day the session starts, in the event's time zone.")
    room: ProgrammeRoomOut | None
    track: ProgrammeTrackOut | None
    organisers: list[ProgrammeOrganisationOut]
    capacity: int | None
    access: SessionAccess
    floor_languages: list[str]
    interpretation: list[str]
    is_cancelled: bool
    speakers: list[ProgrammeSpeakerRefOut]


class ProgrammeSessionListOut(Schema):
    version: int | None = Field(description="The published version read; null before the first publication.")
    count: int
    items: list[ProgrammeSessionOut]


class ProgrammeSpeakerOut(Schema):
    slug: str
    honorific: str
    name_latin: str
    name_native: str
    position: str
    organisation: ProgrammeOrganisationOut | None
    country: str
    bio: str


class ProgrammeAppearanceOut(Schema):
    session: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    role: SpeakerRole
    delivery: SpeakerDelivery
    is_cancelled: bool


class ProgrammeSpeakerDetailOut(ProgrammeSpeakerOut):
    sessions: list[ProgrammeAppearanceOut]


class ProgrammeSpeakerListOut(Schema):
    version: int | None
    count: int
    items: list[ProgrammeSpeakerOut]


class ChangeOut(Schema):
    kind: str = Field(description="added, removed, cancelled, reinstated, moved, retitled or speakers.")
    session: UUID
    title: str
    text: str


class VersionOut(Schema):
    number: int
    published_at: datetime
    note: str
    changes: list[ChangeOut] = Field(description="What changed from the version before (empty for the first).")


# --- Shapes of the draft (organisers) ----------------------------------------------------------


class TranslatedIn(Schema):
    en: str | None = Field(None, max_length=4000)
    ru: str | None = Field(None, max_length=4000)
    uz: str | None = Field(None, max_length=4000)


class Translated(Schema):
    en: str
    ru: str
    uz: str


class SessionIn(Schema):
    title: TranslatedIn = Field(description="English is required.")
    abstract: TranslatedIn | None = None
    slug: str = Field("", description="Made from the English title when empty.", max_length=120)
    kind: SessionKindCode
    starts_at: datetime = Field(description="Without an offset: in the event's time zone.")
    ends_at: datetime
    room: ObjectId | None = Field(None, description="A room id of the event's venue.")
    track: str | None = Field(None, description="A track slug of the event.")
    organisers: list[ObjectId] = Field(default_factory=list, description="Organisation ids.")
    capacity: int | None = Field(None, ge=0, le=MAX_ID)
    access: SessionAccess = Session.Access.OPEN
    restricted_to: list[str] = Field(default_factory=list)
    floor_languages: list[str] = Field(default_factory=list)
    interpretation: list[str] = Field(default_factory=list)
    stream_url: str = Field("", max_length=200)
    is_cancelled: bool = False


class SessionPatch(Schema):
    """Only the fields sent are changed."""

    title: TranslatedIn | None = None
    abstract: TranslatedIn | None = None
    slug: str | None = Field(None, max_length=120)
    kind: SessionKindCode | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: ObjectId | None = None
    track: str | None = None
    organisers: list[ObjectId] | None = None
    capacity: int | None = Field(None, ge=0, le=MAX_ID)
    access: SessionAccess | None = None
    restricted_to: list[str] | None = None
    floor_languages: list[str] | None = None
    interpretation: list[str] | None = None
    stream_url: str | None = Field(None, max_length=200)
    is_cancelled: bool | None = None


class CancelIn(Schema):
    cancelled: bool = Field(True, description="false reinstates a cancelled session.")
    reason: str = Field("", max_length=500)


class SpeakerIn(Schema):
    person: str = Field(description="The person's slug.")
    role: SpeakerRole = SessionSpeaker.Role.SPEAKER
    delivery: SpeakerDelivery = SessionSpeaker.Delivery.IN_PERSON
    on_behalf_of: TranslatedIn | None = None
    requested_at: datetime | None = Field(None, description="When the request to speak was registered.")


class PositionIn(Schema):
    position: int | None = Field(description="1 = speaks first; null gives the protocol place back.", ge=1, le=32767)
    reason: str = Field("", max_length=300, description="Required when setting a position.")


class PublishIn(Schema):
    note: str = Field(description="What changed in this version, in a few words.", max_length=500)


class DraftSpeakerOut(Schema):
    id: int
    position: int
    person: str
    name: str
    protocol_rank: int | None
    role: SpeakerRole
    delivery: SpeakerDelivery
    on_behalf_of: Translated
    requested_at: datetime | None
    manual_position: int | None
    override_reason: str
    override_by: str | None
    override_at: datetime | None


class DraftSessionOut(Schema):
    id: int
    guid: UUID
    slug: str
    kind: SessionKindCode
    title: Translated
    abstract: Translated
    starts_at: datetime
    ends_at: datetime
    room: int | None
    track: str | None
    organisers: list[int]
    capacity: int | None
    access: SessionAccess
    restricted_to: list[str]
    floor_languages: list[str]
    interpretation: list[str]
    stream_url: str
    is_cancelled: bool
    editable: bool = Field(description="Whether the caller may change this session.")
    speakers: list[DraftSpeakerOut]


# --- Reading the published snapshot ------------------------------------------------------------


# Who may write to the draft: organisers (programme.edit) and side-event organisers (programme.draft,
# for their own organisation's sessions only: see services.ProgrammeEditor).
DRAFTING = ("programme.edit", "programme.draft")


def _snapshot(request: HttpRequest) -> tuple[int | None, dict[str, Any]]:
    published = published_programme(request_event(request))
    if published is None:
        return None, {}
    return published


def _not_published() -> ApiError:
    return not_found(_("The programme of this event has not been published yet."))


class _Reader:
    """Turns snapshot rows into the API's shapes in the active language."""

    def __init__(self, snapshot: dict[str, Any]):
        self.tz = zoneinfo.ZoneInfo(snapshot.get("event", {}).get("time_zone") or "UTC")
        self.rooms = {room["id"]: room for room in snapshot.get("rooms", [])}
        self.tracks = {track["slug"]: track for track in snapshot.get("tracks", [])}
        self.people = {person["slug"]: person for person in snapshot.get("people", [])}

    def local(self, value: str) -> datetime:
        return datetime.fromisoformat(value).astimezone(self.tz)

    @staticmethod
    def organisation(org: dict[str, Any] | None) -> dict[str, Any] | None:
        if org is None:
            return None
        return {
            "id": org["id"],
            "name": in_language(org["name"]),
            "acronym": in_language(org["acronym"]),
            "kind": org["kind"],
            "country": org["country"],
        }

    def session(self, row: dict[str, Any]) -> dict[str, Any]:
        room = self.rooms.get(row["room"]) if row.get("room") is not None else None
        track = self.tracks.get(row["track"]) if row.get("track") else None
        starts_at = self.local(row["starts_at"])
        return {
            "guid": row["guid"],
            "slug": row["slug"],
            "kind": row["kind"],
            "title": in_language(row["title"]),
            "abstract": in_language(row["abstract"]),
            "starts_at": starts_at,
            "ends_at": self.local(row["ends_at"]),
            "day": starts_at.date(),
            "room": {
                "id": room["id"],
                "name": in_language(room["name"]),
                "floor": in_language(room["floor"]),
                "capacity": room["capacity"],
            }
            if room
            else None,
            "track": {
                "slug": track["slug"],
                "name": in_language(track["name"]),
                "colour": track["colour"],
                "pillar": track["pillar"],
            }
            if track
            else None,
            "organisers": [self.organisation(org) for org in row.get("organisers", [])],
            "capacity": row.get("capacity"),
            "access": row["access"],
            "floor_languages": row.get("floor_languages", []),
            "interpretation": row.get("interpretation", []),
            "is_cancelled": row.get("is_cancelled", False),
            "speakers": [
                {
                    "position": i,
                    "person": speaker["person"],
                    "name": self.people.get(speaker["person"], {}).get("name_latin", speaker["person"]),
                    "honorific": self.people.get(speaker["person"], {}).get("honorific", ""),
                    "role": speaker["role"],
                    "delivery": speaker["delivery"],
                    "on_behalf_of": in_language(speaker["on_behalf_of"]),
                }
                for i, speaker in enumerate(row.get("speakers", []), start=1)
            ],
        }

    def person(self, person: dict[str, Any]) -> dict[str, Any]:
        return {
            "slug": person["slug"],
            "honorific": person.get("honorific", ""),
            "name_latin": person["name_latin"],
            "name_native": person.get("name_native", ""),
            "position": in_language(person.get("position")),
            "organisation": self.organisation(person.get("organisation")),
            "country": person.get("country", ""),
            "bio": in_language(person.get("bio")),
        }


@router.get(
    "/events/{slug}/programme/sessions",
    response={200: ProgrammeSessionListOut, **READ_ERRORS},
    summary="List the sessions of the published programme",
)
@event_operation(None)
def programme_sessions(
    request: HttpRequest,
    slug: str,
    day: IsoDate | None = Query(None, description="Only sessions starting on this day (event's time zone)."),  # noqa: B008
    track: str | None = Query(None, description="Only sessions of this track (its slug)."),  # noqa: B008
    kind: SessionKindCode | None = Query(None, description="Only sessions of this kind."),  # noqa: B008
    room: ObjectId | None = Query(None, description="Only sessions in this room (its id)."),  # noqa: B008
    language: str | None = Query(  # noqa: B008
        None, pattern=r"^[a-z]{2}$", description="Only sessions held in, or interpreted into, this language."
    ),
) -> dict[str, Any]:
    """The sessions of the newest published version in programme order, cancelled ones included (marked).

    Access: public — no sign-in needed. Before the first publication the list is empty and
    ``version`` is null. A draft event answers 404 except to its organisers.
    """
    version, snapshot = _snapshot(request)
    reader = _Reader(snapshot)
    items = []
    for row in snapshot.get("sessions", []):
        if track and row.get("track") != track:
            continue
        if kind and row["kind"] != (kind.value if hasattr(kind, "value") else kind):
            continue
        if room is not None and row.get("room") != room:
            continue
        if (
            language
            and language not in row.get("floor_languages", [])
            and language not in row.get("interpretation", [])
        ):
            continue
        if day and reader.local(row["starts_at"]).date() != day:
            continue
        items.append(reader.session(row))
    return {"version": version, "count": len(items), "items": items}


@router.get(
    "/events/{slug}/programme/sessions/{guid}",
    response={200: ProgrammeSessionOut, **READ_ERRORS},
    summary="Get a session of the published programme",
)
@event_operation(None)
def programme_session(request: HttpRequest, slug: str, guid: UUID) -> dict[str, Any]:
    """One published session with its speakers in speaking order.

    Access: public — no sign-in needed. 404 before the first publication, for a session not in
    the published version, and for a draft event except to its organisers.
    """
    version, snapshot = _snapshot(request)
    if version is None:
        raise _not_published()
    row = next((row for row in snapshot["sessions"] if row["guid"] == str(guid)), None)
    if row is None:
        raise not_found(_("There is no session %(guid)s in the published programme.") % {"guid": guid})
    return _Reader(snapshot).session(row)


@router.get(
    "/events/{slug}/programme/speakers",
    response={200: ProgrammeSpeakerListOut, **READ_ERRORS},
    summary="List the speakers of the published programme",
)
@event_operation(None)
def programme_speakers(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Everyone who takes part in a published session, by sort name.

    Access: public — no sign-in needed. Empty before the first publication.
    """
    version, snapshot = _snapshot(request)
    reader = _Reader(snapshot)
    items = [reader.person(person) for person in snapshot.get("people", [])]
    return {"version": version, "count": len(items), "items": items}


@router.get(
    "/events/{slug}/programme/speakers/{person}",
    response={200: ProgrammeSpeakerDetailOut, **READ_ERRORS},
    summary="Get a speaker of the published programme",
)
@event_operation(None)
def programme_speaker(request: HttpRequest, slug: str, person: str) -> dict[str, Any]:
    """One speaker with the published sessions they take part in.

    Access: public — no sign-in needed. 404 for someone not in the published programme.
    """
    version, snapshot = _snapshot(request)
    reader = _Reader(snapshot)
    if version is None:
        raise _not_published()
    if person not in reader.people:
        raise not_found(_("There is no speaker “%(person)s” in the published programme.") % {"person": person})
    sessions = []
    for row in snapshot["sessions"]:
        for speaker in row.get("speakers", []):
            if speaker["person"] == person:
                sessions.append(
                    {
                        "session": row["guid"],
                        "title": in_language(row["title"]),
                        "starts_at": reader.local(row["starts_at"]),
                        "ends_at": reader.local(row["ends_at"]),
                        "role": speaker["role"],
                        "delivery": speaker["delivery"],
                        "is_cancelled": row["is_cancelled"],
                    }
                )
    return {**reader.person(reader.people[person]), "sessions": sessions}


def _version_out(item: dict[str, Any]) -> dict[str, Any]:
    version = item["version"]
    return {
        "number": version.number,
        "published_at": version.published_at,
        "note": version.note,
        "changes": []
        if item["first"]
        else [
            {"kind": line.kind, "session": line.session_guid, "title": line.session_title, "text": line.text}
            for line in item["lines"]
        ],
    }


@router.get(
    "/events/{slug}/programme/versions",
    response={200: list[VersionOut], **READ_ERRORS},
    summary="List the published versions of the programme",
)
@event_operation(None)
def programme_versions(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Every published version, newest first, with its note and what changed from the version before.

    Access: public — no sign-in needed. Empty before the first publication.
    """
    return [_version_out(item) for item in version_history(request_event(request))]


# --- Writing the draft -------------------------------------------------------------------------


def _invalid(exc: ValidationError, prefix: str = "body") -> ApiError:
    if hasattr(exc, "error_dict"):
        items = [
            {"loc": [prefix] if field == NON_FIELD_ERRORS else [prefix, field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        items = [{"loc": [prefix], "msg": message} for message in exc.messages]
    parts = [f"{'.'.join(str(p) for p in item['loc'][1:]) or prefix}: {item['msg']}" for item in items]
    return ApiError(400, _("Invalid data. %(problems)s") % {"problems": "; ".join(parts)}, "invalid_data", items)


def _editable_event(request: HttpRequest) -> tuple[Event, services.ProgrammeEditor]:
    """The event ``event_operation`` resolved, and what the caller may change in its programme.

    Whoever holds ``programme.edit`` (an organiser, or an API token with that scope) changes
    everything; a side-event organiser only their organisation's sessions.
    """
    event = request_event(request)
    if capabilities.has(request.user, "programme.edit", event):
        return event, services.ProgrammeEditor(user=request.user, full=True)
    editor = services.programme_editor(request.user, event)
    if editor is None:
        raise ApiError(403, _("Only the organisers of this event may change its programme."), "forbidden")
    return event, editor


def _draft_session(event: Event, guid: UUID, editor: services.ProgrammeEditor, edit: bool = True) -> Session:
    session = (
        Session.objects.filter(event=event, guid=guid)
        .select_related("event", "room", "track")
        .prefetch_related("organisers")
        .first()
    )
    if session is None:
        raise not_found(_("There is no session %(guid)s in the draft programme.") % {"guid": guid})
    if edit and not editor.can_edit(session):
        raise ApiError(403, _("Your organisation does not organise this session."), "forbidden")
    return session


def _translated(obj: Any, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in LANGUAGE_CODES}


def _draft_speaker(appearance: SessionSpeaker, position: int) -> dict[str, Any]:
    return {
        "id": appearance.pk,
        "position": position,
        "person": appearance.person.slug,
        "name": appearance.person.name_latin,
        "protocol_rank": appearance.person.protocol_rank,
        "role": appearance.role,
        "delivery": appearance.delivery,
        "on_behalf_of": _translated(appearance, "on_behalf_of"),
        "requested_at": appearance.requested_at,
        "manual_position": appearance.manual_position,
        "override_reason": appearance.override_reason,
        "override_by": appearance.override_by.get_username() if appearance.override_by else None,
        "override_at": appearance.override_at,
    }


def _draft_session_out(session: Session, editor: services.ProgrammeEditor) -> dict[str, Any]:
    session = Session.objects.select_related("room", "track").prefetch_related("organisers").get(pk=session.pk)
    speakers = services.speakers_in_order(session)
    return {
        "id": session.pk,
        "guid": session.guid,
        "slug": session.slug,
        "kind": session.kind,
        "title": _translated(session, "title"),
        "abstract": _translated(session, "abstract"),
        "starts_at": timezone.localtime(session.starts_at, session.event.tz),
        "ends_at": timezone.localtime(session.ends_at, session.event.tz),
        "room": session.room_id,
        "track": session.track.slug if session.track else None,
        "organisers": sorted(org.pk for org in session.organisers.all()),
        "capacity": session.capacity,
        "access": session.access,
        "restricted_to": list(session.restricted_to or []),
        "floor_languages": list(session.floor_languages or []),
        "interpretation": list(session.interpretation or []),
        "stream_url": session.stream_url,
        "is_cancelled": session.is_cancelled,
        "editable": editor.can_edit(session),
        "speakers": [_draft_speaker(a, i) for i, a in enumerate(speakers, start=1)],  # type: ignore[arg-type]
    }


def _aware(value: datetime, event: Event) -> datetime:
    return timezone.make_aware(value, event.tz) if timezone.is_naive(value) else value


def _session_data(event: Event, payload: dict[str, Any]) -> dict[str, Any]:
    """API input -> the data services.create_session / update_session take (models for ids)."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in ("title", "abstract"):
        if payload.get(field) is not None:
            for code, text in payload[field].items():
                if text is not None:
                    data[f"{field}_{code}"] = text
    for field in (
        "slug",
        "capacity",
        "restricted_to",
        "floor_languages",
        "interpretation",
        "stream_url",
        "is_cancelled",
    ):
        if field in payload:
            data[field] = payload[field]
    if data.get("slug") is None:
        data.pop("slug", None)
    if data.get("stream_url") is None and "stream_url" in data:
        data["stream_url"] = ""
    for field in ("kind", "access"):
        if payload.get(field) is not None:
            value = payload[field]
            data[field] = value.value if hasattr(value, "value") else value
    for field in ("starts_at", "ends_at"):
        if payload.get(field) is not None:
            data[field] = _aware(payload[field], event)
    if "room" in payload:
        if payload["room"] is None:
            data["room"] = None
        else:
            room = services.allowed_rooms(event).filter(pk=payload["room"]).first()
            if room is None:
                errors["room"] = [_("There is no room %(id)s at this event's venue.") % {"id": payload["room"]}]
            data["room"] = room
    if "track" in payload:
        if not payload["track"]:
            data["track"] = None
        else:
            track = Track.objects.filter(event=event, slug=payload["track"]).first()
            if track is None:
                errors["track"] = [_("This event has no track “%(slug)s”.") % {"slug": payload["track"]}]
            data["track"] = track
    if payload.get("organisers") is not None:
        ids = list(dict.fromkeys(payload["organisers"]))
        organisers = list(Organisation.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {org.pk for org in organisers})
        if missing:
            errors["organisers"] = [
                _("Unknown organisation ids: %(ids)s") % {"ids": ", ".join(str(pk) for pk in missing)}
            ]
        data["organisers"] = organisers
    if errors:
        raise _invalid(ValidationError(errors))
    return data


@router.get(
    "/events/{slug}/programme/draft/sessions",
    response={200: list[DraftSessionOut], **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="List the sessions of the draft programme",
)
@event_operation(DRAFTING)
def draft_sessions(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Every session of the draft (unpublished changes included), with stream links and override details.

    Access: signed-in people who may change the event's programme; ``editable`` says which
    sessions the caller may change.
    """
    event, editor = _editable_event(request)
    sessions = Session.objects.filter(event=event).select_related("event").order_by("starts_at", "id")
    return [_draft_session_out(session, editor) for session in sessions]


@router.get(
    "/events/{slug}/programme/draft/sessions/{guid}",
    response={200: DraftSessionOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Get a session of the draft programme",
)
@event_operation(DRAFTING)
def draft_session(request: HttpRequest, slug: str, guid: UUID) -> dict[str, Any]:
    """One draft session with its speakers in speaking order. Access: as for the draft list."""
    event, editor = _editable_event(request)
    return _draft_session_out(_draft_session(event, guid, editor, edit=False), editor)


@router.post(
    "/events/{slug}/programme/draft/sessions",
    response={201: DraftSessionOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Add a session to the draft programme",
)
@event_operation(DRAFTING)
def draft_session_create(request: HttpRequest, slug: str, payload: SessionIn) -> Status[dict[str, Any]]:
    """Adds a session; it is public only after the next publication.

    Access: signed-in organisers; a side-event organiser's sessions always include their organisation.
    """
    event, editor = _editable_event(request)
    data = _session_data(event, payload.dict())
    try:
        session = services.create_session(event, actor=request.user, data=data, editor=editor, request=request)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _draft_session_out(session, editor))


@router.patch(
    "/events/{slug}/programme/draft/sessions/{guid}",
    response={200: DraftSessionOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Change a session of the draft programme",
)
@event_operation(DRAFTING)
def draft_session_update(request: HttpRequest, slug: str, guid: UUID, payload: SessionPatch) -> dict[str, Any]:
    """Changes the fields sent, and only those. Access: organisers; side-event organisers for their sessions."""
    event, editor = _editable_event(request)
    session = _draft_session(event, guid, editor)
    data = _session_data(event, payload.dict(exclude_unset=True))
    try:
        session = services.update_session(session, actor=request.user, data=data, editor=editor, request=request)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _draft_session_out(session, editor)


@router.post(
    "/events/{slug}/programme/draft/sessions/{guid}/cancel",
    response={200: DraftSessionOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Cancel or reinstate a session",
)
@event_operation(DRAFTING)
def draft_session_cancel(request: HttpRequest, slug: str, guid: UUID, payload: CancelIn) -> dict[str, Any]:
    """A cancelled session stays in the programme, marked cancelled. Access: as for changing a session."""
    event, editor = _editable_event(request)
    session = _draft_session(event, guid, editor)
    session = services.cancel_session(
        session, actor=request.user, cancelled=payload.cancelled, reason=payload.reason, request=request
    )
    return _draft_session_out(session, editor)


@router.post(
    "/events/{slug}/programme/draft/sessions/{guid}/speakers",
    response={201: DraftSpeakerOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Add a speaker to a session",
)
@event_operation(DRAFTING)
def draft_speaker_add(request: HttpRequest, slug: str, guid: UUID, payload: SpeakerIn) -> Status[dict[str, Any]]:
    """Adds someone to a session; their place follows protocol order. Access: as for changing a session."""
    event, editor = _editable_event(request)
    session = _draft_session(event, guid, editor)
    person = Person.objects.filter(slug=payload.person).first()
    if person is None:
        raise _invalid(ValidationError({"person": [_("There is no person “%(slug)s”.") % {"slug": payload.person}]}))
    on_behalf_of = payload.on_behalf_of.dict() if payload.on_behalf_of else None
    try:
        appearance = services.add_speaker(
            session,
            actor=request.user,
            person=person,
            role=payload.role,
            delivery=payload.delivery,
            on_behalf_of={code: text or "" for code, text in on_behalf_of.items()} if on_behalf_of else None,
            requested_at=_aware(payload.requested_at, event) if payload.requested_at else None,
            request=request,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    ordered = services.speakers_in_order(session)
    position = next(i for i, a in enumerate(ordered, start=1) if a.pk == appearance.pk)
    return Status(201, _draft_speaker(ordered[position - 1], position))


def _appearance(session: Session, speaker_id: int) -> SessionSpeaker:
    appearance = SessionSpeaker.objects.filter(session=session, pk=speaker_id).select_related("person").first()
    if appearance is None:
        raise not_found(_("This session has no speaker %(id)s.") % {"id": speaker_id})
    return appearance


@router.delete(
    "/events/{slug}/programme/draft/sessions/{guid}/speakers/{speaker_id}",
    response={204: None, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Remove a speaker from a session",
)
@event_operation(DRAFTING)
def draft_speaker_remove(request: HttpRequest, slug: str, guid: UUID, speaker_id: ObjectId) -> Status[None]:
    """Access: as for changing a session."""
    event, editor = _editable_event(request)
    session = _draft_session(event, guid, editor)
    services.remove_speaker(_appearance(session, speaker_id), actor=request.user, request=request)
    return Status(204, None)


@router.put(
    "/events/{slug}/programme/draft/sessions/{guid}/speakers/{speaker_id}/position",
    response={200: list[DraftSpeakerOut], **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Place a speaker by hand, or back in protocol order",
)
@event_operation(DRAFTING)
def draft_speaker_position(
    request: HttpRequest, slug: str, guid: UUID, speaker_id: ObjectId, payload: PositionIn
) -> list[dict[str, Any]]:
    """Sets the speaker's place (1 = first) with the reason, recorded with who and when; ``null`` restores
    the protocol place. Answers the session's speakers in the new order. Access: as for changing a session.
    """
    event, editor = _editable_event(request)
    session = _draft_session(event, guid, editor)
    appearance = _appearance(session, speaker_id)
    try:
        services.reorder_speaker(
            appearance, payload.position, actor=request.user, reason=payload.reason, request=request
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return [_draft_speaker(a, i) for i, a in enumerate(services.speakers_in_order(session), start=1)]  # type: ignore[arg-type]


@router.post(
    "/events/{slug}/programme/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Publish the draft as the next version",
)
@event_operation("programme.edit")
def programme_publish(request: HttpRequest, slug: str, payload: PublishIn) -> Status[dict[str, Any]]:
    """Freezes the draft as the next immutable version, which the public reads from then on.

    Access: signed-in organisers of the event (not side-event organisers).
    """
    event, editor = _editable_event(request)
    if not editor.can_publish:
        raise ApiError(403, _("Only the organisers of this event may publish its programme."), "forbidden")
    try:
        services.publish_programme(event, actor=request.user, note=payload.note, request=request)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _version_out(version_history(event)[0]))
