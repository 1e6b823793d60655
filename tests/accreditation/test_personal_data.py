"""A participant downloads all data held about them and asks for its deletion; passports stay encrypted."""

import json
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accreditation import personal_data, services, views_personal_data
from majlis.accreditation.models import Application, SessionSeat
from majlis.core import audit, outbox
from majlis.core.models import AuditEntry, OutboxMessage
from tests.accreditation.personal_data_helpers import (  # noqa: F401 - fixtures
    JPEG_BYTES,
    PASSPORT,
    PDF_BYTES,
    application,
    delegation,
)
from tests.factories import make_event, make_session, make_user

pytestmark = [pytest.mark.django_db]


def url(name):
    with translation.override("en"):
        return reverse(f"my-data:{name}")


@pytest.fixture
def person():
    return make_user(email="dilnoza.karimova@example.org", first_name="Dilnoza", last_name="Karimova", password=None)


@pytest.fixture
def held(person):
    """Two applications of the person in two events, with a passport, a photo, a session and e-mails."""
    past = make_event(slug="tashkent-2022", start_date=date(2022, 3, 3))
    future = make_event(start_date=date(2031, 5, 1))
    first = application(past, user=person, passport=PASSPORT, photo=JPEG_BYTES, document=PDF_BYTES, language="ru")
    second = application(future, user=person, mode="online", status=Application.Status.APPROVED)
    session = make_session(past, title_en="Financing counter-terrorism programmes")
    SessionSeat.objects.create(application=first, session=session, status=SessionSeat.Status.CONFIRMED)
    OutboxMessage.objects.create(
        key=f"application:{first.pk}:approved:1",
        related=outbox.related_key(first),
        event_id=past.pk,
        recipient=person.email,
        language="ru",
        template="approved",
        subject="Conference: Your accreditation is approved",
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
    )
    audit.record("accreditation.approved", actor="an organiser", obj=first, event_slug=past.slug, reason="Welcome.")
    someone_else = application(past, user=make_user(password=None), passport="ZZ9999999", family_name="Other")
    return {"past": past, "future": future, "first": first, "second": second, "other": someone_else}


def test_export_holds_everything_about_the_person(person, held):
    data = personal_data.export_personal_data(person)
    assert data["account"]["email"] == person.email
    assert data["account"]["last_name"] == "Karimova"
    by_event = {item["event"]["slug"]: item for item in data["applications"]}
    assert set(by_event) == {"tashkent-2022", held["future"].slug}
    first = by_event["tashkent-2022"]
    assert first["passport_number"] == PASSPORT
    assert first["family_name"] == held["first"].family_name
    assert first["name_native"] == "Дилноза Каримова"
    assert first["phone"] == "+998 71 123 45 67"
    assert first["language"] == "ru"
    assert first["photo"]["size"] == len(JPEG_BYTES)
    assert first["photo"]["download"].endswith(f"/account/files/photo/{held['first'].pk}/")
    assert first["supporting_document"]["name"] == "Press card.pdf"
    assert first["sessions"] == [
        {
            "session": "Financing counter-terrorism programmes",
            "starts_at": first["sessions"][0]["starts_at"],
            "seat": "confirmed",
            "requested_at": first["sessions"][0]["requested_at"],
        }
    ]
    assert by_event[held["future"].slug]["passport_number"] is None
    assert [n["subject"] for n in data["notifications"]] == ["Conference: Your accreditation is approved"]
    assert data["notifications"][0]["sent_at"]
    actions = [entry["action"] for entry in data["audit_log"]]
    assert "accreditation.approved" in actions
    assert next(e for e in data["audit_log"] if e["action"] == "accreditation.approved")["reason"] == "Welcome."
    # Nothing about the other applicant.
    dumped = json.dumps(data, default=str)
    assert "ZZ9999999" not in dumped and "Other" not in dumped


def test_export_is_audited_with_each_passport_decryption(person, held):
    personal_data.export_personal_data(person)
    exported = AuditEntry.objects.get(action="accreditation.personal_data_exported")
    assert exported.actor == person
    viewed = AuditEntry.objects.filter(action="accreditation.passport_viewed")
    assert [(e.object_id, e.actor_id, e.data["purpose"]) for e in viewed] == [
        (str(held["first"].pk), person.pk, "personal data export")
    ]


def test_my_data_page_needs_log_in(client):
    for name in ("home", "delete"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    response = client.post(url("export"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_my_data_page_lists_the_applications(client, person, held):
    client.force_login(person)
    response = client.get(url("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert str(held["past"].title) in content and str(held["future"].title) in content
    assert "Download all my data (JSON)" in content
    assert PASSPORT not in content


def test_my_data_download_is_a_json_attachment(client, person, held):
    client.force_login(person)
    response = client.post(url("export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="majlis-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "majlis-personal-data"
    assert {a["passport_number"] for a in data["applications"]} == {PASSPORT, None}
    entry = AuditEntry.objects.get(action="accreditation.personal_data_exported")
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_my_data_pages_in_every_language(client, person, held, language):
    client.force_login(person)
    for name in ("home", "delete"):
        with translation.override(language):
            assert client.get(reverse(f"my-data:{name}")).status_code == 200


def test_my_data_download_needs_post(client, person):
    client.force_login(person)
    assert client.get(url("export")).status_code == 405


def test_my_data_download_of_another_person_holds_only_theirs(client, held):
    stranger = make_user(password=None)
    client.force_login(stranger)
    data = json.loads(client.post(url("export")).content)
    assert data["applications"] == []
    assert data["notifications"] == []


def test_deletion_needs_confirmation(client, person, held):
    client.force_login(person)
    response = client.post(url("delete"), {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not Application.objects.filter(deletion_requested_at__isnull=False).exists()


def test_deletion_page_warns_what_gets_cancelled(client, person, held):
    client.force_login(person)
    content = client.get(url("delete")).content.decode()
    assert "also cancels these applications" in content
    assert str(held["future"].title) in content


def test_deletion_request_purges_and_cancels(client, person, held, django_capture_on_commit_callbacks):
    client.force_login(person)
    photo = held["first"].photo
    storage, photo_name = photo.storage, photo.name
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url("delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("home")
    for key in ("first", "second"):
        app = Application.objects.get(pk=held[key].pk)
        assert app.deletion_requested_at is not None
        assert app.personal_data_purged_at is not None
        assert app.family_name == "" and app.email == "" and app.user is None
        assert app.passport_number_encrypted is None
    # The accreditation for the future event went through the service: cancelled, with an audit entry.
    assert Application.objects.get(pk=held["second"].pk).status == Application.Status.CANCELLED
    assert AuditEntry.objects.filter(action="accreditation.cancelled", object_id=str(held["second"].pk)).exists()
    assert AuditEntry.objects.filter(action="accreditation.deletion_requested").count() == 2
    assert not storage.exists(photo_name)
    # The other applicant is untouched.
    other = Application.objects.get(pk=held["other"].pk)
    assert other.family_name == "Other" and other.personal_data_purged_at is None


def test_deletion_postponed_for_an_approved_application_of_an_event_not_over(person):
    event = make_event(start_date=date(2031, 5, 1))
    app = application(event, user=person, status=Application.Status.APPROVED)
    Application.objects.filter(pk=app.pk).update(deletion_requested_at=timezone.now())
    app.refresh_from_db()
    assert not personal_data.deletion_due(app, timezone.now())
    assert personal_data.deletion_date(app) == date(2031, 5, 3)
    assert personal_data.deletion_due(app, timezone.make_aware(timezone.datetime(2031, 5, 3, 12)))


def test_passport_column_never_holds_the_clear_number(held):
    table = Application._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [held["first"].pk])  # noqa: S608
        row = cursor.fetchone()
    raw = b"".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row)
    assert PASSPORT.encode() not in raw
    assert services.passport_number(held["first"], actor=None) == PASSPORT


def test_my_data_views_declare_their_access():
    for view in (views_personal_data.my_data, views_personal_data.export, views_personal_data.request_deletion):
        assert view.majlis_access == "authenticated"
