"""The back office: every page of every registered model, permissions, uploads, audited actions."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from majlis.core.admin_site import admin_site
from majlis.core.audit import record
from majlis.core.models import AuditEntry
from majlis.core.validators import inspect_document_file, validate_logo, validate_svg
from majlis.events.models import Document, Event, EventRole, Organisation
from tests.factories import (
    PDF_BYTES,
    make_contact,
    make_document,
    make_event,
    make_event_organisation,
    make_news,
    make_role,
    make_series,
    make_user,
)

pytestmark = pytest.mark.django_db

CLEAN_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
    b'<rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/></svg>'
)


@pytest.fixture(autouse=True)
def _password_only_admin(settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False


@pytest.fixture
def sample_data():
    series = make_series()
    event = make_event(series=series)
    make_event_organisation(event)
    make_news(event)
    make_document(event)
    make_contact(event)
    make_role(event, EventRole.Role.ORGANISER_ADMIN)
    record("test.entry", actor="system", obj=event, event_slug=event.slug)
    return event


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _png_bytes(image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def test_admin_every_changelist_add_and_change_page_renders_for_a_superuser(admin_client, admin_user, sample_data):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert admin_site._registry, "nothing is registered on the Majlis admin site"
    for model, model_admin in admin_site._registry.items():
        response = admin_client.get(_admin_url(model, "changelist"))
        assert response.status_code == 200, f"{model.__name__} changelist: {response.status_code}"
        response = admin_client.get(_admin_url(model, "add"))
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert response.status_code == expected, f"{model.__name__} add page: {response.status_code}"
        obj = model._default_manager.first()
        if obj is not None:
            response = admin_client.get(_admin_url(model, "change", obj.pk))
            assert response.status_code == 200, f"{model.__name__} change page: {response.status_code}"


def test_admin_registers_the_expected_models_on_the_majlis_site():
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from majlis.events import models as m

    expected = {
        m.Event,
        m.Series,
        m.Organisation,
        m.Venue,
        m.Document,
        m.NewsItem,
        m.Contact,
        m.EventRole,
        AuditEntry,
        get_user_model(),
        Group,
        TOTPDevice,
        StaticDevice,
    }
    assert expected <= set(admin_site._registry)


def test_admin_index_redirects_anonymous_visitors_to_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_model_pages_redirect_anonymous_visitors_to_login(client):
    for model in admin_site._registry:
        response = client.get(_admin_url(model, "changelist"))
        assert response.status_code == 302, model
        assert response["Location"].startswith(reverse("admin:login")), model


def test_admin_refuses_a_user_who_is_not_staff(client):
    user = make_user()
    client.force_login(user)
    for model in admin_site._registry:
        response = client.get(_admin_url(model, "changelist"))
        assert response.status_code in {302, 403}, model
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login"))


def test_admin_login_with_password_works_when_2fa_is_off(client):
    user = make_user(is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "correct horse battery staple 42", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_audit_log_admin_refuses_add_change_and_delete(admin_client):
    entry = record("test.entry", actor="system", reason="testing")
    assert admin_client.get(_admin_url(AuditEntry, "add")).status_code == 403
    assert admin_client.post(_admin_url(AuditEntry, "add"), {"action": "forged"}).status_code == 403
    assert admin_client.post(_admin_url(AuditEntry, "change", entry.pk), {"action": "forged"}).status_code == 403
    assert admin_client.post(_admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        _admin_url(AuditEntry, "changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.action == "test.entry"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    # The change page is a read-only view.
    response = admin_client.get(_admin_url(AuditEntry, "change", entry.pk))
    assert response.status_code == 200
    assert b'name="action"' not in response.content


def test_audit_log_admin_filters_by_action_and_event_and_searches(admin_client):
    record("event.published", actor="system", event_slug="tashkent-2022", reason="launch")
    record("event.archived", actor="system", event_slug="other-2020")
    url = _admin_url(AuditEntry, "changelist")
    response = admin_client.get(url, {"action": "event.published"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("action", flat=True)) == ["event.published"]
    response = admin_client.get(url, {"event_slug": "other-2020"})
    assert list(response.context["cl"].result_list.values_list("action", flat=True)) == ["event.archived"]
    response = admin_client.get(url, {"q": "launch"})
    assert list(response.context["cl"].result_list.values_list("action", flat=True)) == ["event.published"]


def test_event_admin_publish_action_changes_status_and_writes_audit_entries(admin_client, admin_user):
    drafts = [make_event(status=Event.Status.DRAFT) for _ in range(2)]
    already = make_event(status=Event.Status.PUBLISHED)
    response = admin_client.post(
        _admin_url(Event, "changelist"),
        {"action": "publish_events", "_selected_action": [e.pk for e in [*drafts, already]]},
    )
    assert response.status_code == 302
    for event in drafts:
        event.refresh_from_db()
        assert event.status == Event.Status.PUBLISHED
        entry = AuditEntry.objects.get(action="event.published", event_slug=event.slug)
        assert entry.actor == admin_user
        assert entry.data["previous_status"] == "draft"
        assert entry.ip_address == "127.0.0.1"
    assert not AuditEntry.objects.filter(event_slug=already.slug).exists()


def test_event_admin_archive_action_writes_audit_entries(admin_client):
    event = make_event(status=Event.Status.PUBLISHED)
    admin_client.post(_admin_url(Event, "changelist"), {"action": "archive_events", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.ARCHIVED
    assert AuditEntry.objects.filter(action="event.archived", event_slug=event.slug, object_id=str(event.pk)).exists()


def _event_form_data(**overrides):
    data = {
        "slug": "dushanbe-2024",
        "status": "draft",
        "series": "",
        "title_en": "Dushanbe conference",
        "title_ru": "Душанбинская конференция",
        "title_uz": "",
        "short_title_en": "Dushanbe 2024",
        "short_title_ru": "",
        "short_title_uz": "",
        "summary_en": "A conference.",
        "summary_ru": "",
        "summary_uz": "",
        "start_date": "2024-05-01",
        "end_date": "2024-05-02",
        "time_zone": "Asia/Dushanbe",
        "city_en": "Dushanbe",
        "city_ru": "Душанбе",
        "city_uz": "",
        "country": "TJ",
        "venue": "",
        "format": "in_person",
        "expected_participants": "",
        "website": "",
    }
    for prefix in ("organisation_roles", "pillars", "contacts"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_event_admin_form_shows_per_language_fields_side_by_side(admin_client):
    response = admin_client.get(_admin_url(Event, "add"))
    content = response.content.decode()
    for name in ("title_en", "title_ru", "title_uz", "summary_uz", "city_ru"):
        assert f'name="{name}"' in content
    # One form row holds the three language versions of the title.
    row_start = content.index('name="title_en"')
    row = content[content.rindex('class="form-row', 0, row_start) :]
    row = row[: row.index('name="title_uz"')]
    assert 'name="title_ru"' in row


def test_event_admin_add_and_status_change_are_audited(admin_client):
    response = admin_client.post(_admin_url(Event, "add"), _event_form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get(slug="dushanbe-2024")
    assert event.title_ru == "Душанбинская конференция"
    assert AuditEntry.objects.filter(action="event.created", event_slug=event.slug).exists()
    response = admin_client.post(_admin_url(Event, "change", event.pk), _event_form_data(status="published"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="event.published", event_slug=event.slug).exists()


def test_event_admin_searches_any_language(admin_client):
    make_event(title_ru="Самаркандская встреча", slug="samarkand-2023")
    make_event(slug="almaty-2021")
    response = admin_client.get(_admin_url(Event, "changelist"), {"q": "Самаркандская"})
    assert [e.slug for e in response.context["cl"].result_list] == ["samarkand-2023"]


def test_view_on_site_redirects_to_the_public_pages_of_event_and_news(admin_client):
    event = make_event(slug="bishkek-2025")
    news = make_news(event, slug="opening")
    for obj, expected in ((event, "/bishkek-2025/"), (news, "/bishkek-2025/news/opening/")):
        content_type = ContentType.objects.get_for_model(obj)
        response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
        assert response.status_code == 302
        assert response["Location"].endswith(expected)
        change_page = admin_client.get(_admin_url(type(obj), "change", obj.pk)).content.decode()
        assert reverse("admin:view_on_site", args=[content_type.pk, obj.pk]) in change_page


def test_organisation_admin_searches_names_and_acronyms_in_every_language(admin_client):
    from tests.factories import make_organisation

    make_organisation(
        name_en="United Nations Office of Counter-Terrorism",
        acronym_en="UNOCT",
        name_ru="Контртеррористическое управление ООН",
        acronym_ru="КТУ ООН",
    )
    make_organisation(name_en="Other body", acronym_en="OB")
    url = _admin_url(Organisation, "changelist")
    for term in ("UNOCT", "Контртеррористическое", "КТУ"):
        response = admin_client.get(url, {"q": term})
        assert [o.acronym_en for o in response.context["cl"].result_list] == ["UNOCT"], term
    response = admin_client.get(url, {"kind": "igo", "country": ""})
    assert response.status_code == 200


def _organisation_post(logo):
    return {
        "name_en": "Regional Anti-Terrorist Structure",
        "name_ru": "",
        "name_uz": "",
        "acronym_en": "RATS",
        "acronym_ru": "",
        "acronym_uz": "",
        "kind": "regional",
        "country": "",
        "website": "",
        "logo": logo,
    }


def test_organisation_admin_accepts_a_clean_svg_logo(admin_client):
    response = admin_client.post(
        _admin_url(Organisation, "add"), _organisation_post(SimpleUploadedFile("rats.svg", CLEAN_SVG))
    )
    assert response.status_code == 302
    assert Organisation.objects.get(acronym_en="RATS").logo.name.endswith(".svg")


def test_organisation_admin_rejects_an_svg_logo_with_a_script(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = admin_client.post(
        _admin_url(Organisation, "add"), _organisation_post(SimpleUploadedFile("rats.svg", svg))
    )
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    assert not Organisation.objects.filter(acronym_en="RATS").exists()


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect onClick="x()"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<image x:href="https://evil.example/track.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="//evil.example/a.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/a)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>',
        b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
        b"<html><body/></html>",
    ],
)
def test_svg_validator_rejects_unsafe_or_broken_svg(svg):
    with pytest.raises(ValidationError):
        validate_svg(svg)


def test_svg_validator_accepts_internal_references():
    validate_svg(CLEAN_SVG)


def test_logo_validator_accepts_png_and_jpeg():
    validate_logo(SimpleUploadedFile("logo.png", _png_bytes("PNG")))
    validate_logo(SimpleUploadedFile("logo.jpg", _png_bytes("JPEG")))
    validate_logo(SimpleUploadedFile("logo.JPEG", _png_bytes("JPEG")))


def test_logo_validator_rejects_large_mislabelled_or_unknown_files():
    with pytest.raises(ValidationError, match="1 MB"):
        validate_logo(SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024)))
    with pytest.raises(ValidationError, match="JPEG"):
        validate_logo(SimpleUploadedFile("logo.png", _png_bytes("JPEG")))
    with pytest.raises(ValidationError):
        validate_logo(SimpleUploadedFile("logo.png", b"not an image"))
    with pytest.raises(ValidationError):
        validate_logo(SimpleUploadedFile("logo.gif", _png_bytes("GIF")))


def _document_post(event, upload, **overrides):
    data = {
        "event": event.pk,
        "kind": "concept_note",
        "slug": "concept-note",
        "is_public": "on",
        "published_on": "2022-02-01",
        "version": "1",
        "position": "0",
        "title_en": "Concept note",
        "title_ru": "",
        "title_uz": "",
        "description_en": "",
        "description_ru": "",
        "description_uz": "",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-language": "en",
        "files-0-file": upload,
    }
    data.update(overrides)
    return data


def test_document_admin_upload_records_name_type_size_and_hash(admin_client):
    import hashlib

    event = make_event()
    response = admin_client.post(
        _admin_url(Document, "add"), _document_post(event, SimpleUploadedFile("Concept Note EN.pdf", PDF_BYTES))
    )
    assert response.status_code == 302
    file = Document.objects.get(slug="concept-note").files.get()
    assert file.original_name == "Concept Note EN.pdf"
    assert file.content_type == "application/pdf"
    assert file.size == len(PDF_BYTES)
    assert file.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert file.file.name.startswith("documents/")


def test_document_admin_rejects_disallowed_types(admin_client):
    event = make_event()
    for name, content in (("note.doc", b"\xd0\xcf\x11\xe0old word"), ("note.exe", b"MZ"), ("note.pdf", b"PK\x03\x04")):
        response = admin_client.post(
            _admin_url(Document, "add"), _document_post(event, SimpleUploadedFile(name, content))
        )
        assert response.status_code == 200, name
        assert not Document.objects.exists()


def test_document_admin_rejects_files_over_the_limit_with_a_clear_message(admin_client, settings):
    settings.MAJLIS_MAX_DOCUMENT_BYTES = 100
    event = make_event()
    response = admin_client.post(
        _admin_url(Document, "add"), _document_post(event, SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200))
    )
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][0].formset.errors)
    assert "documents may be at most 100" in errors
    assert not Document.objects.exists()


def test_document_file_inspection_knows_every_allowed_type():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    zipped = buffer.getvalue()
    expected = {
        "a.pdf": (PDF_BYTES, "application/pdf"),
        "a.docx": (zipped, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "a.odt": (zipped, "application/vnd.oasis.opendocument.text"),
        "a.xlsx": (zipped, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "a.pptx": (zipped, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        "a.TXT": ("Привет".encode(), "text/plain; charset=utf-8"),
    }
    for name, (content, content_type) in expected.items():
        assert inspect_document_file(SimpleUploadedFile(name, content)).content_type == content_type
    with pytest.raises(ValidationError):
        inspect_document_file(SimpleUploadedFile("a.txt", "Привет".encode("cp1251")))
    with pytest.raises(ValidationError):
        inspect_document_file(SimpleUploadedFile("a.docx", PDF_BYTES))


def test_event_role_admin_autocompletes_users(admin_client):
    user = make_user(username="focal.point.kz")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "eventrole", "field_name": "user", "term": "focal"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in json.loads(response.content)["results"]] == [str(user.pk)]


def test_news_admin_filters_by_kind_and_event(admin_client):
    event = make_event()
    make_news(event, kind="press_release", title_en="Press release one")
    make_news(make_event(), title_en="Other news")
    response = admin_client.get(
        reverse("admin:events_newsitem_changelist"), {"kind": "press_release", "event__id__exact": event.pk}
    )
    assert response.status_code == 200
    assert [n.title for n in response.context["cl"].result_list] == ["Press release one"]
