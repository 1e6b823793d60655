"""Warnings about the draft programme: double bookings, days, capacity, missing ranks."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from majlis.programme.conflicts import WarningKind, programme_warnings
from majlis.programme.models import ProtocolRank
from tests.factories import make_event, make_person, make_room, make_session, make_speaker, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(venue=make_venue())


def at(event, hour, minute=0, day=0):
    return datetime.combine(event.start_date, datetime.min.time(), tzinfo=event.tz).replace(
        hour=hour, minute=minute
    ) + timedelta(days=day)


def kinds(warnings):
    return [w.kind for w in warnings]


def test_programme_warnings_empty_for_a_clean_programme(event):
    room = make_room(event.venue)
    first = make_session(event, room=room, starts_at=at(event, 9), ends_at=at(event, 10))
    second = make_session(event, room=room, starts_at=at(event, 10), ends_at=at(event, 11))  # touching is fine
    person = make_person(protocol_rank=ProtocolRank.MINISTER)
    make_speaker(first, person)
    make_speaker(second, person)
    assert programme_warnings(event) == []


def test_programme_warnings_person_in_two_overlapping_sessions(event):
    person = make_person(name_latin="Natalia Gherman", protocol_rank=ProtocolRank.MINISTER)
    first = make_session(event, title_en="Opening", starts_at=at(event, 9), ends_at=at(event, 10, 30))
    second = make_session(event, title_en="Panel", starts_at=at(event, 10), ends_at=at(event, 11))
    make_speaker(first, person)
    make_speaker(second, person, role="moderator")
    warnings = programme_warnings(event)
    assert kinds(warnings) == [WarningKind.PERSON_DOUBLE_BOOKED]
    assert warnings[0].session_ids == (first.pk, second.pk)
    assert warnings[0].person_ids == (person.pk,)
    assert "Natalia Gherman" in warnings[0].message and "Opening" in warnings[0].message


def test_programme_warnings_ignore_cancelled_sessions(event):
    room = make_room(event.venue)
    person = make_person(protocol_rank=ProtocolRank.MINISTER)
    first = make_session(event, room=room, starts_at=at(event, 9), ends_at=at(event, 10))
    second = make_session(event, room=room, starts_at=at(event, 9), ends_at=at(event, 10), is_cancelled=True)
    make_speaker(first, person)
    make_speaker(second, person)
    make_session(event, starts_at=at(event, 9, day=10), ends_at=at(event, 10, day=10), is_cancelled=True)
    assert programme_warnings(event) == []


def test_programme_warnings_two_sessions_in_one_room(event):
    room = make_room(event.venue, name_en="Hall A")
    first = make_session(event, room=room, starts_at=at(event, 9), ends_at=at(event, 10))
    second = make_session(event, room=room, starts_at=at(event, 9, 30), ends_at=at(event, 11))
    make_session(event, room=make_room(event.venue), starts_at=at(event, 9), ends_at=at(event, 10))
    warnings = programme_warnings(event)
    assert kinds(warnings) == [WarningKind.ROOM_DOUBLE_BOOKED]
    assert set(warnings[0].session_ids) == {first.pk, second.pk}
    assert "Hall A" in warnings[0].message


def test_programme_warnings_session_outside_the_event_days_in_its_time_zone(event):
    # 23:30 in Tashkent on the day before the event is 18:30 UTC: still outside.
    early = make_session(event, starts_at=at(event, 23, 30, day=-1), ends_at=at(event, 23, 45, day=-1))
    # 03:00 in Tashkent on the first day is the evening before in UTC: inside.
    make_session(event, starts_at=at(event, 3), ends_at=at(event, 4))
    late = make_session(event, starts_at=at(event, 23, day=1), ends_at=at(event, 1, day=2))
    warnings = programme_warnings(event)
    assert kinds(warnings) == [WarningKind.OUTSIDE_EVENT_DAYS] * 2
    assert {w.session_ids[0] for w in warnings} == {early.pk, late.pk}


def test_programme_warnings_capacity_above_the_room(event):
    room = make_room(event.venue, capacity=50)
    session = make_session(event, room=room, capacity=80)
    make_session(
        event, room=make_room(event.venue, capacity=100), capacity=100, starts_at=at(event, 14), ends_at=at(event, 15)
    )
    warnings = programme_warnings(event)
    assert kinds(warnings) == [WarningKind.CAPACITY_ABOVE_ROOM]
    assert warnings[0].session_ids == (session.pk,)
    assert "80" in warnings[0].message and "50" in warnings[0].message


def test_programme_warnings_speaker_without_protocol_rank(event):
    session = make_session(event)
    person = make_person(name_latin="Unranked Person")
    make_speaker(session, person)
    make_speaker(session, make_person(protocol_rank=ProtocolRank.EXPERT))
    warnings = programme_warnings(event)
    assert kinds(warnings) == [WarningKind.SPEAKER_UNRANKED]
    assert warnings[0].person_ids == (person.pk,)


def test_programme_warnings_in_the_active_language(event):
    make_session(event, title_en="Opening", title_ru="Открытие", room=make_room(event.venue, capacity=1), capacity=5)
    with translation.override("ru"):
        warnings = programme_warnings(event)
    assert "Открытие" in warnings[0].message


def test_programme_warnings_take_constant_queries(event):
    def count():
        with CaptureQueriesContext(connection) as queries:
            programme_warnings(event)
        return len(queries)

    room = make_room(event.venue)
    make_speaker(make_session(event, room=room), make_person())
    few = count()
    for hour in range(11, 20):
        session = make_session(
            event, room=make_room(event.venue), starts_at=at(event, hour), ends_at=at(event, hour, 50)
        )
        make_speaker(session, make_person())
        make_speaker(session, make_person())
    assert count() == few
