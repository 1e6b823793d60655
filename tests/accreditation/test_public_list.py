"""The public participant list: only approved participants who opted in, in a category that allows it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from majlis.accreditation.models import Application
from majlis.accreditation.views_public import participant_list
from tests.factories import make_application, make_event

from .applicant_helpers import category_by_code, make_open_event

S = Application.Status
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def open_event(db):
    return make_open_event()


def list_url(event, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("accreditation:participants", kwargs={"event": event.slug})
    return f"{url}?{urlencode(params)}" if params else url


def listed(event, **kwargs):
    kwargs.setdefault("status", S.APPROVED)
    kwargs.setdefault("listed_publicly", True)
    return make_application(event, **kwargs)


def test_public_list_is_marked_public():
    assert participant_list.majlis_access == "public"


def test_public_list_shows_only_approved_opted_in_participants_of_listable_categories(client, open_event):
    shown = listed(open_event, family_name="Karimova", given_names="Dilnoza", name_native="Дилноза Каримова")
    listed(open_event, family_name="Notlisted", listed_publicly=False)
    listed(open_event, family_name="Pending", status=S.SUBMITTED)
    listed(open_event, family_name="Waiting", status=S.WAITLISTED)
    listed(open_event, family_name="Rejected", status=S.REJECTED)
    listed(open_event, family_name="Interpreter", category="interpreter")  # category never listed
    listed(open_event, family_name="Purged", personal_data_purged_at=timezone.now())
    listed(open_event, family_name="Deleting", deletion_requested_at=timezone.now())
    listed(make_event(), family_name="Othereventer", category=category_by_code(open_event, "expert"))
    response = client.get(list_url(open_event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "KARIMOVA" in html and 'lang="uz-Cyrl">Дилноза Каримова</bdi>' in html
    for hidden in ("NOTLISTED", "PENDING", "WAITING", "REJECTED", "INTERPRETER", "PURGED", "DELETING", "OTHEREVENTER"):
        assert hidden not in html
    assert [row["name"] for row in response.context["rows"]] == [f"{shown.given_names} KARIMOVA"]


def test_public_list_shows_no_e_mail_photo_phone_or_passport(client, open_event):
    person = listed(
        open_event, email="secret.person@example.org", phone="+998 90 000 00 00", passport_number="AA1234567"
    )
    html = client.get(list_url(open_event)).content.decode()
    assert person.family_name.upper() in html
    for secret in ("secret.person", "+998 90", "AA1234567", "567", "photo", "<img"):
        assert secret not in html.split("<main")[1].split("</main>")[0]


def test_public_list_shows_organisation_country_and_honorific(client, open_event):
    listed(open_event, honorific="he", organisation_name="Ministry of Foreign Affairs", nationality="KZ")
    html = client.get("/ru" + list_url(open_event)[3:]).content.decode()
    assert "Ministry of Foreign Affairs" in html and "Казахстан" in html


def test_public_list_search_finds_names_in_any_script_and_organisations(client, open_event):
    listed(open_event, family_name="Ivanov", given_names="Pyotr", name_native="Пётр Иванов")
    listed(open_event, family_name="Wang", given_names="Li", name_native="王力", organisation_name="Tsinghua")
    for term, expected in (("иванов", "IVANOV"), ("王", "WANG"), ("tsinghua", "WANG"), ("pyotr ivanov", "IVANOV")):
        rows = client.get(list_url(open_event, q=term)).context["rows"]
        assert [row["name"].split()[-1] for row in rows] == [expected], term


def test_public_list_search_does_not_look_at_e_mails(client, open_event):
    listed(open_event, email="hidden.address@example.org")
    response = client.get(list_url(open_event, q="hidden.address"))
    assert response.context["rows"] == []
    assert "No listed participant matches" in response.content.decode()


def test_public_list_is_paginated(client, open_event):
    for n in range(55):
        listed(open_event, family_name=f"Person{n:02d}")
    first = client.get(list_url(open_event))
    assert len(first.context["rows"]) == 50
    second = client.get(list_url(open_event, page=2))
    assert [row["name"].split()[-1] for row in second.context["rows"]] == [f"PERSON{n}" for n in range(50, 55)]
    assert client.get(list_url(open_event, page="999")).status_code == 200


def test_public_list_costs_a_constant_number_of_queries(client, open_event):
    listed(open_event)
    client.get(list_url(open_event))  # warm up caches
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(open_event))
    for _ in range(40):
        listed(open_event)
    with CaptureQueriesContext(connection) as many:
        client.get(list_url(open_event, q="Family"))
    assert len(many) == len(few) <= 4


def test_public_list_of_a_draft_event_is_404(client):
    draft = make_event(status="draft")
    assert client.get(list_url(draft)).status_code == 404


def test_public_list_search_ignores_control_characters(client, open_event):
    listed(open_event, family_name="Karimova")
    response = client.get(list_url(open_event, q="Kari\u202emova\x07"))
    assert response.status_code == 200
    assert [row["name"].split()[-1] for row in response.context["rows"]] == ["KARIMOVA"]


def test_public_list_search_with_nul_is_a_400_page(client, open_event):
    # NUL is refused for the whole site by core.hygiene (issue 7), with a page that says why.
    response = client.get(list_url(open_event, q="Kari\x00mova"))
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()
