"""Seats: the event's in-person capacity, per-category quotas, per-session capacity, and their waitlists.

Every allocation happens under row locks, always taken in the same order so that two transactions
can never wait for each other: the event's ``EventCapacity`` row (taken by every change that can
move a seat, session seats included), then the application row, then session rows in id order.
The lock is taken *before* counting, so two approvals racing for the last seat are serialised and
the second one counts the first one's seat (no overbooking, PostgreSQL or SQLite). The functions
here must run inside ``transaction.atomic`` (the services open it).

The capacity row is the lock for seats only. Registering (a draft, a submission that waits for a
decision) does not take it: two registrations of the same person are serialised by
``lock_applicant``, advisory locks on that person's e-mail address and passport in the event, taken
after the capacity row where both are taken, so different people register in parallel and nobody's
registration waits for a seat allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import session_access
from .models import Application, ApplicationQuerySet, Category, Delegation, EventCapacity, Mode, SessionSeat

Status = Application.Status


def lock_applicant(event: Any, *, email: str, passport_digest: str = "") -> None:
    """Serialise the duplicate check of one person in one event until the transaction ends.

    PostgreSQL advisory locks keyed on the event and the e-mail address (and the passport digest), taken
    in a fixed order. SQLite needs none: it has a single writer.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_applicant must be called inside transaction.atomic")
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    keys = {f"majlis:applicant:{event.pk}:email:{email.strip().casefold()}"} if email else set()
    if passport_digest:
        keys.add(f"majlis:applicant:{event.pk}:passport:{passport_digest}")
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def ensure_capacity_row(event: Any) -> EventCapacity:
    """The row every allocation locks; create it outside the race (ensure_event_setup does)."""
    capacity, _created = EventCapacity.objects.get_or_create(event=event)
    return capacity


def lock_event(event: Any) -> EventCapacity:
    """Lock the event's capacity row for the rest of the transaction (creating it if it is missing)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_event must be called inside transaction.atomic")
    try:
        return EventCapacity.objects.select_for_update().get(event=event)
    except EventCapacity.DoesNotExist:
        ensure_capacity_row(event)
        return EventCapacity.objects.select_for_update().get(event=event)


def in_person_seats_taken(event: Any, category: Category | None = None) -> int:
    seats = Application.objects.filter(event=event, status=Status.APPROVED, mode=Mode.IN_PERSON)
    if category is not None:
        seats = seats.filter(category=category)
    return seats.count()


def seats_left(capacity: EventCapacity, category: Category | None = None) -> int | None:
    """Free in-person seats for the event (and the category's quota); None means unlimited."""
    limits = []
    if capacity.in_person_capacity is not None:
        limits.append(capacity.in_person_capacity - in_person_seats_taken(capacity.event_id))
    if category is not None and category.in_person_quota is not None:
        limits.append(category.in_person_quota - in_person_seats_taken(capacity.event_id, category))
    return max(0, min(limits)) if limits else None


def needs_seat(application: Application) -> bool:
    return application.mode == Mode.IN_PERSON


def has_free_seat(capacity: EventCapacity, application: Application) -> bool:
    """Whether the application could take an in-person seat now. Call with the event lock held."""
    if not needs_seat(application):
        return True
    category = Category.objects.get(pk=application.category_id)
    left = seats_left(capacity, category)
    return left is None or left > 0


def waitlist_queue(event: Any) -> ApplicationQuerySet:
    """The in-person waitlist in the order it is promoted: first waitlisted, first served."""
    # A delegation member is promoted only once the delegation's credentials are approved.
    return (
        Application.objects.filter(event=event, status=Status.WAITLISTED, mode=Mode.IN_PERSON)
        .filter(Q(delegation__isnull=True) | Q(delegation__status=Delegation.Status.APPROVED))
        .order_by("waitlisted_at", "id")
    )


def promote_waitlist(capacity: EventCapacity, *, on_promoted: Callable[[Application], None]) -> list[Application]:
    """Approve waitlisted applications in order while seats are free. Call with the event lock held.

    An application whose category quota is full is skipped (it keeps its place); the next one in
    another category may still fit. ``on_promoted`` records, mails and allocates session seats.
    """
    promoted: list[Application] = []
    for candidate in waitlist_queue(capacity.event_id).select_related("category"):
        if capacity.in_person_capacity is not None and seats_left(capacity) == 0:
            break
        if not has_free_seat(capacity, candidate):
            continue
        application = Application.objects.select_for_update().get(pk=candidate.pk)
        if application.status != Status.WAITLISTED:
            continue
        application.status = Status.APPROVED
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at", "updated_at"])
        on_promoted(application)
        promoted.append(application)
    return promoted


# --- Sessions with their own capacity (side events, breakouts) ----------------------------------


def session_seats_taken(session: Any) -> int:
    """Confirmed in-person seats; online participants follow without taking a chair."""
    return SessionSeat.objects.filter(
        session=session, status=SessionSeat.Status.CONFIRMED, application__mode=Mode.IN_PERSON
    ).count()


def lock_sessions(sessions: Iterable[Any]) -> list[Any]:
    """Lock session rows in id order (the order every caller uses)."""
    from majlis.programme.models import Session

    ids = sorted({session.pk for session in sessions})
    return list(Session.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def allocate_session_seat(seat: SessionSeat, session: Any) -> str:
    """Confirm or waitlist one seat of an approved application. Call with the session row locked.

    The caller has checked that the application may attend the session (``session_access``);
    a seat it may not hold is never confirmed here."""
    application = seat.application
    if not session_access.may_attend(application, session):
        raise ValueError(f"Application {application.pk} may not hold a seat in session {session.pk}")
    free = application.mode != Mode.IN_PERSON or session.capacity is None
    if free or session_seats_taken(session) < session.capacity:
        status = SessionSeat.Status.CONFIRMED
    else:
        status = SessionSeat.Status.WAITLISTED
    if seat.status != status:
        seat.status = status
        if status == SessionSeat.Status.WAITLISTED:
            # The waitlist is ordered by the moment a seat was asked for and refused.
            seat.created_at = timezone.now()
        seat.save(update_fields=["status", "created_at"])
    return status


def session_waitlist(session: Any) -> QuerySet[SessionSeat]:
    return (
        SessionSeat.objects.filter(
            session=session,
            status=SessionSeat.Status.WAITLISTED,
            application__status=Status.APPROVED,
        )
        .select_related("application")
        .order_by("created_at", "id")
    )


def promote_session_waitlist(session: Any, *, on_promoted: Callable[[SessionSeat], None]) -> list[SessionSeat]:
    """Confirm waitlisted seats in order while the session has room. Call with the session row locked.

    A waitlisted person who is no longer eligible for the session (``session_access``) is passed over."""
    promoted: list[SessionSeat] = []
    for seat in session_waitlist(session):
        if not session_access.may_attend(seat.application, session):
            continue
        counted = seat.application.mode == Mode.IN_PERSON and session.capacity is not None
        if counted and session_seats_taken(session) >= session.capacity:
            break
        seat.status = SessionSeat.Status.CONFIRMED
        seat.save(update_fields=["status"])
        on_promoted(seat)
        promoted.append(seat)
    return promoted
