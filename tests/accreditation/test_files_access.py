"""Personal files are served only to the participant, their focal point and the organisers; others get 404."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from majlis.accreditation import views_files
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.personal_data_helpers import (  # noqa: F401 - fixtures
    JPEG_BYTES,
    PDF_BYTES,
    application,
    category,
    delegation,
    delegation_document,
)
from tests.factories import make_event, make_role, make_user

pytestmark = [pytest.mark.django_db]

ACTIONS = {
    "photo": "accreditation.photo_viewed",
    "document": "accreditation.document_viewed",
    "delegation-document": "accreditation.delegation_document_viewed",
}


@pytest.fixture
def world():
    event = make_event()
    focal_point = make_user(password=None)
    other_focal_point = make_user(password=None)
    own = delegation(event, focal_point=focal_point)
    other = delegation(event, focal_point=other_focal_point)
    participant = make_user(password=None)
    member = application(
        event, user=participant, delegation=own, photo=JPEG_BYTES, document=PDF_BYTES, document_name="Нота №12.pdf"
    )
    other_participant = make_user(password=None)
    application(event, user=other_participant, delegation=other, photo=JPEG_BYTES)
    journalist = make_user(password=None)
    make_role(event, EventRole.Role.JOURNALIST, user=journalist)
    application(event, user=journalist, category=category(event, code="media", name="Media"), photo=JPEG_BYTES)
    return {
        "event": event,
        "application": member,
        "document": delegation_document(own),
        "participant": participant,
        "other_participant": other_participant,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "organiser": make_role(event, EventRole.Role.ORGANISER_ADMIN, user=make_user(password=None)).user,
        "co_organiser": make_role(event, EventRole.Role.CO_ORGANISER, user=make_user(password=None)).user,
        "organiser_of_another_event": make_role(
            make_event(), EventRole.Role.ORGANISER_ADMIN, user=make_user(password=None)
        ).user,
        "superuser": make_user(is_superuser=True, is_staff=True, password=None),
        "journalist": journalist,
        "side_event_organiser": make_role(
            event, EventRole.Role.SIDE_EVENT_ORGANISER, user=make_user(password=None)
        ).user,
        "gate_officer": make_role(event, EventRole.Role.GATE_OFFICER, user=make_user(password=None)).user,
    }


def file_url(world, kind):
    with translation.override("en"):
        if kind == "delegation-document":
            return reverse("accreditation-files:delegation-document", kwargs={"document": world["document"].pk})
        return reverse(f"accreditation-files:{kind}", kwargs={"application": world["application"].pk})


ALLOWED = {
    "photo": {"participant", "focal_point", "organiser", "co_organiser", "superuser"},
    "document": {"participant", "focal_point", "organiser", "co_organiser", "superuser"},
    "delegation-document": {"focal_point", "organiser", "co_organiser", "superuser"},
}
ROLES = [
    "participant",
    "other_participant",
    "focal_point",
    "other_focal_point",
    "organiser",
    "co_organiser",
    "organiser_of_another_event",
    "superuser",
    "journalist",
    "side_event_organiser",
    "gate_officer",
]


@pytest.mark.parametrize("kind", ["photo", "document", "delegation-document"])
@pytest.mark.parametrize("role", ROLES)
def test_personal_file_access_by_role(client, world, kind, role):
    client.force_login(world[role])
    response = client.get(file_url(world, kind))
    entries = AuditEntry.objects.filter(action=ACTIONS[kind])
    if role in ALLOWED[kind]:
        assert response.status_code == 200
        (entry,) = entries
        assert entry.actor == world[role]
        assert entry.event_slug == world["event"].slug
        assert entry.ip_address == "127.0.0.1"
    else:
        assert response.status_code == 404, "never 403: nobody learns that the file exists"
        assert not entries.exists()


@pytest.mark.parametrize("kind", ["photo", "document", "delegation-document"])
def test_personal_file_anonymous_is_sent_to_log_in(client, world, kind):
    response = client.get(file_url(world, kind))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"] and "next=" in response["Location"]
    assert not AuditEntry.objects.filter(action=ACTIONS[kind]).exists()


def test_personal_file_unknown_id_is_404_like_a_forbidden_one(client, world):
    client.force_login(world["other_participant"])
    forbidden = client.get(file_url(world, "photo"))
    with translation.override("en"):
        missing = client.get(reverse("accreditation-files:photo", kwargs={"application": 999999}))
    assert forbidden.status_code == missing.status_code == 404

    def page(response, pk):
        text = response.content.decode().replace(f"/photo/{pk}/", "/photo/N/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(forbidden, world["application"].pk) == page(missing, 999999)


def test_personal_file_every_view_is_audited(client, world):
    client.force_login(world["organiser"])
    for _ in range(3):
        assert client.get(file_url(world, "photo")).status_code == 200
    assert AuditEntry.objects.filter(action="accreditation.photo_viewed").count() == 3


def test_photo_response_headers(client, world):
    client.force_login(world["participant"])
    response = client.get(file_url(world, "photo"))
    assert b"".join(response.streaming_content) == JPEG_BYTES
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_supporting_document_keeps_its_original_name(client, world):
    client.force_login(world["focal_point"])
    response = client.get(file_url(world, "document"))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=UTF-8''%D0%9D%D0%BE%D1%82%D0%B0%20%E2%84%9612.pdf" in disposition
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # The file is stored under a random name, never the original one.
    assert "Нота" not in world["application"].supporting_document.name


def test_delegation_document_headers(client, world):
    client.force_login(world["organiser"])
    response = client.get(file_url(world, "delegation-document"))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "Note%20verbale%20%E2%84%9612.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_personal_file_absent_is_404(client, world):
    world["application"].photo = ""
    world["application"].save()
    client.force_login(world["participant"])
    assert client.get(file_url(world, "photo")).status_code == 404
    assert not AuditEntry.objects.filter(action="accreditation.photo_viewed").exists()


def test_personal_file_missing_from_storage_is_404(client, world):
    photo = world["application"].photo
    photo.storage.delete(photo.name)
    client.force_login(world["participant"])
    assert client.get(file_url(world, "photo")).status_code == 404


def test_personal_file_post_is_refused(client, world):
    client.force_login(world["participant"])
    assert client.post(file_url(world, "photo")).status_code == 405


def test_personal_file_views_declare_their_access():
    for view in (views_files.photo, views_files.supporting_document, views_files.delegation_document):
        assert view.majlis_access == "authenticated"
