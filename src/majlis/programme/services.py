"""Every change to a programme: one transactional, audited function each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from majlis.core import audit, capabilities
from majlis.core.signals import send_on_commit
from majlis.events.models import Event, EventRole, Organisation, Room

from . import signals
from .models import Person, ProgrammeVersion, Session, SessionSpeaker
from .protocol import protocol_order
from .signals import session_access_changed, session_capacity_grew, session_deleting
from .snapshot import LANGUAGE_CODES, build_snapshot


@transaction.atomic
def publish_programme(event: Event, *, actor: Any, note: str, request: Any = None) -> ProgrammeVersion:
    """Freeze the current draft as the next immutable version."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words what changed in this version.")})
    # Lock the event row so that two organisers publishing at once get consecutive numbers.
    Event.objects.select_for_update().get(pk=event.pk)
    last = ProgrammeVersion.objects.filter(event=event).aggregate(last=Max("number"))["last"] or 0
    version = ProgrammeVersion.objects.create(
        event=event,
        number=last + 1,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:500],
        snapshot=build_snapshot(event),
    )
    audit.record(
        "programme.published",
        actor=actor,
        obj=version,
        event_slug=event.slug,
        reason=note,
        request=request,
        version=version.number,
        sessions=len(version.snapshot["sessions"]),
    )
    send_on_commit(signals.programme_published, ProgrammeVersion, event=event, version=version, actor=actor)
    return version


@transaction.atomic
def set_manual_position(
    appearance: SessionSpeaker, position: int | None, *, actor: Any, reason: str, request: Any = None
) -> SessionSpeaker:
    """Place a speaker by hand (1 = first), or give the place back to protocol order (None)."""
    appearance = SessionSpeaker.objects.select_for_update().get(pk=appearance.pk)
    reason = (reason or "").strip()
    if position is not None:
        if position < 1:
            raise ValidationError({"manual_position": _("Positions start at 1.")})
        if not reason:
            raise ValidationError({"override_reason": _("Give a reason for departing from protocol order.")})
    previous = appearance.manual_position
    appearance.manual_position = position
    appearance.override_reason = reason if position is not None else ""
    appearance.override_by = actor if position is not None and getattr(actor, "is_authenticated", False) else None
    appearance.override_at = timezone.now() if position is not None else None
    appearance.save(update_fields=["manual_position", "override_reason", "override_by", "override_at"])
    audit.record(
        "programme.speaker_order_overridden" if position is not None else "programme.speaker_order_restored",
        actor=actor,
        obj=appearance,
        event_slug=appearance.session.event.slug,
        reason=reason,
        request=request,
        previous=previous,
        position=position,
    )
    return appearance


# --- Who may change the programme ------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeEditor:
    """What one user may change in one event's programme.

    Organisers (administrator and co-organiser roles) and superusers change everything and publish.
    A side-event organiser changes only the sessions whose organisers include the organisation
    their role is on behalf of, and cannot publish.
    """

    user: Any
    full: bool
    organisation_ids: frozenset[int] = frozenset()

    @property
    def can_publish(self) -> bool:
        return self.full

    def can_edit(self, session: Session) -> bool:
        if self.full:
            return True
        if not self.organisation_ids:
            return False
        return any(org.pk in self.organisation_ids for org in session.organisers.all())


def programme_editor(user: Any, event: Event) -> ProgrammeEditor | None:
    """The user's rights over the event's programme, or None if they may change nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    if capabilities.has(user, "programme.edit", event):
        return ProgrammeEditor(user=user, full=True)
    roles = list(
        EventRole.objects.filter(event=event, user=user, role=EventRole.Role.SIDE_EVENT_ORGANISER).values_list(
            "organisation_id", flat=True
        )
    )
    if not roles:
        return None
    return ProgrammeEditor(user=user, full=False, organisation_ids=frozenset(pk for pk in roles if pk is not None))


# --- Sessions --------------------------------------------------------------------------------

TRANSLATED_SESSION_FIELDS = [f"{name}_{code}" for name in ("title", "abstract") for code in LANGUAGE_CODES]
SESSION_FIELDS = (
    "slug",
    *TRANSLATED_SESSION_FIELDS,
    "kind",
    "starts_at",
    "ends_at",
    "room",
    "track",
    "capacity",
    "access",
    "restricted_to",
    "floor_languages",
    "interpretation",
    "stream_url",
    "is_cancelled",
)
SESSION_DATA_KEYS = frozenset(SESSION_FIELDS) | {"organisers"}


def allowed_rooms(event: Event) -> QuerySet[Room]:
    """Rooms a session of the event may use: those of its venue, or any room if it has no venue yet."""
    rooms = Room.objects.select_related("venue")
    if event.venue_id is not None:
        rooms = rooms.filter(venue_id=event.venue_id)
    return rooms.order_by("venue_id", "position", "id")


def _unique_slug(event: Event, base: str, exclude_pk: int | None = None) -> str:
    base = (slugify(base) or "session")[:100]
    sessions = Session.objects.filter(event=event, slug__startswith=base)
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    taken = set(sessions.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def validate_session(
    session: Session, *, organisers: list[Organisation] | None, editor: ProgrammeEditor | None = None
) -> None:
    """The checks every creation and change of a session passes (the back office's form calls them too)."""
    _validate_session(session, organisers, editor)


def _validate_session(session: Session, organisers: list[Organisation] | None, editor: ProgrammeEditor | None) -> None:
    errors: dict[str, list[str]] = {}
    event = session.event
    if session.track is not None and session.track.event_id != event.pk:
        errors.setdefault("track", []).append(_("This track belongs to another event."))
    if session.room is not None and event.venue_id is not None and session.room.venue_id != event.venue_id:
        errors.setdefault("room", []).append(_("This room is not at the event's venue."))
    if session.slug and Session.objects.filter(event=event, slug=session.slug).exclude(pk=session.pk).exists():
        errors.setdefault("slug", []).append(_("Another session of this event already uses this short name."))
    if session.access == Session.Access.RESTRICTED and not session.restricted_to:
        errors.setdefault("restricted_to", []).append(_("Name the categories a restricted session is open to."))
    own = editor.organisation_ids if editor is not None and not editor.full else None
    if own is not None and organisers is not None and not any(o.pk in own for o in organisers):
        errors.setdefault("organisers", []).append(
            _("Your organisation must stay among the organisers of the sessions you edit.")
        )
    try:
        exclude = ["event", "title", "abstract"] + ([] if session.slug else ["slug"])
        session.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


def _check_keys(data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - SESSION_DATA_KEYS)
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}]})


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    for key in ("restricted_to", "floor_languages", "interpretation"):
        if key in data:
            data[key] = list(dict.fromkeys(data[key] or []))
    for key in TRANSLATED_SESSION_FIELDS + ["stream_url", "slug"]:
        if key in data:
            data[key] = (data[key] or "").strip()
    return data


def _audit_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


@transaction.atomic
def create_session(
    event: Event, *, actor: Any, data: dict[str, Any], editor: ProgrammeEditor | None = None, request: Any = None
) -> Session:
    """Add a session to the draft programme.

    ``data`` holds the fields of ``SESSION_FIELDS`` (models for ``room`` and ``track``) and
    ``organisers`` (organisations). A side-event organiser's sessions always include their organisation.
    """
    _check_keys(data)
    data = _normalise(data)
    organisers = list(data.pop("organisers", None) or [])
    if editor is not None and not editor.full and not organisers:
        organisers = list(Organisation.objects.filter(pk__in=editor.organisation_ids))
    session = Session(event=event, **data)
    title_en = getattr(session, "title_en", "")
    if not session.slug and title_en:
        session.slug = _unique_slug(event, title_en)
    _validate_session(session, organisers, editor)
    session.save()
    session.organisers.set(organisers)
    audit.record(
        "programme.session_created",
        actor=actor,
        obj=session,
        event_slug=event.slug,
        request=request,
        guid=str(session.guid),
        starts_at=session.starts_at.isoformat(),
        ends_at=session.ends_at.isoformat(),
    )
    return session


@transaction.atomic
def update_session(
    session: Session, *, actor: Any, data: dict[str, Any], editor: ProgrammeEditor | None = None, request: Any = None
) -> Session:
    """Change some fields of a draft session (only the keys present in ``data``)."""
    _check_keys(data)
    data = _normalise(data)
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("event", "room", "track").get(pk=session.pk)
    )
    organisers = data.pop("organisers", None)
    if organisers is not None:
        organisers = list(organisers)
    if "slug" in data and not data["slug"]:
        data["slug"] = _unique_slug(
            session.event, str(data.get("title_en") or getattr(session, "title_en", "")), exclude_pk=session.pk
        )
    changes: dict[str, Any] = {}
    for field, value in data.items():
        before = getattr(session, field)
        if before != value:
            changes[field] = {"from": _audit_value(before), "to": _audit_value(value)}
        setattr(session, field, value)
    current_organisers = list(session.organisers.all())
    if organisers is not None and {o.pk for o in organisers} != {o.pk for o in current_organisers}:
        changes["organisers"] = {
            "from": sorted(o.pk for o in current_organisers),
            "to": sorted(o.pk for o in organisers),
        }
    _validate_session(session, organisers if organisers is not None else current_organisers, editor)
    session.save()
    if organisers is not None:
        session.organisers.set(organisers)
    if changes:
        audit.record(
            "programme.session_updated",
            actor=actor,
            obj=session,
            event_slug=session.event.slug,
            request=request,
            guid=str(session.guid),
            changes=changes,
        )
        if "is_cancelled" in changes:
            audit.record(
                "programme.session_cancelled" if session.is_cancelled else "programme.session_reinstated",
                actor=actor,
                obj=session,
                event_slug=session.event.slug,
                request=request,
                guid=str(session.guid),
            )
        if "access" in changes or "restricted_to" in changes:
            _release_ineligible_seats_after_commit(session, actor=actor, request=request)
        if "capacity" in changes and _capacity_grew(changes["capacity"]["from"], changes["capacity"]["to"]):
            _promote_waitlist_after_commit(session)
    return session


def _release_ineligible_seats_after_commit(session: Session, *, actor: Any, request: Any) -> None:
    """Seats of people the new access rule leaves out are released once this change is committed (by
    accreditation, on ``session_access_changed``), in a transaction of their own that takes the
    accreditation locks in their usual order (event first)."""
    transaction.on_commit(
        lambda: session_access_changed.send(sender=Session, session=session, actor=actor, request=request)
    )


def _capacity_grew(before: int | None, after: int | None) -> bool:
    return before is not None and (after is None or after > before)


def _promote_waitlist_after_commit(session: Session) -> None:
    """More room: the session's waitlist moves up once this change is committed (by accreditation, on
    ``session_capacity_grew``; its locks are taken in their usual order, event first, in a transaction
    of their own)."""
    transaction.on_commit(lambda: session_capacity_grew.send(sender=Session, session=session))


@transaction.atomic
def cancel_session(
    session: Session, *, actor: Any, cancelled: bool = True, reason: str = "", request: Any = None
) -> Session:
    """Mark a session cancelled (it stays in the programme, marked so), or reinstate it."""
    session = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    if session.is_cancelled == cancelled:
        return session
    session.is_cancelled = cancelled
    session.save(update_fields=["is_cancelled", "updated_at"])
    audit.record(
        "programme.session_cancelled" if cancelled else "programme.session_reinstated",
        actor=actor,
        obj=session,
        event_slug=session.event.slug,
        reason=(reason or "").strip(),
        request=request,
        guid=str(session.guid),
    )
    return session


# --- Speakers --------------------------------------------------------------------------------


def _on_behalf_translations(value: str | dict[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value.strip()}
    return {code: (value.get(code) or "").strip() for code in LANGUAGE_CODES}


@transaction.atomic
def add_speaker(
    session: Session,
    *,
    actor: Any,
    person: Person,
    role: str = SessionSpeaker.Role.SPEAKER,
    delivery: str = SessionSpeaker.Delivery.IN_PERSON,
    on_behalf_of: str | dict[str, str] | None = None,
    requested_at: datetime | None = None,
    request: Any = None,
) -> SessionSpeaker:
    """Add someone to a session; their place follows protocol order unless set by hand later."""
    session = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    appearance = SessionSpeaker(session=session, person=person, role=role, delivery=delivery, requested_at=requested_at)
    for code, text in _on_behalf_translations(on_behalf_of).items():
        setattr(appearance, f"on_behalf_of_{code}", text)
    errors: dict[str, list[str]] = {}
    if SessionSpeaker.objects.filter(session=session, person=person, role=role).exists():
        errors["person"] = [_("This person already has this role in this session.")]
    if delivery == SessionSpeaker.Delivery.ON_BEHALF and not getattr(appearance, "on_behalf_of_en", ""):
        errors["on_behalf_of_en"] = [_("Say on whose behalf the statement is delivered (at least in English).")]
    try:
        appearance.full_clean(exclude=["session", "person"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    appearance.save()
    audit.record(
        "programme.speaker_added",
        actor=actor,
        obj=appearance,
        event_slug=session.event.slug,
        request=request,
        session=str(session.guid),
        person=person.slug,
        role=role,
        delivery=delivery,
    )
    return appearance


@transaction.atomic
def remove_speaker(appearance: SessionSpeaker, *, actor: Any, request: Any = None) -> None:
    appearance = SessionSpeaker.objects.select_related("session__event", "person").get(pk=appearance.pk)
    session = appearance.session
    audit.record(
        "programme.speaker_removed",
        actor=actor,
        obj=appearance,
        event_slug=session.event.slug,
        request=request,
        session=str(session.guid),
        person=appearance.person.slug,
        role=appearance.role,
    )
    appearance.delete()


def speakers_in_order(session: Session) -> list[SessionSpeaker]:
    """The session's speakers in the order they speak (protocol order with manual positions)."""
    appearances = SessionSpeaker.objects.filter(session=session).select_related("person__organisation", "override_by")
    return protocol_order(list(appearances))


@transaction.atomic
def reorder_speaker(
    appearance: SessionSpeaker, position: int | None, *, actor: Any, reason: str, request: Any = None
) -> SessionSpeaker:
    """Place a speaker by hand at ``position`` (1 = first), or back in protocol order (None)."""
    if position is not None:
        count = SessionSpeaker.objects.filter(session_id=appearance.session_id).count()
        if position > count:
            raise ValidationError(
                {"manual_position": _("There are only %(count)d speakers in this session.") % {"count": count}}
            )
    return set_manual_position(appearance, position, actor=actor, reason=reason, request=request)


@transaction.atomic
def restore_protocol_order(session: Session, *, actor: Any, request: Any = None) -> int:
    """Drop every manual position in a session; returns how many there were."""
    overridden = list(SessionSpeaker.objects.filter(session=session, manual_position__isnull=False))
    for appearance in overridden:
        set_manual_position(
            appearance, None, actor=actor, reason=_("Protocol order restored for the whole session."), request=request
        )
    return len(overridden)


def deletion_refusal(session: Session) -> str | None:
    """Why the apps above would refuse deleting the session now (``None``: they would not)."""
    try:
        session_deleting.send(sender=Session, session=session, actor=None, request=None)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@transaction.atomic
def delete_session(session: Session, *, actor: Any, request: Any = None, via: str = "") -> None:
    """Remove a session from the draft programme (published versions keep it); audited.

    The apps above may refuse it through ``signals.session_deleting``: accreditation does while people
    hold a seat in it, wait for one or are invited, so that nobody loses a seat without being told —
    cancelling the session (``cancel_session``) keeps it in the programme, marked so.
    """
    locked = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    session_deleting.send(sender=Session, session=locked, actor=actor, request=request)
    audit.record(
        "programme.session_deleted",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        guid=str(locked.guid),
        **({"via": via} if via else {}),
    )
    locked.delete()
