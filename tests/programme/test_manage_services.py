"""The services behind the organisers' pages and the API: validation, transactions, audit."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from majlis.programme import services
from majlis.programme.models import Session
from tests.factories import (
    make_event,
    make_organisation,
    make_person,
    make_role,
    make_room,
    make_session,
    make_track,
    make_user,
    make_venue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(venue=make_venue())


def session_data(ev, **overrides):
    start = datetime(2022, 3, 4, 11, 0, tzinfo=ev.tz)
    values = {"title_en": "Panel", "kind": "breakout", "starts_at": start, "ends_at": start + timedelta(hours=1)}
    values.update(overrides)
    return values


def test_create_session_makes_a_unique_slug(event):
    user = make_user()
    first = services.create_session(event, actor=user, data=session_data(event))
    second = services.create_session(event, actor=user, data=session_data(event))
    assert (first.slug, second.slug) == ("panel", "panel-2")


def test_create_session_refuses_a_track_of_another_event(event):
    with pytest.raises(ValidationError) as info:
        services.create_session(event, actor=None, data=session_data(event, track=make_track(make_event())))
    assert "track" in info.value.message_dict


def test_create_session_refuses_unknown_fields(event):
    with pytest.raises(ValidationError):
        services.create_session(event, actor=None, data=session_data(event, event=make_event()))


def test_create_session_is_atomic(event):
    before = Session.objects.count()
    with pytest.raises(ValidationError):
        services.create_session(event, actor=None, data=session_data(event, ends_at=None))
    assert Session.objects.count() == before
    assert not AuditEntry.objects.filter(action="programme.session_created").exists()


def test_update_session_audits_what_changed_from_and_to(event):
    room = make_room(event.venue)
    session = make_session(event, capacity=10)
    user = make_user()
    services.update_session(session, actor=user, data={"capacity": 20, "room": room})
    entry = AuditEntry.objects.get(action="programme.session_updated")
    assert entry.actor == user
    assert entry.data["changes"] == {"capacity": {"from": 10, "to": 20}, "room": {"from": None, "to": room.pk}}


def test_update_session_without_changes_writes_no_audit(event):
    session = make_session(event, capacity=10)
    services.update_session(session, actor=None, data={"capacity": 10})
    assert not AuditEntry.objects.filter(action="programme.session_updated").exists()


def test_cancel_session_twice_records_once(event):
    session = make_session(event)
    services.cancel_session(session, actor=None, reason="Weather")
    services.cancel_session(session, actor=None, reason="Weather")
    assert AuditEntry.objects.filter(action="programme.session_cancelled").count() == 1
    services.cancel_session(session, actor=None, cancelled=False)
    session.refresh_from_db()
    assert not session.is_cancelled
    assert AuditEntry.objects.filter(action="programme.session_reinstated").count() == 1


def test_programme_editor_rights(event):
    own = make_organisation()
    organiser = make_role(event, EventRole.Role.CO_ORGANISER).user
    side = make_role(event, EventRole.Role.SIDE_EVENT_ORGANISER, organisation=own).user
    participant = make_role(event, EventRole.Role.PARTICIPANT).user
    mine = make_session(event)
    mine.organisers.set([own])
    theirs = make_session(event)
    assert services.programme_editor(participant, event) is None
    full = services.programme_editor(organiser, event)
    assert full.can_publish and full.can_edit(theirs)
    limited = services.programme_editor(side, event)
    assert not limited.can_publish and limited.can_edit(mine) and not limited.can_edit(theirs)
    assert services.programme_editor(side, make_event()) is None


def test_add_speaker_on_behalf_needs_whom(event):
    session = make_session(event)
    with pytest.raises(ValidationError) as info:
        services.add_speaker(session, actor=None, person=make_person(), delivery="on_behalf", on_behalf_of={"ru": "x"})
    assert "on_behalf_of_en" in info.value.message_dict
