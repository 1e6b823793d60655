"""The badge desk's JSON API: list and filters, one badge, its PDF, re-issue, revoke, hand-over."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from majlis.accreditation.models import Delegation
from majlis.badges.models import Badge, RevokeReason
from majlis.core.models import AuditEntry
from majlis.events import services_tokens
from majlis.events.models import EventRole
from tests.badges.desk_helpers import issued_badge, upcoming_event
from tests.badges.test_desk import pdf_pages, pdf_text
from tests.factories import make_delegation, make_role

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def event():
    return upcoming_event(slug="api-desk")


@pytest.fixture
def admin(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def api(admin):
    client = Client()
    client.force_login(admin)
    return client


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_list_filters_and_pages(api, event, admin):
    delegation = make_delegation(event, status=Delegation.Status.APPROVED)
    member = issued_badge(event, admin, delegation=delegation, category="delegate", family_name="Tokayev")
    press = issued_badge(event, admin, category="media", family_name="Zhang", name_native="张明")
    other = issued_badge(event, admin, family_name="Karimova")
    Badge.objects.filter(pk=press.pk).update(printed_at=press.issued_at)
    base = f"{API}/events/{event.slug}/badges"

    def numbers(**query):
        response = api.get(base, query)
        assert response.status_code == 200, response.content
        return [item["number"] for item in response.json()["items"]]

    assert numbers() == [member.number, press.number, other.number]
    assert numbers(category="media") == [press.number]
    assert numbers(delegation=delegation.pk) == [member.number]
    assert numbers(printed="true") == [press.number]
    assert numbers(printed="false", collected="false") == [member.number, other.number]
    assert numbers(q="张明") == [press.number]
    assert numbers(q=other.number) == [other.number]
    assert numbers(status="revoked") == []
    page = api.get(base, {"page": 2, "page_size": 2}).json()
    assert page["count"] == 3 and [i["number"] for i in page["items"]] == [other.number]
    item = api.get(base, {"q": "Tokayev"}).json()["items"][0]
    assert item["delegation"]["id"] == delegation.pk and item["category"]["code"] == "delegate"
    assert item["key_id"] == member.key.key_id_hex and "email" not in item
    unknown = api.get(base, {"category": "nope"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_parameters"
    assert AuditEntry.objects.filter(action="badges.listed", data__via="api").exists()


def test_detail_and_pdf(api, event, admin):
    badge = issued_badge(event, admin, family_name="Karimova")
    detail = api.get(f"{API}/events/{event.slug}/badges/{badge.pk}")
    assert detail.status_code == 200 and detail.json()["number"] == badge.number
    assert api.get(f"{API}/events/{event.slug}/badges/987654").status_code == 404
    pdf = api.get(f"{API}/events/{event.slug}/badges/{badge.pk}/pdf", {"format": "a6", "lang": "ru"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf_pages(pdf.content) == 1 and "KARIMOVA" in pdf_text(pdf.content)
    wrong = api.get(f"{API}/events/{event.slug}/badges/{badge.pk}/pdf", {"format": "poster"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_parameters"
    badge.refresh_from_db()
    assert badge.printed_at is not None


def test_reissue_revoke_and_collected(api, event, admin):
    badge = issued_badge(event, admin)
    base = f"{API}/events/{event.slug}/badges/{badge.pk}"
    collected = post(api, f"{base}/collected", {"document": "passport", "collector_name": "Aziz Focal"})
    assert collected.status_code == 200, collected.content
    assert collected.json()["collector_document"] == "passport" and collected.json()["collected_at"]
    again = post(api, f"{base}/collected", {"document": "passport"})
    assert again.status_code == 400 and "already handed over" in again.json()["detail"]
    bad_document = post(api, f"{base}/collected", {"document": "library_card"})
    assert bad_document.status_code == 400

    reissued = post(api, f"{base}/reissue", {"note": "Lost"})
    assert reissued.status_code == 201
    new = reissued.json()
    assert new["number"] == f"{badge.number}-2" and new["status"] == "issued"
    old = api.get(base).json()
    assert old["status"] == "revoked" and old["revoke_reason"] == RevokeReason.LOST
    assert post(api, f"{base}/reissue", {}).status_code == 400  # already revoked

    new_base = f"{API}/events/{event.slug}/badges/{new['id']}"
    no_note = post(api, f"{new_base}/revoke", {"note": "  "})
    assert no_note.status_code == 400 and no_note.json()["errors"][0]["loc"] == ["body", "note"]
    revoked = post(api, f"{new_base}/revoke", {"note": "Security"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"


def test_access(event, admin):
    badge = issued_badge(event, admin)
    path = f"{API}/events/{event.slug}/badges/{badge.pk}"
    assert Client().get(path).status_code == 401
    security = Client()
    security.force_login(make_role(event, EventRole.Role.SECURITY_OFFICER).user)
    assert security.get(path).status_code == 403
    officer = Client()
    officer.force_login(make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user)
    assert officer.get(path).status_code == 200
    token = services_tokens.create_token(event, actor=admin, name="Desk printer", scopes=["badges.issue"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token.secret}"}
    assert Client().get(f"{path}/pdf", **bearer).status_code == 200
    assert post(Client(), f"{path}/collected", {"document": "national_id"}, **bearer).status_code == 200
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(admin)
    assert post(csrf, f"{path}/revoke", {"note": "x"}).status_code == 403
    badge.refresh_from_db()
    assert badge.status == Badge.Status.ISSUED
