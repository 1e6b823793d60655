"""No overbooking under concurrency: 50 simultaneous approvals or sign-ups at the last 10 seats.

Runs on PostgreSQL only (the ``DATABASE_URL=postgres://…`` pass of ``.ci/run``): every thread has
its own database connection, a barrier releases them together, and a watcher thread keeps counting
the taken seats while they race, so an overbooking that a later step undid would still be caught.
"""

from __future__ import annotations

import fcntl
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from majlis.accreditation import capacity, services
from majlis.accreditation.models import Application, SessionSeat
from majlis.programme.models import SessionKind
from tests.factories import make_accreditation_event, make_application, make_session, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 50
SEATS_LEFT = 10
S = Application.Status


@pytest.fixture
def one_race_at_a_time():
    """Each race opens 51 connections: two at once (test workers) would pass PostgreSQL's default 100."""
    with (Path(tempfile.gettempdir()) / "majlis-concurrency-tests.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
        fcntl.flock(handle, fcntl.LOCK_UN)


def race(work: Callable[[int], Any], watch: Callable[[], int]) -> tuple[list[BaseException], int]:
    """Run ``work(i)`` in THREADS threads released together; returns their errors and the highest ``watch()``."""
    barrier = threading.Barrier(THREADS + 1)
    errors: list[BaseException] = []
    done = threading.Event()
    highest = [0]

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            work(i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    def watcher() -> None:
        try:
            while not done.is_set():
                highest[0] = max(highest[0], watch())
                time.sleep(0.002)
            highest[0] = max(highest[0], watch())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    monitor = threading.Thread(target=watcher)
    monitor.start()
    barrier.wait(timeout=60)
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    monitor.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return errors, highest[0]


def test_concurrent_approvals_never_overbook_the_last_seats(on_postgresql, one_race_at_a_time):
    event = make_accreditation_event()
    seats = 40
    services.set_capacity(event, in_person_capacity=seats, actor=None)
    for _ in range(seats - SEATS_LEFT):
        make_application(event, status=S.APPROVED, mode="in_person")
    candidates = [make_application(event, status=S.UNDER_REVIEW, mode="in_person") for _ in range(THREADS)]
    organiser = make_user()

    def approve(i: int) -> None:
        services.approve_application(Application.objects.get(pk=candidates[i].pk), actor=organiser)

    errors, highest = race(approve, lambda: capacity.in_person_seats_taken(event))

    assert errors == []
    statuses = list(Application.objects.filter(pk__in=[c.pk for c in candidates]).values_list("status", flat=True))
    assert statuses.count(S.APPROVED) == SEATS_LEFT
    assert statuses.count(S.WAITLISTED) == THREADS - SEATS_LEFT
    assert capacity.in_person_seats_taken(event) == seats
    assert highest <= seats


def test_concurrent_session_sign_ups_never_overbook_the_last_seats(on_postgresql, one_race_at_a_time):
    event = make_accreditation_event()
    session = make_session(event, kind=SessionKind.SIDE_EVENT, capacity=30)
    for _ in range(30 - SEATS_LEFT):
        holder = make_application(event, status=S.APPROVED, mode="in_person")
        SessionSeat.objects.create(application=holder, session=session, status=SessionSeat.Status.CONFIRMED)
    candidates = [make_application(event, status=S.APPROVED, mode="in_person") for _ in range(THREADS)]

    def sign_up(i: int) -> None:
        application = Application.objects.get(pk=candidates[i].pk)
        services.request_session_seats(application, [session], actor=None)

    errors, highest = race(sign_up, lambda: capacity.session_seats_taken(session))

    assert errors == []
    seats = list(SessionSeat.objects.filter(application__in=candidates).values_list("status", flat=True))
    assert seats.count(SessionSeat.Status.CONFIRMED) == SEATS_LEFT
    assert seats.count(SessionSeat.Status.WAITLISTED) == THREADS - SEATS_LEFT
    assert capacity.session_seats_taken(session) == 30
    assert highest <= 30


def test_concurrent_invitations_and_sign_ups_never_overbook_or_seat_the_ineligible(on_postgresql, one_race_at_a_time):
    from majlis.accreditation import session_access
    from majlis.programme.models import Session

    event = make_accreditation_event()
    session = make_session(
        event,
        kind=SessionKind.SIDE_EVENT,
        capacity=SEATS_LEFT,
        access=Session.Access.RESTRICTED,
        restricted_to=["delegate"],
    )
    organiser = make_user()
    # Even threads: delegates signing up; odd threads: experts an organiser invites by hand.
    candidates = [
        make_application(event, status=S.APPROVED, mode="in_person", category="delegate" if i % 2 == 0 else "expert")
        for i in range(THREADS)
    ]

    def sign_up_or_invite(i: int) -> None:
        application = Application.objects.get(pk=candidates[i].pk)
        if i % 2 == 0:
            services.request_session_seats(application, [session], actor=None)
        else:
            services.invite_to_session(application, session, actor=organiser)

    errors, highest = race(sign_up_or_invite, lambda: capacity.session_seats_taken(session))

    assert errors == []
    seats = list(SessionSeat.objects.filter(session=session).select_related("application"))
    assert [seat.status for seat in seats].count(SessionSeat.Status.CONFIRMED) == SEATS_LEFT
    assert len(seats) == THREADS
    assert all(session_access.may_attend(seat.application, session) for seat in seats)
    assert highest <= SEATS_LEFT
