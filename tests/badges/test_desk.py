"""The badge desk's pages: the list and its filters, one badge, its PDF, hand-over, re-issue, revoke."""

from __future__ import annotations

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from majlis.accreditation.models import Delegation
from majlis.badges.models import Badge, IdentityDocument, RevokeReason
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.badges.desk_helpers import issued_badge, upcoming_event
from tests.factories import make_delegation, make_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return upcoming_event(slug="desk-test")


@pytest.fixture
def officer(event):
    user = make_user(username="desk-officer")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, user)
    return user


@pytest.fixture
def desk(officer):
    client = Client()
    client.force_login(officer)
    return client


def url(name, event, **kwargs):
    return reverse(f"badges:{name}", kwargs={"event": event.slug, **kwargs})


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


# --- The list -------------------------------------------------------------------------------------


def test_list_shows_number_name_category_colour_delegation_status_and_photo(desk, event, officer):
    delegation = make_delegation(event, status=Delegation.Status.APPROVED)
    badge = issued_badge(event, officer, family_name="Karimova", given_names="Dilnoza", photo=True)
    other = issued_badge(event, officer, family_name="Tokayev", delegation=delegation, category="delegate")
    response = desk.get(url("list", event))
    assert response.status_code == 200
    html = response.content.decode()
    assert badge.number in html and other.number in html
    assert "KARIMOVA" in html and "TOKAYEV" in html
    assert f'fill="{badge.category.colour}"' in html  # the colour band as an SVG swatch (no inline style)
    assert str(delegation.organisation) in html
    photo = reverse("accreditation-files:photo", kwargs={"application": badge.application_id})
    assert f'src="{photo}"' in html  # through accreditation's permission-checked photo view
    assert desk.get(photo).status_code == 200
    assert AuditEntry.objects.filter(action="badges.listed").exists()


def test_list_filters_and_search(desk, event, officer):
    delegation = make_delegation(event, status=Delegation.Status.APPROVED)
    first = issued_badge(event, officer, family_name="Karimova", name_native="Каримова")
    second = issued_badge(event, officer, family_name="Tokayev", delegation=delegation, category="delegate")
    third = issued_badge(event, officer, family_name="Zhang", category="media")
    Badge.objects.filter(pk=second.pk).update(collected_at=second.issued_at, collector_document="passport")
    Badge.objects.filter(pk=third.pk).update(printed_at=third.issued_at)
    revoked = issued_badge(event, officer, family_name="Lostova")
    from majlis.badges import services

    services.revoke_badge(revoked, actor=officer, note="Test")

    def numbers(**query):
        response = desk.get(url("list", event), query)
        assert response.status_code == 200
        return {b.number for b in response.context["page"].object_list}

    assert numbers() == {first.number, second.number, third.number, revoked.number}
    assert numbers(status="revoked") == {revoked.number}
    assert numbers(status="issued") == {first.number, second.number, third.number}
    assert numbers(category=second.category_id) == {second.number}
    assert numbers(delegation=delegation.pk) == {second.number}
    assert numbers(collected="yes") == {second.number}
    assert numbers(printed="yes") == {third.number}
    assert numbers(printed="no", status="issued") == {first.number, second.number}
    assert numbers(q="каримова") == {first.number}  # native script, any case
    assert numbers(q="toka") == {second.number}
    assert numbers(q=third.number) == {third.number}
    assert numbers(q=str(third.serial)) == {third.number}
    assert numbers(q="nobody") == set()
    # An unknown id in an old link is shown as an error and does not filter.
    response = desk.get(url("list", event), {"category": 987654})
    assert response.status_code == 200 and response.context["filter_form"].errors


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(desk, event, officer, count, django_assert_max_num_queries):
    for n in range(count):
        issued_badge(event, officer, photo=n % 2 == 0)
    desk.get(url("list", event))  # warm the session and the caches
    with django_assert_max_num_queries(12):
        response = desk.get(url("list", event), {"status": "issued", "q": "Family"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_list_is_paginated_keeping_the_filters(desk, event, officer):
    for _n in range(52):
        issued_badge(event, officer)
    response = desk.get(url("list", event), {"status": "issued"})
    assert len(response.context["page"].object_list) == 50
    assert "status=issued&amp;page=2" in response.content.decode()
    page2 = desk.get(url("list", event), {"status": "issued", "page": 2})
    assert len(page2.context["page"].object_list) == 2


def test_only_the_badge_desk_gets_in(event, officer):
    badge = issued_badge(event, officer)
    for role, expected in [
        (EventRole.Role.SECURITY_OFFICER, 403),
        (EventRole.Role.GATE_OFFICER, 403),
        (EventRole.Role.PARTICIPANT, 403),
        (EventRole.Role.CO_ORGANISER, 200),
    ]:
        client = Client()
        client.force_login(make_role(event, role).user)
        assert client.get(url("list", event)).status_code == expected, role
        assert client.get(url("detail", event, pk=badge.pk)).status_code == expected, role
    anonymous = Client().get(url("list", event))
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]


def test_a_badge_of_another_event_is_not_found(desk, event, officer):
    other_event = upcoming_event(slug="elsewhere")
    other = issued_badge(other_event, make_role(other_event, EventRole.Role.ORGANISER_ADMIN).user)
    assert desk.get(url("detail", event, pk=other.pk)).status_code == 404
    assert desk.get(url("pdf", event, pk=other.pk)).status_code == 404
    assert desk.post(url("hand-over", event, pk=other.pk), {"document": "passport"}).status_code == 404


# --- One badge ------------------------------------------------------------------------------------


def test_detail_and_pdf_downloads_are_audited_and_mark_printed(desk, event, officer):
    badge = issued_badge(event, officer, family_name="Karimova", given_names="Dilnoza")
    page = desk.get(url("detail", event, pk=badge.pk))
    assert page.status_code == 200
    assert "?format=id1" in page.content.decode() and "?format=a6" in page.content.decode()
    for fmt in ("id1", "a6"):
        response = desk.get(url("pdf", event, pk=badge.pk), {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"-{fmt}.pdf" in response["Content-Disposition"]
        assert pdf_pages(response.content) == 1
        assert "KARIMOVA" in pdf_text(response.content)
    badge.refresh_from_db()
    assert badge.printed_at is not None
    entries = AuditEntry.objects.filter(action="badges.printed")
    assert entries.count() == 2 and entries.first().data["purpose"] == "print"
    wrong = desk.get(url("pdf", event, pk=badge.pk), {"format": "poster"})
    assert wrong.status_code == 302  # back to the badge with the reason


def test_hand_over_shows_the_photo_large_and_keeps_what_was_typed(desk, event, officer):
    badge = issued_badge(event, officer, photo=True, family_name="Karimova")
    page = desk.get(url("hand-over", event, pk=badge.pk))
    assert page.status_code == 200
    html = page.content.decode()
    photo = reverse("accreditation-files:photo", kwargs={"application": badge.application_id})
    assert f'src="{photo}"' in html and 'width="300"' in html
    for value, _label in IdentityDocument.choices:
        assert f'value="{value}"' in html
    refused = desk.post(url("hand-over", event, pk=badge.pk), {"collector_name": "Aziz Focal"})
    assert refused.status_code == 400
    assert "Choose the identity document you checked." in refused.content.decode()
    assert 'value="Aziz Focal"' in refused.content.decode()
    badge.refresh_from_db()
    assert badge.collected_at is None
    done = desk.post(
        url("hand-over", event, pk=badge.pk), {"document": "diplomatic_id", "collector_name": "Aziz Focal"}
    )
    assert done.status_code == 302 and done["Location"] == url("detail", event, pk=badge.pk)
    badge.refresh_from_db()
    assert badge.collected_at is not None and badge.collected_by == officer
    assert badge.collector_document == "diplomatic_id" and badge.collector_name == "Aziz Focal"
    again = desk.post(url("hand-over", event, pk=badge.pk), {"document": "passport"})
    assert again.status_code == 400 and "already handed over" in again.content.decode()


def test_reissue_a_lost_badge_after_a_confirmation(desk, event, officer):
    badge = issued_badge(event, officer)
    confirm = desk.get(url("reissue", event, pk=badge.pk))
    assert confirm.status_code == 200 and "no gate will accept it" in confirm.content.decode()
    Badge.objects.get(pk=badge.pk)  # nothing happened on GET
    response = desk.post(url("reissue", event, pk=badge.pk), {"note": "Lost at the hotel"})
    new = Badge.objects.get(application=badge.application, status=Badge.Status.ISSUED)
    assert response.status_code == 302 and response["Location"] == url("detail", event, pk=new.pk)
    badge.refresh_from_db()
    assert badge.status == Badge.Status.REVOKED and badge.revoke_reason == RevokeReason.LOST
    assert new.serial == badge.serial and new.revision == 2 and new.number == f"{badge.number}-2"
    assert AuditEntry.objects.get(action="badges.revoked").reason == "Lost at the hotel"
    twice = desk.post(url("reissue", event, pk=badge.pk), {"note": "again"})
    assert twice.status_code == 400 and "already revoked" in twice.content.decode()


def test_revoke_needs_a_reason_and_keeps_what_was_typed(desk, event, officer):
    badge = issued_badge(event, officer)
    refused = desk.post(url("revoke", event, pk=badge.pk), {"note": "   "})
    assert refused.status_code == 400
    assert "Say why the badge is revoked" in refused.content.decode()
    badge.refresh_from_db()
    assert badge.status == Badge.Status.ISSUED
    response = desk.post(url("revoke", event, pk=badge.pk), {"note": "Left the delegation"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.status == Badge.Status.REVOKED and badge.revoke_reason == RevokeReason.ORGANISER
    assert not Badge.objects.filter(application=badge.application, status=Badge.Status.ISSUED).exists()
    # A revoked badge is never printed again.
    assert desk.get(url("pdf", event, pk=badge.pk), {"format": "a6"}).status_code == 302
    assert not AuditEntry.objects.filter(action="badges.printed").exists()


def test_every_post_needs_the_csrf_token(event, officer):
    badge = issued_badge(event, officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    for name, data in [
        ("hand-over", {"document": "passport"}),
        ("reissue", {"note": "x"}),
        ("revoke", {"note": "x"}),
    ]:
        assert client.post(url(name, event, pk=badge.pk), data).status_code == 403
    assert client.post(url("print", event), {"format": "a6", "language": "en"}).status_code == 403
    badge.refresh_from_db()
    assert badge.status == Badge.Status.ISSUED and badge.collected_at is None


def test_pages_in_russian_and_uzbek(desk, event, officer):
    badge = issued_badge(event, officer)
    for language in ("ru", "uz"):
        for name, kwargs in [("list", {}), ("detail", {"pk": badge.pk}), ("hand-over", {"pk": badge.pk})]:
            path = url(name, event, **kwargs).replace("/en/", f"/{language}/", 1)
            response = desk.get(path)
            assert response.status_code == 200
            assert f'lang="{language}"' in response.content.decode()
