"""Waitlist promotion and session seats."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from majlis.core import audit

from .. import capacity, session_access
from ..models import (
    Application,
    Category,
    EventCapacity,
    SessionInvitation,
    SessionSeat,
)
from ._common import Status, _lock_application, _mail, _record

# --- Waitlist promotion and session seats ------------------------------------------------------


def _promote(event_capacity: EventCapacity, *, actor: Any, request: Any) -> list[Application]:
    def promoted(application: Application) -> None:
        entry = _record(
            "promoted", application, actor=actor, request=request, was=Status.WAITLISTED, from_waitlist=True
        )
        _allocate_sessions(application, None)
        _mail(application, "promoted", entry)

    return capacity.promote_waitlist(event_capacity, on_promoted=promoted)


def _allocate_sessions(application: Application, sessions: Iterable[Any] | None) -> None:
    """Confirm or waitlist the approved application's requested session seats (sessions locked in id order).

    A request the application is not eligible for (``session_access``) is never confirmed: it is
    dropped, on record, and the person is told."""
    requested = application.seats.select_related("session").filter(status=SessionSeat.Status.REQUESTED)
    if sessions is not None:
        requested = requested.filter(session__in=[s.pk for s in sessions])
    seats = list(requested)
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        seat.application = application
        session = locked[seat.session_id]
        if session_access.may_attend(application, session):
            capacity.allocate_session_seat(seat, session)
        else:
            _drop_ineligible_seat(seat, session, actor=None, request=None)


def _drop_ineligible_seat(seat: SessionSeat, session: Any, *, actor: Any, request: Any) -> None:
    """Release a seat (or request) the application may not hold; its session's waitlist moves up.
    The session row must be locked."""
    application = seat.application
    status = seat.status
    held = status == SessionSeat.Status.CONFIRMED
    seat.delete()
    entry = audit.record(
        "accreditation.session_seat_released_ineligible",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
        session=session.pk,
        status=status,
        category=Category.objects.filter(pk=application.category_id).values_list("code", flat=True).first(),
    )
    _mail(application, "session_seat_released", entry, session=session)
    if held:
        _promote_session(session)


def _release_ineligible_seats(application: Application, *, actor: Any, request: Any) -> None:
    """After a change of category: give up every seat and request the application is no longer eligible for."""
    seats = list(application.seats.select_related("session"))
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        session = locked[seat.session_id]
        if not session_access.may_attend(application, session):
            seat.application = application
            _drop_ineligible_seat(seat, session, actor=actor, request=request)


def _release_sessions(application: Application, *, keep_requests: bool) -> None:
    """The application no longer holds seats: give confirmed ones to the sessions' waitlists."""
    seats = list(application.seats.all())
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        held = seat.status == SessionSeat.Status.CONFIRMED
        if keep_requests:
            seat.status = SessionSeat.Status.REQUESTED
            seat.save(update_fields=["status"])
        else:
            seat.delete()
        if held:
            _promote_session(locked[seat.session_id])


def _drop_seat(seat: SessionSeat) -> None:
    (session,) = capacity.lock_sessions([seat.session])
    held = seat.status == SessionSeat.Status.CONFIRMED
    seat.delete()
    if held:
        _promote_session(session)


def _promote_session(session: Any) -> list[SessionSeat]:
    def promoted(seat: SessionSeat) -> None:
        application = seat.application
        entry = audit.record(
            "accreditation.session_seat_promoted",
            obj=application,
            event_slug=application.event.slug,
            session=session.pk,
        )
        _mail(application, "session_seat_confirmed", entry, session=session)

    return capacity.promote_session_waitlist(session, on_promoted=promoted)


@transaction.atomic
def request_session_seats(
    application: Application, sessions: Iterable[Any], *, actor: Any, request: Any = None
) -> list[SessionSeat]:
    """Ask for seats in sessions. Approved applications get them at once (confirmed, or waitlisted when full);
    others keep a request that is allocated when the application is approved."""
    sessions = list(sessions)
    _event_capacity, locked = _lock_application(application.event, application)
    if locked.status in Status.closed():
        raise ValidationError(_("This application is closed; it cannot take session seats."), code="closed")
    for session in sessions:
        if session.event_id != locked.event_id:
            raise ValidationError({"sessions": _("A chosen session belongs to another event.")})
    fresh = {s.pk: s for s in capacity.lock_sessions(sessions)}  # the access rule as it is now, not the caller's copy
    for session in sessions:
        if fresh[session.pk].is_cancelled:
            raise ValidationError({"sessions": _("“%(session)s” is cancelled.") % {"session": session.title}})
    session_access.check_requested(locked, [fresh[session.pk] for session in sessions])
    existing = set(locked.seats.values_list("session_id", flat=True))
    new = [s for s in {s.pk: s for s in sessions}.values() if s.pk not in existing]
    for session in new:
        SessionSeat.objects.create(application=locked, session=session, status=SessionSeat.Status.REQUESTED)
    if locked.status == Status.APPROVED and new:
        _allocate_sessions(locked, new)
    seats = list(locked.seats.filter(session__in=[s.pk for s in sessions]).select_related("session"))
    audit.record(
        "accreditation.session_seats_requested",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        seats={str(seat.session_id): seat.status for seat in seats},
    )
    return seats


@transaction.atomic
def release_session_seat(application: Application, session: Any, *, actor: Any, request: Any = None) -> None:
    """Give up a session seat (or a place on its waitlist); the next on the waitlist gets it."""
    _event_capacity, locked = _lock_application(application.event, application)
    seat = SessionSeat.objects.filter(application=locked, session=session).first()
    if seat is None:
        return
    status = seat.status
    _drop_seat(seat)
    audit.record(
        "accreditation.session_seat_released",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=session.pk,
        status=status,
    )


@transaction.atomic
def invite_to_session(application: Application, session: Any, *, actor: Any, request: Any = None) -> SessionSeat:
    """An organiser invites one person to one session by hand, whatever its access rule.

    The seat is taken under the same locks as every other (event, application, session): confirmed at
    once for an approved application when the session has room, waitlisted when it is full, and kept
    as a request (allocated on approval) otherwise. The invitation is audited and the person mailed."""
    _event_capacity, locked = _lock_application(application.event, application)
    if locked.status in Status.closed():
        raise ValidationError(_("This application is closed; it cannot take session seats."), code="closed")
    if session.event_id != locked.event_id:
        raise ValidationError({"session": _("A chosen session belongs to another event.")})
    (locked_session,) = capacity.lock_sessions([session])
    if locked_session.is_cancelled:
        raise ValidationError({"session": _("“%(session)s” is cancelled.") % {"session": locked_session.title}})
    if SessionInvitation.objects.filter(application=locked, session=locked_session).exists():
        raise ValidationError(
            {"session": _("This person is already invited to “%(session)s”.") % {"session": locked_session.title}},
            code="already_invited",
        )
    SessionInvitation.objects.create(
        application=locked,
        session=locked_session,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    seat, _created = SessionSeat.objects.get_or_create(
        application=locked, session=locked_session, defaults={"status": SessionSeat.Status.REQUESTED}
    )
    seat.application = locked
    if locked.status == Status.APPROVED and seat.status == SessionSeat.Status.REQUESTED:
        capacity.allocate_session_seat(seat, locked_session)
    entry = audit.record(
        "accreditation.session_invited",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=locked_session.pk,
        status=seat.status,
    )
    _mail(locked, "session_invitation", entry, session=locked_session)
    return seat


@transaction.atomic
def withdraw_session_invitation(application: Application, session: Any, *, actor: Any, request: Any = None) -> None:
    """Withdraw an organiser's invitation; a seat the person is then no longer eligible for is released
    (the session's waitlist moves up) and the person is mailed."""
    _event_capacity, locked = _lock_application(application.event, application)
    (locked_session,) = capacity.lock_sessions([session])
    invitation = SessionInvitation.objects.filter(application=locked, session=locked_session).first()
    if invitation is None:
        raise ValidationError(
            {"session": _("This person is not invited to “%(session)s”.") % {"session": locked_session.title}},
            code="not_invited",
        )
    invitation.delete()
    seat = SessionSeat.objects.filter(application=locked, session=locked_session).first()
    released = None
    if seat is not None and not session_access.may_attend(locked, locked_session):
        released = seat.status
        seat.delete()
        if released == SessionSeat.Status.CONFIRMED:
            _promote_session(locked_session)
    entry = audit.record(
        "accreditation.session_invitation_withdrawn",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=locked_session.pk,
        released=released,
    )
    if locked.status not in Status.closed():
        _mail(locked, "session_invitation_withdrawn", entry, session=locked_session)


@transaction.atomic
def release_ineligible_session_seats(session: Any, *, actor: Any = None, request: Any = None) -> int:
    """After a session's access rule changed: release the seats and requests of those who may no
    longer attend it (each person is told; the waitlist moves up). Returns how many were released.

    Locks in the usual order: the event, the applications holding seats (by id), then the session."""
    capacity.lock_event(session.event)
    application_ids = sorted(set(SessionSeat.objects.filter(session=session).values_list("application_id", flat=True)))
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(pk__in=application_ids)
        .order_by("pk")
    }
    (locked_session,) = capacity.lock_sessions([session])
    released = 0
    for seat in SessionSeat.objects.filter(session=locked_session).order_by("application_id"):
        application = applications[seat.application_id]
        if not session_access.may_attend(application, locked_session):
            seat.application = application
            _drop_ineligible_seat(seat, locked_session, actor=actor, request=request)
            released += 1
    return released


@transaction.atomic
def promote_session_waitlist(session: Any) -> int:
    """After a session's capacity grew (or was lifted): its waitlist moves up, each person told by e-mail.
    Returns how many were given a seat. Locks the event, then the session, as every seat change does."""
    capacity.lock_event(session.event)
    (locked,) = capacity.lock_sessions([session])
    return len(_promote_session(locked))
