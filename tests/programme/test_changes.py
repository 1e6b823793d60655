"""Publishing versions, the differences between them, and the public page that lists them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from majlis.core.models import AuditEntry
from majlis.programme import services
from majlis.programme.changes import describe, diff_snapshots
from majlis.programme.models import ProgrammeVersion, SessionSpeaker
from majlis.programme.snapshot import build_snapshot
from tests.factories import (
    make_event,
    make_person,
    make_room,
    make_sample_programme,
    make_session,
    make_speaker,
    make_user,
    make_venue,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def event():
    return make_event(venue=make_venue())


@pytest.fixture
def organiser(event):
    from tests.factories import make_role

    return make_role(event, "organiser_admin").user


# --- diff_snapshots ----------------------------------------------------------------------------


def test_diff_snapshots_first_version_adds_every_session(event):
    make_session(event)
    make_session(event)
    changes = diff_snapshots(None, build_snapshot(event))
    assert len(changes.added) == 2
    assert not (changes.removed or changes.moved or changes.cancelled or changes.speakers)


def test_diff_snapshots_same_programme_is_empty(event):
    session = make_session(event)
    make_speaker(session, make_person())
    snapshot = build_snapshot(event)
    assert diff_snapshots(snapshot, build_snapshot(event)).is_empty
    assert describe(diff_snapshots(snapshot, snapshot)) == []


def test_diff_snapshots_added_and_removed_sessions(event):
    kept = make_session(event)
    gone = make_session(event, title_en="Gone")
    old = build_snapshot(event)
    gone.delete()
    new_session = make_session(event, title_en="New")
    changes = diff_snapshots(old, build_snapshot(event))
    assert [row["guid"] for row in changes.added] == [str(new_session.guid)]
    assert [row["title"]["en"] for row in changes.removed] == ["Gone"]
    assert str(kept.guid) not in {row["guid"] for row in changes.added + changes.removed}


def test_diff_snapshots_cancelled_and_reinstated_sessions(event):
    cancelled = make_session(event)
    reinstated = make_session(event, is_cancelled=True)
    old = build_snapshot(event)
    cancelled.is_cancelled = True
    cancelled.save()
    reinstated.is_cancelled = False
    reinstated.save()
    changes = diff_snapshots(old, build_snapshot(event))
    assert [row["guid"] for row in changes.cancelled] == [str(cancelled.guid)]
    assert [row["guid"] for row in changes.reinstated] == [str(reinstated.guid)]


def test_diff_snapshots_moved_in_time_and_room(event):
    hall_a = make_room(event.venue, name_en="Hall A")
    hall_b = make_room(event.venue, name_en="Hall B")
    in_time = make_session(event, room=hall_a)
    in_room = make_session(
        event,
        room=hall_a,
        starts_at=in_time.starts_at + timedelta(hours=3),
        ends_at=in_time.ends_at + timedelta(hours=3),
    )
    old = build_snapshot(event)
    in_time.starts_at += timedelta(hours=1)
    in_time.ends_at += timedelta(hours=1)
    in_time.save()
    in_room.room = hall_b
    in_room.save()
    changes = diff_snapshots(old, build_snapshot(event))
    moves = {move.session["guid"]: move for move in changes.moved}
    assert moves[str(in_time.guid)].time_changed and not moves[str(in_time.guid)].room_changed
    assert moves[str(in_room.guid)].room_changed and not moves[str(in_room.guid)].time_changed
    texts = {line.session_guid: line.text for line in describe(changes)}
    assert "11:00" in texts[str(in_time.guid)] and "10:00" in texts[str(in_time.guid)]  # Tashkent time
    assert "Hall A" in texts[str(in_room.guid)] and "Hall B" in texts[str(in_room.guid)]


def test_diff_snapshots_retitled_session(event):
    session = make_session(event, title_en="Old title", title_ru="Старое название")
    old = build_snapshot(event)
    session.title_ru = "Новое название"
    session.save()
    changes = diff_snapshots(old, build_snapshot(event))
    assert [r.session["guid"] for r in changes.retitled] == [str(session.guid)]
    with translation.override("ru"):
        line = describe(changes)[0]
    assert line.session_title == "Новое название" and "Старое название" in line.text


def test_diff_snapshots_speaker_added_removed_and_role_changed(event):
    session = make_session(event)
    stays = make_person(name_latin="Stays")
    leaves = make_person(name_latin="Leaves")
    changes_role = make_person(name_latin="Changes Role")
    make_speaker(session, stays)
    make_speaker(session, leaves)
    chair = make_speaker(session, changes_role, role=SessionSpeaker.Role.SPEAKER)
    old = build_snapshot(event)
    SessionSpeaker.objects.filter(person=leaves).delete()
    chair.role = SessionSpeaker.Role.CHAIR
    chair.save()
    arrives = make_person(name_latin="Arrives")
    make_speaker(session, arrives)
    changes = diff_snapshots(old, build_snapshot(event))
    [speakers] = changes.speakers
    assert speakers.added == [(arrives.slug, "speaker")]
    assert speakers.removed == [(leaves.slug, "speaker")]
    assert speakers.role_changes == [(changes_role.slug, ["speaker"], ["chair"])]
    texts = " ".join(line.text for line in describe(changes))
    assert "Arrives" in texts and "Leaves" in texts and "Changes Role" in texts


# --- publish_programme -------------------------------------------------------------------------


def test_publish_programme_numbers_versions_consecutively(event, organiser):
    make_session(event)
    numbers = [services.publish_programme(event, actor=organiser, note=f"Version {i}").number for i in range(3)]
    assert numbers == [1, 2, 3]
    other = make_event()
    assert services.publish_programme(other, actor=organiser, note="Other event").number == 1


def test_publish_programme_snapshot_is_immutable(event, organiser):
    session = make_session(event, title_en="Before")
    version = services.publish_programme(event, actor=organiser, note="First")
    session.title_en = "After"
    session.save()
    version.refresh_from_db()
    assert version.snapshot["sessions"][0]["title"]["en"] == "Before"
    version.note = "Rewritten history"
    with pytest.raises(ValidationError):
        version.save()
    assert ProgrammeVersion.objects.get(pk=version.pk).note == "First"


def test_publish_programme_writes_an_audit_entry(event, organiser):
    make_session(event)
    version = services.publish_programme(event, actor=organiser, note="Panel 3 moved")
    entry = AuditEntry.objects.get(action="programme.published")
    assert entry.actor == organiser and entry.reason == "Panel 3 moved" and entry.object_id == str(version.pk)
    assert entry.data["version"] == 1 and entry.event_slug == event.slug


def test_publish_programme_without_note_is_refused(event, organiser):
    with pytest.raises(ValidationError) as info:
        services.publish_programme(event, actor=organiser, note="   ")
    assert "note" in info.value.message_dict
    assert not ProgrammeVersion.objects.exists()


# --- the public changes page --------------------------------------------------------------------


def _changes_url(event, language):
    with translation.override(language):
        return reverse("events:programme:changes", kwargs={"event": event.slug})


def test_changes_page_before_publication_shows_a_message(client, event):
    response = client.get(_changes_url(event, "en"))
    assert response.status_code == 200
    assert "has not been published yet" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "moved_title"),
    [("en", "Opening of the conference"), ("ru", "Открытие конференции"), ("uz", "Konferensiyaning ochilishi")],
)
def test_changes_page_lists_versions_in_each_language(
    client,
    event,
    organiser,
    language,
    moved_title,
):
    sample = make_sample_programme(event)
    services.publish_programme(event, actor=organiser, note="First programme")
    opening = sample["opening"]
    opening.starts_at += timedelta(minutes=30)
    opening.ends_at += timedelta(minutes=30)
    opening.save()
    services.cancel_session(sample["closing"], actor=organiser)
    services.publish_programme(event, actor=organiser, note="Opening starts later")
    response = client.get(_changes_url(event, language))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in html
    assert 'id="version-2"' in html and 'id="version-1"' in html
    assert "Opening starts later" in html and "First programme" in html
    assert html.index("Opening starts later") < html.index("First programme")  # newest first
    assert moved_title in html
    assert "09:30" in html  # the new time, in Tashkent time


def test_changes_page_of_a_draft_event_is_hidden_from_the_public(client):
    event = make_event(status="draft")
    assert client.get(_changes_url(event, "en")).status_code == 404


def test_changes_page_of_a_draft_event_is_shown_to_its_organisers(client):
    event = make_event(status="draft")
    user = make_user()
    from tests.factories import make_role

    make_role(event, "organiser_admin", user=user)
    client.force_login(user)
    assert client.get(_changes_url(event, "en")).status_code == 200
