"""The organisers' programme pages: who gets in, the session form, speakers and publishing."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from majlis.programme.models import ProgrammeVersion, ProtocolRank, Session, SessionSpeaker
from tests.factories import (
    make_event,
    make_organisation,
    make_person,
    make_role,
    make_room,
    make_session,
    make_speaker,
    make_track,
    make_user,
    make_venue,
)

pytestmark = [pytest.mark.django_db]


def url(name, event, **kwargs):
    with translation.override("en"):
        return reverse(f"events:programme:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def event():
    return make_event(venue=make_venue())


@pytest.fixture
def organiser_client(client, event):
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    return client


def session_post(event, **overrides):
    room = overrides.pop("room", None) or make_room(event.venue, capacity=200)
    data = {
        "title_en": "Financing counter-terrorism programmes",
        "title_ru": "Финансирование контртеррористических программ",
        "title_uz": "",
        "abstract_en": "A side event.",
        "slug": "",
        "kind": "side_event",
        "starts_at": "2022-03-03T14:00",
        "ends_at": "2022-03-03T15:30",
        "room": room.pk,
        "track": "",
        "capacity": "80",
        "access": "open",
        "restricted_to": "",
        "floor_languages": ["en", "ru"],
        "interpretation": ["uz"],
        "stream_url": "",
    }
    data.update(overrides)
    return data


# --- Access --------------------------------------------------------------------------------------

PAGES = ["manage-sessions", "manage-session-create", "manage-publish"]


@pytest.mark.parametrize("name", PAGES)
def test_manage_pages_anonymous_is_sent_to_log_in(client, event, name):
    response = client.get(url(name, event))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"] and "next=" in response["Location"]


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.FOCAL_POINT, EventRole.Role.JOURNALIST])
@pytest.mark.parametrize("name", PAGES)
def test_manage_pages_other_roles_are_forbidden(client, event, role, name):
    client.force_login(make_role(event, role).user)
    assert client.get(url(name, event)).status_code == 403


def test_manage_pages_organiser_of_another_event_is_forbidden(client, event):
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    assert client.get(url("manage-sessions", event)).status_code == 403


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
@pytest.mark.parametrize("name", PAGES)
def test_manage_pages_organisers_get_in(client, event, role, name):
    client.force_login(make_role(event, role).user)
    assert client.get(url(name, event)).status_code == 200


def test_manage_pages_superuser_gets_in(client, event):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(url("manage-sessions", event)).status_code == 200


def test_manage_pages_of_a_draft_event_are_not_found_for_others(client):
    event = make_event(status="draft")
    client.force_login(make_user())
    assert client.get(url("manage-sessions", event)).status_code == 404


def test_manage_views_declare_their_access():
    from majlis.programme import views_changes, views_manage

    for name in [
        "sessions",
        "session_create",
        "session_edit",
        "session_speakers",
        "speaker_remove",
        "speaker_position",
        "speakers_restore",
    ]:
        assert getattr(views_manage, name).majlis_access == "programme.draft"
    assert views_manage.publish.majlis_access == "programme.edit"
    assert views_changes.changes.majlis_access == "public"


# --- Side-event organisers -----------------------------------------------------------------------


@pytest.fixture
def side_event(event):
    own = make_organisation(name_en="SCO RATS")
    user = make_role(event, EventRole.Role.SIDE_EVENT_ORGANISER, organisation=own).user
    mine = make_session(event, title_en="Our side event", kind="side_event")
    mine.organisers.set([own])
    theirs = make_session(event, title_en="Someone else's side event", kind="side_event")
    theirs.organisers.set([make_organisation()])
    return {"user": user, "organisation": own, "mine": mine, "theirs": theirs}


def test_side_event_organiser_sees_the_list_and_edits_only_own_sessions(client, event, side_event):
    client.force_login(side_event["user"])
    listing = client.get(url("manage-sessions", event))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert url("manage-session-edit", event, pk=side_event["mine"].pk) in html
    assert url("manage-session-edit", event, pk=side_event["theirs"].pk) not in html
    assert client.get(url("manage-session-edit", event, pk=side_event["mine"].pk)).status_code == 200
    assert client.get(url("manage-session-speakers", event, pk=side_event["mine"].pk)).status_code == 200
    assert client.get(url("manage-session-edit", event, pk=side_event["theirs"].pk)).status_code == 403
    assert client.get(url("manage-session-speakers", event, pk=side_event["theirs"].pk)).status_code == 403
    person = make_person()
    response = client.post(
        url("manage-session-speakers", event, pk=side_event["theirs"].pk),
        {"person": person.pk, "role": "speaker", "delivery": "in_person"},
    )
    assert response.status_code == 403
    assert not side_event["theirs"].speakers.exists()


def test_side_event_organiser_cannot_publish(client, event, side_event):
    client.force_login(side_event["user"])
    assert client.get(url("manage-publish", event)).status_code == 403
    assert client.post(url("manage-publish", event), {"note": "Sneaky"}).status_code == 403
    assert not ProgrammeVersion.objects.exists()


def test_side_event_organiser_creates_sessions_of_their_organisation(client, event, side_event):
    client.force_login(side_event["user"])
    response = client.post(url("manage-session-create", event), session_post(event))
    assert response.status_code == 302
    session = Session.objects.get(title_en="Financing counter-terrorism programmes")
    assert list(session.organisers.all()) == [side_event["organisation"]]


def test_side_event_organiser_cannot_remove_their_organisation(client, event, side_event):
    client.force_login(side_event["user"])
    other = make_organisation()
    mine = side_event["mine"]
    data = session_post(event, title_en=mine.title_en, slug=mine.slug, organisers=[other.pk])
    response = client.post(url("manage-session-edit", event, pk=mine.pk), data)
    assert response.status_code == 400
    assert "Your organisation must stay among the organisers" in response.content.decode()
    assert list(mine.organisers.all()) == [side_event["organisation"]]


def test_side_event_organiser_without_organisation_edits_nothing(client, event, side_event):
    user = make_role(event, EventRole.Role.SIDE_EVENT_ORGANISER).user
    client.force_login(user)
    assert client.get(url("manage-sessions", event)).status_code == 200
    assert client.get(url("manage-session-edit", event, pk=side_event["mine"].pk)).status_code == 403


# --- The session list --------------------------------------------------------------------------


def test_session_list_shows_warnings_at_the_top_and_per_session(organiser_client, event):
    room = make_room(event.venue, name_en="Hall A", capacity=10)
    session = make_session(event, title_en="Crowded panel", room=room, capacity=50)
    response = organiser_client.get(url("manage-sessions", event))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("offers 50 places but Hall A has only 10 seats") == 2
    assert f'id="session-{session.pk}"' in html


def test_session_list_shows_times_in_the_event_time_zone(organiser_client, event):
    make_session(event, title_en="Opening")  # 10:00 in Tashkent, 05:00 UTC
    html = organiser_client.get(url("manage-sessions", event)).content.decode()
    assert "10:00–11:00" in html and "05:00–06:00" not in html


# --- The session form ----------------------------------------------------------------------------


def test_session_create_saves_every_field_in_the_event_time_zone(organiser_client, event):
    track = make_track(event)
    organisation = make_organisation()
    data = session_post(
        event,
        track=track.pk,
        organisers=[organisation.pk],
        access="restricted",
        restricted_to="delegation, igo",
        stream_url="https://stream.example.org/1",
        title_uz="Moliyalashtirish",
        abstract_ru="Сайд-ивент.",
    )
    response = organiser_client.post(url("manage-session-create", event), data)
    assert response.status_code == 302
    session = Session.objects.get()
    assert response["Location"] == url("manage-session-speakers", event, pk=session.pk)
    assert session.slug == "financing-counter-terrorism-programmes"
    assert session.title_ru == "Финансирование контртеррористических программ"
    assert session.title_uz == "Moliyalashtirish" and session.abstract_ru == "Сайд-ивент."
    assert session.starts_at == datetime(2022, 3, 3, 14, 0, tzinfo=event.tz)
    assert session.track == track and list(session.organisers.all()) == [organisation]
    assert session.restricted_to == ["delegation", "igo"]
    assert session.floor_languages == ["en", "ru"] and session.interpretation == ["uz"]
    assert session.capacity == 80 and session.stream_url == "https://stream.example.org/1"
    assert AuditEntry.objects.filter(action="programme.session_created", object_id=str(session.pk)).exists()


def test_session_create_with_bad_input_shows_field_errors_and_keeps_the_input(organiser_client, event):
    data = session_post(
        event,
        title_en="",
        starts_at="2022-03-03T15:00",
        ends_at="2022-03-03T14:00",
        capacity="-3",
        stream_url="not a link",
    )
    response = organiser_client.post(url("manage-session-create", event), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert {"title_en", "ends_at", "capacity", "stream_url"} <= set(form.errors)
    html = response.content.decode()
    assert "Финансирование контртеррористических программ" in html  # what was typed is still there
    assert 'value="2022-03-03T15:00"' in html and 'value="not a link"' in html
    assert re.search(r'name="floor_languages" value="ru"[^>]*checked', html)
    assert not Session.objects.exists()


def test_session_create_with_a_taken_slug_is_a_field_error(organiser_client, event):
    make_session(event, slug="taken")
    response = organiser_client.post(url("manage-session-create", event), session_post(event, slug="taken"))
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    assert Session.objects.count() == 1


def test_session_create_refuses_a_room_of_another_venue(organiser_client, event):
    other_room = make_room(make_venue())
    response = organiser_client.post(url("manage-session-create", event), session_post(event, room=other_room))
    assert response.status_code == 400
    assert "room" in response.context["form"].errors


def test_session_edit_shows_local_times_and_saves_changes(organiser_client, event):
    session = make_session(event, title_en="Opening", room=make_room(event.venue))
    page = organiser_client.get(url("manage-session-edit", event, pk=session.pk))
    assert 'value="2022-03-03T10:00"' in page.content.decode()
    data = session_post(
        event,
        title_en="Opening ceremony",
        slug=session.slug,
        starts_at="2022-03-03T09:30",
        ends_at="2022-03-03T10:30",
        is_cancelled="on",
    )
    response = organiser_client.post(url("manage-session-edit", event, pk=session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title_en == "Opening ceremony" and session.is_cancelled
    assert session.starts_at == datetime(2022, 3, 3, 9, 30, tzinfo=event.tz)
    entry = AuditEntry.objects.get(action="programme.session_updated")
    assert "title_en" in entry.data["changes"] and "starts_at" in entry.data["changes"]
    assert AuditEntry.objects.filter(action="programme.session_cancelled").exists()


def test_session_edit_of_another_event_is_not_found(organiser_client, event):
    other = make_session(make_event())
    assert organiser_client.get(url("manage-session-edit", event, pk=other.pk)).status_code == 404


# --- Speakers -----------------------------------------------------------------------------------


def test_speakers_page_shows_protocol_order_and_ranks(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(name_latin="Expert Person", protocol_rank=ProtocolRank.EXPERT))
    make_speaker(session, make_person(name_latin="Minister Person", protocol_rank=ProtocolRank.MINISTER))
    html = organiser_client.get(url("manage-session-speakers", event, pk=session.pk)).content.decode()
    assert html.index("Minister Person") < html.index("Expert Person")
    assert str(ProtocolRank.MINISTER.label) in html and str(ProtocolRank.EXPERT.label) in html


def test_speakers_add_remove_and_audit(organiser_client, event):
    session = make_session(event)
    person = make_person(name_latin="Helga Maria Schmid", protocol_rank=ProtocolRank.MINISTER)
    response = organiser_client.post(
        url("manage-session-speakers", event, pk=session.pk),
        {
            "person": person.pk,
            "role": "speaker",
            "delivery": "on_behalf",
            "on_behalf_of_en": "the OSCE",
            "on_behalf_of_ru": "ОБСЕ",
            "requested_at": "2022-03-01T09:15",
        },
    )
    assert response.status_code == 302
    appearance = SessionSpeaker.objects.get()
    assert appearance.on_behalf_of_ru == "ОБСЕ"
    assert appearance.requested_at == datetime(2022, 3, 1, 9, 15, tzinfo=event.tz)
    response = organiser_client.post(url("manage-speaker-remove", event, pk=session.pk, speaker=appearance.pk))
    assert response.status_code == 302
    assert not SessionSpeaker.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"programme.speaker_added", "programme.speaker_removed"} <= actions


def test_speakers_add_twice_in_the_same_role_is_a_field_error(organiser_client, event):
    session = make_session(event)
    person = make_person()
    make_speaker(session, person)
    response = organiser_client.post(
        url("manage-session-speakers", event, pk=session.pk),
        {
            "person": person.pk,
            "role": "speaker",
            "delivery": "in_person",
        },
    )
    assert response.status_code == 400
    assert "person" in response.context["speaker_form"].errors


def test_speakers_on_behalf_without_whom_is_an_error_that_keeps_the_input(organiser_client, event):
    session = make_session(event)
    person = make_person()
    response = organiser_client.post(
        url("manage-session-speakers", event, pk=session.pk),
        {
            "person": person.pk,
            "role": "keynote",
            "delivery": "on_behalf",
            "on_behalf_of_ru": "Президента",
        },
    )
    assert response.status_code == 400
    assert 'value="Президента"' in response.content.decode()


def test_speakers_manual_position_needs_a_reason(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(protocol_rank=ProtocolRank.MINISTER))
    late = make_speaker(session, make_person(protocol_rank=ProtocolRank.EXPERT))
    response = organiser_client.post(
        url("manage-speaker-position", event, pk=session.pk, speaker=late.pk),
        {f"s{late.pk}-position": "1", f"s{late.pk}-reason": ""},
    )
    assert response.status_code == 400
    assert "Give a reason for departing from protocol order." in response.content.decode()
    late.refresh_from_db()
    assert late.manual_position is None


def test_speakers_manual_position_shows_who_when_why_and_restore(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(name_latin="Minister", protocol_rank=ProtocolRank.MINISTER))
    video = make_speaker(session, make_person(name_latin="Video Message", protocol_rank=ProtocolRank.EXPERT))
    response = organiser_client.post(
        url("manage-speaker-position", event, pk=session.pk, speaker=video.pk),
        {f"s{video.pk}-position": "1", f"s{video.pk}-reason": "Technical slot"},
    )
    assert response.status_code == 302
    html = organiser_client.get(url("manage-session-speakers", event, pk=session.pk)).content.decode()
    assert html.index("Video Message") < html.index("Minister")
    username = EventRole.objects.get(event=event).user.username
    assert "Technical slot" in html and username in html
    response = organiser_client.post(url("manage-speakers-restore", event, pk=session.pk))
    assert response.status_code == 302
    html = organiser_client.get(url("manage-session-speakers", event, pk=session.pk)).content.decode()
    assert html.index("Minister") < html.index("Video Message")
    assert "Technical slot" not in html


def test_speakers_back_to_protocol_order_for_one_speaker(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(protocol_rank=ProtocolRank.MINISTER))
    video = make_speaker(
        session, make_person(protocol_rank=ProtocolRank.EXPERT), manual_position=1, override_reason="x"
    )
    response = organiser_client.post(
        url("manage-speaker-position", event, pk=session.pk, speaker=video.pk), {"action": "protocol"}
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.manual_position is None


def test_speaker_actions_need_post(organiser_client, event):
    session = make_session(event)
    speaker = make_speaker(session, make_person())
    assert (
        organiser_client.get(url("manage-speaker-remove", event, pk=session.pk, speaker=speaker.pk)).status_code == 405
    )


# --- Publishing ----------------------------------------------------------------------------------


def test_publish_page_shows_changes_since_the_last_version(organiser_client, event):
    from majlis.programme.services import publish_programme

    session = make_session(event, title_en="Opening")
    publish_programme(event, actor=None, note="First")
    session.is_cancelled = True
    session.save()
    make_session(event, title_en="Brand new panel")
    html = organiser_client.get(url("manage-publish", event)).content.decode()
    assert "Brand new panel" in html and "Opening" in html and "Cancelled." in html


def test_publish_page_needs_a_note(organiser_client, event):
    response = organiser_client.post(url("manage-publish", event), {"note": ""})
    assert response.status_code == 400
    assert "Say in a few words what changed" in response.content.decode()
    assert not ProgrammeVersion.objects.exists()


def test_publish_page_publishes_and_redirects_to_the_changes(organiser_client, event):
    make_session(event)
    response = organiser_client.post(url("manage-publish", event), {"note": "First programme"})
    assert response.status_code == 302
    assert response["Location"] == url("changes", event)
    version = ProgrammeVersion.objects.get()
    assert version.number == 1 and version.note == "First programme" and version.published_by is not None
    response = organiser_client.post(url("manage-publish", event), {"note": "Second"})
    assert ProgrammeVersion.objects.filter(event=event).order_by("number").last().number == 2


def test_manage_pages_need_csrf(event):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    assert client.post(url("manage-publish", event), {"note": "x"}).status_code == 403
    assert not ProgrammeVersion.objects.exists()
