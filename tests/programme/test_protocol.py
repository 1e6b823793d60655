"""Protocol order of speakers (DOMAIN.md §5) and the services that depart from it or restore it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from majlis.core.models import AuditEntry
from majlis.events.models import Organisation
from majlis.programme import services
from majlis.programme.models import ProtocolRank
from majlis.programme.protocol import protocol_order
from tests.factories import make_event, make_organisation, make_person, make_session, make_speaker, make_user

pytestmark = pytest.mark.django_db

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)


def _names(appearances):
    return [a.person.name_latin for a in appearances]


@pytest.fixture
def session():
    return make_session(make_event())


@pytest.fixture
def government():
    return make_organisation(kind=Organisation.Kind.GOVERNMENT)


@pytest.fixture
def un():
    return make_organisation(kind=Organisation.Kind.UN_ENTITY)


def test_protocol_order_ranks_heads_of_state_before_ministers_before_experts(session):
    make_speaker(session, make_person(name_latin="Expert", protocol_rank=ProtocolRank.EXPERT))
    make_speaker(session, make_person(name_latin="Minister", protocol_rank=ProtocolRank.MINISTER))
    make_speaker(session, make_person(name_latin="President", protocol_rank=ProtocolRank.HEAD_OF_STATE))
    assert _names(services.speakers_in_order(session)) == ["President", "Minister", "Expert"]


def test_protocol_order_puts_states_before_organisations_of_the_same_rank(session, government, un):
    early = T0
    make_speaker(
        session,
        make_person(name_latin="UN head", organisation=un, protocol_rank=ProtocolRank.MINISTER),
        requested_at=early,
    )
    make_speaker(
        session,
        make_person(name_latin="Minister", organisation=government, protocol_rank=ProtocolRank.MINISTER),
        requested_at=early + timedelta(hours=1),
    )
    make_speaker(
        session,
        make_person(name_latin="State without organisation", country="KZ", protocol_rank=ProtocolRank.MINISTER),
        requested_at=early + timedelta(hours=2),
    )
    assert _names(services.speakers_in_order(session)) == ["Minister", "State without organisation", "UN head"]


def test_protocol_order_follows_request_time_within_a_rank(session, government):
    for name, minutes in [("Third", 30), ("First", 0), ("Second", 10)]:
        make_speaker(
            session,
            make_person(name_latin=name, organisation=government, protocol_rank=ProtocolRank.AMBASSADOR),
            requested_at=T0 + timedelta(minutes=minutes),
        )
    make_speaker(
        session, make_person(name_latin="No request", organisation=government, protocol_rank=ProtocolRank.AMBASSADOR)
    )
    assert _names(services.speakers_in_order(session)) == ["First", "Second", "Third", "No request"]


def test_protocol_order_puts_unranked_speakers_last(session):
    make_speaker(session, make_person(name_latin="Unranked"), requested_at=T0)
    make_speaker(
        session,
        make_person(name_latin="Expert", protocol_rank=ProtocolRank.EXPERT),
        requested_at=T0 + timedelta(days=1),
    )
    assert _names(services.speakers_in_order(session)) == ["Expert", "Unranked"]


def test_protocol_order_inserts_manual_positions(session):
    a = make_speaker(session, make_person(name_latin="A", protocol_rank=ProtocolRank.HEAD_OF_STATE))
    make_speaker(session, make_person(name_latin="B", protocol_rank=ProtocolRank.MINISTER))
    make_speaker(session, make_person(name_latin="C", protocol_rank=ProtocolRank.EXPERT))
    d = make_speaker(session, make_person(name_latin="D"))
    d.manual_position = 1
    a.manual_position = 3
    ordered = protocol_order([a, d, *[s for s in session.speakers.all() if s.pk not in {a.pk, d.pk}]])
    assert _names(ordered) == ["D", "B", "A", "C"]


def test_reorder_speaker_records_who_when_and_why(session):
    make_speaker(session, make_person(name_latin="Minister", protocol_rank=ProtocolRank.MINISTER))
    video = make_speaker(session, make_person(name_latin="Video", protocol_rank=ProtocolRank.EXPERT))
    user = make_user()
    services.reorder_speaker(video, 1, actor=user, reason="The video must play before the live addresses.")
    video.refresh_from_db()
    assert video.manual_position == 1
    assert video.override_by == user and video.override_at is not None
    assert video.override_reason == "The video must play before the live addresses."
    assert _names(services.speakers_in_order(session)) == ["Video", "Minister"]
    assert AuditEntry.objects.filter(action="programme.speaker_order_overridden", object_id=str(video.pk)).exists()


def test_reorder_speaker_without_reason_is_refused(session):
    speaker = make_speaker(session, make_person())
    with pytest.raises(ValidationError) as info:
        services.reorder_speaker(speaker, 1, actor=make_user(), reason="  ")
    assert "override_reason" in info.value.message_dict


def test_reorder_speaker_beyond_the_last_place_is_refused(session):
    speaker = make_speaker(session, make_person())
    with pytest.raises(ValidationError) as info:
        services.reorder_speaker(speaker, 2, actor=make_user(), reason="why not")
    assert "manual_position" in info.value.message_dict


def test_restore_protocol_order_clears_every_manual_position(session):
    first = make_speaker(session, make_person(name_latin="First", protocol_rank=ProtocolRank.HEAD_OF_STATE))
    second = make_speaker(session, make_person(name_latin="Second", protocol_rank=ProtocolRank.MINISTER))
    user = make_user()
    services.reorder_speaker(second, 1, actor=user, reason="Host speaks first")
    assert _names(services.speakers_in_order(session)) == ["Second", "First"]
    assert services.restore_protocol_order(session, actor=user) == 1
    assert _names(services.speakers_in_order(session)) == ["First", "Second"]
    second.refresh_from_db()
    assert second.manual_position is None and second.override_by is None and second.override_reason == ""
    assert first.pk != second.pk
    assert AuditEntry.objects.filter(action="programme.speaker_order_restored").count() == 1
