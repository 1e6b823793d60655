"""The programme's back office: pages load, names are found in any script, versions are read-only."""

import pytest
from django.urls import reverse

from majlis.programme.models import ProgrammeVersion, ProtocolRank
from majlis.programme.services import publish_programme
from tests.factories import make_event, make_person, make_session, make_speaker, make_track, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_admin_programme_pages_load(admin_client):
    event = make_event()
    track = make_track(event)
    session = make_session(event, track=track)
    person = make_person(protocol_rank=ProtocolRank.MINISTER)
    make_speaker(session, person)
    for name, args in [
        ("admin:programme_track_changelist", []),
        ("admin:programme_track_change", [track.pk]),
        ("admin:programme_person_changelist", []),
        ("admin:programme_person_change", [person.pk]),
        ("admin:programme_session_changelist", []),
        ("admin:programme_session_change", [session.pk]),
        ("admin:programme_session_add", []),
        ("admin:programme_programmeversion_changelist", []),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_admin_person_search_finds_names_in_any_script(admin_client):
    make_person(name_latin="Vladimir Voronkov", name_native="Владимир Воронков")
    make_person(name_latin="Zhang Ming", name_native="张明")
    url = reverse("admin:programme_person_changelist")
    assert "Vladimir Voronkov" in admin_client.get(url, {"q": "Воронков"}).content.decode()
    assert "Zhang Ming" in admin_client.get(url, {"q": "张明"}).content.decode()
    assert "Zhang Ming" not in admin_client.get(url, {"q": "Воронков"}).content.decode()


def test_admin_programme_versions_are_read_only(admin_client):
    event = make_event()
    make_session(event)
    version = publish_programme(event, actor=None, note="First")
    assert admin_client.get(reverse("admin:programme_programmeversion_add")).status_code == 403
    page = admin_client.get(reverse("admin:programme_programmeversion_change", args=[version.pk]))
    assert page.status_code == 200  # view only
    response = admin_client.post(
        reverse("admin:programme_programmeversion_change", args=[version.pk]), {"note": "Rewritten"}
    )
    assert response.status_code == 403
    assert (
        admin_client.post(
            reverse("admin:programme_programmeversion_delete", args=[version.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ProgrammeVersion.objects.get().note == "First"
