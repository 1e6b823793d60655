"""Two gates of a one-entry zone scan the same badge at the same moment: one entry, one refusal.

Runs on PostgreSQL only (the ``DATABASE_URL=postgres://…`` pass of ``.ci/run``): each thread has its
own connection and a barrier releases them together; the badge row lock in ``record_scan`` must
serialise them (no lock for the whole event: scans of other badges are not held up).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from majlis.gates.models import Presence, Scan, ZoneRefusal
from majlis.gates.services import record_scan

from .conftest import badge_for, code_of, make_zone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ROUNDS = 5


def race(work, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return errors


def test_two_gates_scanning_one_badge_at_once_let_it_in_once(on_postgresql, event, organiser):
    zone = make_zone(event, name_en="Opening ceremony", entry_once=True, gates=("North", "South"))
    north, south = list(zone.gates.order_by("pk"))
    for round_number in range(ROUNDS):  # several rounds: a race lost once by luck must not pass
        badge = badge_for(event, organiser)
        text = code_of(badge)

        def scan(i: int, badge=badge, text=text, round_number=round_number) -> None:
            record_scan(event, zone=zone, text=text, nonce=f"r{round_number}-g{i}", gate=(north, south)[i])

        assert race(scan, 2) == []
        scans = list(Scan.objects.filter(badge=badge).order_by("pk"))
        assert sorted(s.result for s in scans) == ["accepted", "refused"], round_number
        refused = next(s for s in scans if s.result == "refused")
        assert refused.reason == ZoneRefusal.ALREADY_ENTERED
        assert {s.gate_id for s in scans} == {north.pk, south.pk}
        assert Presence.objects.get(badge=badge, zone=zone).entries == 1


def test_the_same_nonce_sent_twice_at_once_is_recorded_once(on_postgresql, event, organiser):
    zone = make_zone(event, name_en="Perimeter")
    badge = badge_for(event, organiser)
    text = code_of(badge)
    outcomes = []

    def scan(i: int) -> None:
        outcomes.append(record_scan(event, zone=zone, text=text, nonce="one-nonce"))

    assert race(scan, 2) == []
    assert Scan.objects.filter(event=event, nonce="one-nonce").count() == 1
    assert sorted(outcome.repeated for outcome in outcomes) == [False, True]
    assert Presence.objects.get(badge=badge, zone=zone).entries == 1
