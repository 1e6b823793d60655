"""Registering does not queue behind seat allocations: the capacity row is the lock for seats only,
and two registrations of the same person are serialised by locks on that person (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from majlis.accreditation import capacity, services
from majlis.accreditation.models import Application
from tests.factories import make_accreditation_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def event(on_postgresql):
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))


def registration(event, email="dilnoza@example.org", category="expert"):
    return {
        "category": event.categories.get(code=category),
        "mode": "online",
        "family_name": "Karimova",
        "given_names": "Dilnoza",
        "nationality": "UZ",
        "organisation_name": "ISRS",
        "position": "Researcher",
        "email": email,
        "consent": True,
    }


class CapacityHeld:
    """Another transaction holding the event's capacity row (a seat allocation in progress)."""

    def __init__(self, event):
        self.event = event
        self.locked = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                capacity.lock_event(self.event)
                self.locked.set()
                self.release.wait(timeout=60)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.locked.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(timeout=30)


def with_lock_timeout(work):
    """Run ``work`` in a transaction that fails at once instead of waiting for a lock."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        return work()


def test_a_registration_waiting_for_a_decision_does_not_wait_for_the_capacity_lock(event):
    assert event.categories.get(code="expert").needs_approval
    with CapacityHeld(event):
        application = with_lock_timeout(lambda: services.register_and_submit(event, data=registration(event)))
    assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED


def test_a_submission_that_takes_a_seat_still_takes_the_capacity_lock(event):
    category = event.categories.get(code="expert")
    category.needs_approval = False
    category.save()
    with CapacityHeld(event), pytest.raises(OperationalError):
        with_lock_timeout(lambda: services.register_and_submit(event, data=registration(event)))
    assert not Application.objects.filter(event=event).exists()


def test_the_same_person_registering_ten_times_at_once_gets_one_application(event):
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def register(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.register_and_submit(event, data=registration(event, email="Dilnoza@Example.org"))
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append("duplicate" if "email" in error.message_dict else f"other: {error}")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcomes.append(f"error: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 9
    assert Application.objects.filter(event=event).count() == 1


def test_different_people_register_while_one_of_them_is_locked(event):
    """The lock is the person's, not the event's: another person's registration is not held up."""
    with transaction.atomic():
        capacity.lock_applicant(event, email="first@example.org")
        done = []

        def other() -> None:
            try:
                done.append(
                    with_lock_timeout(
                        lambda: services.register_and_submit(
                            event, data=registration(event, email="second@example.org")
                        )
                    )
                )
            finally:
                connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=30)
    assert len(done) == 1 and done[0].email == "second@example.org"
