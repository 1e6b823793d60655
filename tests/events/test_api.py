"""The JSON API at /api/v1/: events, organisations, documents and news."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from majlis.events.models import Document, Event, EventOrganisation, Organisation
from tests.factories import (
    make_document,
    make_event,
    make_event_organisation,
    make_news,
    make_organisation,
    make_pillar,
    make_role,
    make_room,
    make_series,
    make_user,
    make_venue,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def organiser_client(client, event):
    user = make_user()
    make_role(event, "organiser_admin", user)
    client.force_login(user)
    return client


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- Events ------------------------------------------------------------------------------------


def test_event_list_anonymous_sees_published_and_archived_only(client):
    published = make_event(start_date=date(2024, 5, 1))
    archived = make_event(status=Event.Status.ARCHIVED, start_date=date(2018, 5, 1))
    make_event(status=Event.Status.DRAFT, slug="secret-plan")

    response = client.get(f"{API}/events")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["slug"] for item in body["items"]] == [published.slug, archived.slug]
    assert "secret-plan" not in response.content.decode()


def test_event_list_organiser_sees_own_draft_only(client):
    draft = make_event(status=Event.Status.DRAFT)
    make_event(status=Event.Status.DRAFT, slug="someone-elses-draft")
    organiser_client(client, draft)

    slugs = [item["slug"] for item in client.get(f"{API}/events").json()["items"]]

    assert slugs == [draft.slug]


def test_event_list_paginates_by_page(client):
    for year in range(2015, 2020):
        make_event(start_date=date(year, 1, 1))

    first = client.get(f"{API}/events", {"page_size": 2}).json()
    third = client.get(f"{API}/events", {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5 and len(first["items"]) == 2
    assert [item["start_date"] for item in first["items"]] == ["2019-01-01", "2018-01-01"]
    assert [item["start_date"] for item in third["items"]] == ["2015-01-01"]


def test_event_list_item_has_links(client):
    event = make_event(series=make_series(slug="jpoa", name_en="JPoA conferences"))

    item = client.get(f"{API}/events").json()["items"][0]

    assert item["series"] == {"slug": "jpoa", "name": "JPoA conferences"}
    assert item["links"]["site"] == f"/en/{event.slug}/"
    assert item["links"]["api"] == f"{API}/events/{event.slug}"
    assert item["links"]["documents"] == f"{API}/events/{event.slug}/documents"


def test_event_detail_anonymous_gets_full_description(client):
    venue = make_venue(name_en="Congress Hall", address_en="Amir Temur 107")
    make_room(venue, name_en="Plenary", capacity=600, position=1)
    make_room(venue, name_en="Breakout A", capacity=80, position=2)
    event = make_event(
        venue=venue,
        series=make_series(slug="jpoa"),
        expected_participants=400,
        website="https://example.org/conference",
        summary_en="Regional cooperation.",
    )
    host = make_organisation(name_en="Ministry of Foreign Affairs", kind=Organisation.Kind.GOVERNMENT, country="UZ")
    host.logo.save("mfa.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    partner = make_organisation(name_en="UNOCT", kind=Organisation.Kind.UN_ENTITY)
    make_event_organisation(event, host, role=EventOrganisation.Role.HOST, position=1)
    make_event_organisation(event, partner, role=EventOrganisation.Role.PARTNER, position=2)
    make_pillar(event, title_en="Measures to address conditions conducive")
    make_pillar(event, title_en="Measures to prevent and combat terrorism")

    response = client.get(f"{API}/events/{event.slug}")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == event.title_en
    assert body["short_title"] == event.short_title_en
    assert body["summary"] == "Regional cooperation."
    assert (body["start_date"], body["end_date"]) == ("2022-03-03", "2022-03-04")
    assert body["time_zone"] == "Asia/Tashkent"
    assert (body["city"], body["country"]) == ("Tashkent", "UZ")
    assert (body["format"], body["status"]) == ("hybrid", "published")
    assert body["expected_participants"] == 400
    assert body["website"] == "https://example.org/conference"
    assert body["series"]["slug"] == "jpoa"
    assert body["venue"]["name"] == "Congress Hall"
    assert [(r["name"], r["capacity"]) for r in body["venue"]["rooms"]] == [("Plenary", 600), ("Breakout A", 80)]
    assert [(o["role"], o["organisation"]["name"]) for o in body["organisations"]] == [
        ("host", "Ministry of Foreign Affairs"),
        ("partner", "UNOCT"),
    ]
    assert body["organisations"][0]["organisation"]["logo_url"] == reverse("organisation-logo", args=[host.pk])
    assert body["organisations"][0]["organisation"]["logo_url"].startswith("/")
    assert body["organisations"][1]["organisation"]["logo_url"] is None
    assert [p["number"] for p in body["pillars"]] == [1, 2]
    assert body["links"]["news"] == f"{API}/events/{event.slug}/news"


def test_event_detail_without_venue_or_series_has_nulls(client):
    event = make_event()

    body = client.get(f"{API}/events/{event.slug}").json()

    assert body["venue"] is None and body["series"] is None
    assert body["organisations"] == [] and body["pillars"] == []


def test_event_detail_draft_is_404_for_anonymous(client):
    event = make_event(status=Event.Status.DRAFT)

    body = assert_error(client.get(f"{API}/events/{event.slug}"), 404, "not_found")

    assert event.slug in body["detail"]


def test_event_detail_draft_is_visible_to_its_organiser(client):
    event = make_event(status=Event.Status.DRAFT)
    organiser_client(client, event)

    response = client.get(f"{API}/events/{event.slug}")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_event_detail_draft_is_404_for_organiser_of_another_event(client):
    draft = make_event(status=Event.Status.DRAFT)
    organiser_client(client, make_event())

    assert_error(client.get(f"{API}/events/{draft.slug}"), 404, "not_found")


def test_event_detail_unknown_slug_is_json_404(client):
    body = assert_error(client.get(f"{API}/events/no-such-event"), 404, "not_found")

    assert "no-such-event" in body["detail"]


def test_event_detail_lang_parameter_translates_fields(client):
    event = make_event(title_ru="Ташкентская конференция", city_ru="Ташкент")

    response = client.get(f"{API}/events/{event.slug}", {"lang": "ru"})

    body = response.json()
    assert response["Content-Language"] == "ru"
    assert body["title"] == "Ташкентская конференция"
    assert body["city"] == "Ташкент"
    assert body["summary"] == event.summary_en  # no Russian summary: English fallback
    assert body["links"]["site"] == f"/ru/{event.slug}/"


def test_event_detail_accept_language_selects_language(client):
    event = make_event()

    response = client.get(f"{API}/events/{event.slug}", HTTP_ACCEPT_LANGUAGE="fr;q=1, uz;q=0.8, ru;q=0.5")

    assert response["Content-Language"] == "uz"
    assert response.json()["title"] == event.title_uz


def test_event_detail_lang_parameter_wins_over_accept_language(client):
    event = make_event()

    response = client.get(f"{API}/events/{event.slug}", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response["Content-Language"] == "en"
    assert response.json()["title"] == event.title_en


def test_event_detail_without_language_preference_is_english(client):
    event = make_event()

    response = client.get(f"{API}/events/{event.slug}")

    assert response["Content-Language"] == "en"
    assert response.json()["title"] == event.title_en


def test_event_detail_unsupported_lang_is_400_listing_languages(client):
    event = make_event()

    body = assert_error(client.get(f"{API}/events/{event.slug}", {"lang": "fr"}), 400, "unsupported_language")

    assert "en, ru, uz" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "lang"]


def test_event_organisations_lists_roles_in_event_order(client):
    event = make_event()
    second = make_event_organisation(event, role=EventOrganisation.Role.PARTNER, position=2)
    first = make_event_organisation(event, role=EventOrganisation.Role.HOST, position=1)

    body = client.get(f"{API}/events/{event.slug}/organisations").json()

    assert [o["organisation"]["id"] for o in body] == [first.organisation_id, second.organisation_id]
    assert body[0]["role"] == "host"
    assert body[0]["role_label"] == "host"


def test_event_organisations_of_draft_is_404_for_anonymous(client):
    event = make_event(status=Event.Status.DRAFT)
    make_event_organisation(event)

    assert_error(client.get(f"{API}/events/{event.slug}/organisations"), 404, "not_found")


@pytest.mark.parametrize("count", [3, 30])
def test_event_detail_query_count_does_not_grow_with_data(client, django_assert_max_num_queries, count):
    venue = make_venue()
    event = make_event(venue=venue, series=make_series())
    for i in range(count):
        make_room(venue, position=i)
        make_event_organisation(event, position=i)
        make_pillar(event)
    organisation = Organisation.objects.filter(event_roles__event=event).first()
    organisation.logo.save("logo.png", ContentFile(b"png"))

    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/events/{event.slug}")

    body = response.json()
    assert len(body["organisations"]) == count and len(body["pillars"]) == count
    assert len(body["venue"]["rooms"]) == count


# --- Organisations -----------------------------------------------------------------------------


def test_organisation_list_anonymous_sees_organisations_of_public_events(client):
    public_event = make_event()
    visible = make_event_organisation(public_event).organisation
    hidden = make_event_organisation(make_event(status=Event.Status.DRAFT)).organisation
    make_organisation(name_en="Not in any event")

    body = client.get(f"{API}/organisations").json()

    assert [o["id"] for o in body["items"]] == [visible.pk]
    assert body["count"] == 1
    assert hidden.name not in str(body)


def test_organisation_list_organiser_sees_organisations_of_own_draft(client):
    draft = make_event(status=Event.Status.DRAFT)
    organisation = make_event_organisation(draft).organisation
    organiser_client(client, draft)

    body = client.get(f"{API}/organisations").json()

    assert [o["id"] for o in body["items"]] == [organisation.pk]


def test_organisation_list_filters_by_kind_and_country(client):
    event = make_event()
    uz_gov = make_organisation(kind=Organisation.Kind.GOVERNMENT, country="UZ")
    kz_gov = make_organisation(kind=Organisation.Kind.GOVERNMENT, country="KZ")
    un = make_organisation(kind=Organisation.Kind.UN_ENTITY)
    for organisation in (uz_gov, kz_gov, un):
        make_event_organisation(event, organisation)

    governments = client.get(f"{API}/organisations", {"kind": "government"}).json()
    uzbek = client.get(f"{API}/organisations", {"kind": "government", "country": "uz"}).json()

    assert {o["id"] for o in governments["items"]} == {uz_gov.pk, kz_gov.pk}
    assert [o["id"] for o in uzbek["items"]] == [uz_gov.pk]
    assert uzbek["items"][0]["kind"] == "government"


def test_organisation_list_sorted_by_name_in_request_language(client):
    event = make_event()
    b = make_organisation(name_en="Bravo", name_ru="Альфа")
    a = make_organisation(name_en="Alpha", name_ru="Браво")
    c = make_organisation(name_en="Charlie")  # no Russian name: sorted by its English one
    for organisation in (a, b, c):
        make_event_organisation(event, organisation)

    english = client.get(f"{API}/organisations").json()["items"]
    russian = client.get(f"{API}/organisations", {"lang": "ru"}).json()["items"]

    assert [o["name"] for o in english] == ["Alpha", "Bravo", "Charlie"]
    assert [o["name"] for o in russian] == ["Charlie", "Альфа", "Браво"]


def test_organisation_list_unknown_kind_is_400(client):
    body = assert_error(client.get(f"{API}/organisations", {"kind": "club"}), 400, "invalid_parameters")

    assert "kind" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "kind"]


def test_organisation_list_malformed_country_is_400(client):
    body = assert_error(client.get(f"{API}/organisations", {"country": "Uzbekistan"}), 400, "invalid_parameters")

    assert "country" in body["detail"]


def test_organisation_list_page_zero_is_400(client):
    body = assert_error(client.get(f"{API}/organisations", {"page": 0}), 400, "invalid_parameters")

    assert "page" in body["detail"]


def test_organisation_detail_lists_only_visible_events(client):
    organisation = make_organisation()
    public_event = make_event()
    make_event_organisation(public_event, organisation, role=EventOrganisation.Role.HOST)
    make_event_organisation(make_event(status=Event.Status.DRAFT, slug="hidden-draft"), organisation)

    response = client.get(f"{API}/organisations/{organisation.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == organisation.name_en
    assert [(e["slug"], e["role"]) for e in body["events"]] == [(public_event.slug, "host")]
    assert "hidden-draft" not in response.content.decode()


def test_organisation_detail_of_draft_only_organisation_is_404_for_anonymous(client):
    organisation = make_event_organisation(make_event(status=Event.Status.DRAFT)).organisation

    assert_error(client.get(f"{API}/organisations/{organisation.pk}"), 404, "not_found")


def test_organisation_detail_unknown_id_is_404(client):
    body = assert_error(client.get(f"{API}/organisations/999999"), 404, "not_found")

    assert "999999" in body["detail"]


def test_organisation_detail_non_numeric_id_is_400(client):
    assert_error(client.get(f"{API}/organisations/abc"), 400, "invalid_parameters")


# --- Documents ---------------------------------------------------------------------------------


def test_documents_anonymous_gets_public_documents_with_files(client):
    event = make_event()
    document = make_document(event, languages=("en", "ru"), kind=Document.Kind.CONCEPT_NOTE, title_en="Concept note")

    response = client.get(f"{API}/events/{event.slug}/documents")

    assert response.status_code == 200
    [item] = response.json()
    assert item["slug"] == document.slug
    assert (item["kind"], item["title"]) == ("concept_note", "Concept note")
    assert [f["language"] for f in item["files"]] == ["en", "ru"]
    first = item["files"][0]
    stored = document.files.get(language="en")
    assert (first["size"], first["content_type"], first["sha256"]) == (stored.size, "application/pdf", stored.sha256)
    assert first["url"] == f"/en/{event.slug}/documents/{document.slug}/en/"


def test_documents_download_urls_use_the_requested_language_prefix(client):
    event = make_event()
    document = make_document(event, languages=("en", "uz"))

    item = client.get(f"{API}/events/{event.slug}/documents", {"lang": "ru"}).json()[0]

    assert [f["url"] for f in item["files"]] == [
        f"/ru/{event.slug}/documents/{document.slug}/en/",
        f"/ru/{event.slug}/documents/{document.slug}/uz/",
    ]


def test_documents_restricted_and_unpublished_are_invisible_to_anonymous(client):
    event = make_event()
    public = make_document(event)
    make_document(event, is_public=False, slug="restricted-note")
    make_document(event, published_on=None, slug="not-yet-published")
    make_document(event, published_on=timezone.localdate() + timedelta(days=3), slug="scheduled")

    response = client.get(f"{API}/events/{event.slug}/documents")

    assert [d["slug"] for d in response.json()] == [public.slug]
    for slug in ("restricted-note", "not-yet-published", "scheduled"):
        assert slug not in response.content.decode()


def test_documents_restricted_are_visible_to_organiser(client):
    event = make_event()
    make_document(event, slug="public-note")
    make_document(event, is_public=False, slug="restricted-note")
    organiser_client(client, event)

    body = client.get(f"{API}/events/{event.slug}/documents").json()

    assert {d["slug"]: d["is_public"] for d in body} == {"public-note": True, "restricted-note": False}


def test_documents_filter_by_kind_and_language(client):
    event = make_event()
    programme_ru = make_document(event, kind=Document.Kind.PROGRAMME, languages=("en", "ru"))
    make_document(event, kind=Document.Kind.PROGRAMME, languages=("en",))
    make_document(event, kind=Document.Kind.OUTCOME, languages=("ru",))

    url = f"{API}/events/{event.slug}/documents"
    programmes = client.get(url, {"kind": "programme"}).json()
    russian_programmes = client.get(url, {"kind": "programme", "language": "ru"}).json()

    assert len(programmes) == 2
    assert [d["slug"] for d in russian_programmes] == [programme_ru.slug]
    assert [f["language"] for f in russian_programmes[0]["files"]] == ["en", "ru"]


def test_documents_unknown_kind_or_language_is_400(client):
    event = make_event()
    url = f"{API}/events/{event.slug}/documents"

    assert_error(client.get(url, {"kind": "memo"}), 400, "invalid_parameters")
    body = assert_error(client.get(url, {"language": "fr"}), 400, "invalid_parameters")
    assert body["errors"][0]["loc"] == ["query", "language"]


def test_documents_of_draft_event_are_404_for_anonymous(client):
    event = make_event(status=Event.Status.DRAFT)
    make_document(event)

    assert_error(client.get(f"{API}/events/{event.slug}/documents"), 404, "not_found")


@pytest.mark.parametrize("count", [3, 30])
def test_documents_query_count_does_not_grow_with_data(client, django_assert_max_num_queries, count):
    event = make_event()
    for _ in range(count):
        make_document(event, languages=("en", "ru", "uz"))

    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/events/{event.slug}/documents")

    assert len(response.json()) == count


@pytest.mark.parametrize("count", [3, 30])
def test_documents_query_count_for_organiser_does_not_grow_with_data(client, django_assert_max_num_queries, count):
    event = make_event()
    for _ in range(count):
        make_document(event, languages=("en", "ru"), is_public=False)
    organiser_client(client, event)

    with django_assert_max_num_queries(7):  # + session, user and the organiser checks
        response = client.get(f"{API}/events/{event.slug}/documents")

    assert len(response.json()) == count


# --- News --------------------------------------------------------------------------------------


def test_news_list_anonymous_gets_published_newest_first(client):
    event = make_event()
    now = timezone.now()
    older = make_news(event, published_at=now - timedelta(days=5))
    newer = make_news(event, published_at=now - timedelta(hours=1))
    make_news(event, published_at=None, slug="unpublished-draft")
    make_news(event, published_at=now + timedelta(days=2), slug="scheduled-release")

    response = client.get(f"{API}/events/{event.slug}/news")

    body = response.json()
    assert body["count"] == 2
    assert [n["slug"] for n in body["items"]] == [newer.slug, older.slug]
    assert body["items"][0]["links"] == {
        "site": f"/en/{event.slug}/news/{newer.slug}/",
        "api": f"{API}/events/{event.slug}/news/{newer.slug}",
    }
    assert "body" not in body["items"][0]
    assert "unpublished-draft" not in response.content.decode()
    assert "scheduled-release" not in response.content.decode()


def test_news_list_organiser_also_sees_unpublished(client):
    event = make_event()
    published = make_news(event)
    draft = make_news(event, published_at=None)
    organiser_client(client, event)

    items = client.get(f"{API}/events/{event.slug}/news").json()["items"]

    assert [(n["slug"], n["is_published"]) for n in items] == [(draft.slug, False), (published.slug, True)]


def test_news_list_paginates(client):
    event = make_event()
    for hours in range(5):
        make_news(event, published_at=timezone.now() - timedelta(hours=hours + 1))

    body = client.get(f"{API}/events/{event.slug}/news", {"page_size": 2, "page": 2}).json()

    assert body["count"] == 5 and len(body["items"]) == 2


def test_news_list_query_count_does_not_grow_with_data(client, django_assert_max_num_queries):
    event = make_event()
    for _ in range(30):
        make_news(event)

    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/events/{event.slug}/news")

    assert response.json()["count"] == 30


def test_news_detail_has_markdown_and_sanitised_html(client):
    event = make_event()
    item = make_news(
        event,
        title_en="Conference opens",
        title_ru="Конференция открылась",
        body_en="The **conference** opened.\n\n<script>alert(1)</script>",
    )

    response = client.get(f"{API}/events/{event.slug}/news/{item.slug}")

    body = response.json()
    assert body["title"] == "Conference opens"
    assert body["body"] == item.body_en
    assert "<strong>conference</strong>" in body["body_html"]
    assert "<script" not in body["body_html"]
    russian = client.get(f"{API}/events/{event.slug}/news/{item.slug}", {"lang": "ru"}).json()
    assert russian["title"] == "Конференция открылась"
    assert russian["body"] == item.body_en  # English fallback


def test_news_detail_unpublished_is_404_for_anonymous(client):
    event = make_event()
    item = make_news(event, published_at=None)

    assert_error(client.get(f"{API}/events/{event.slug}/news/{item.slug}"), 404, "not_found")


def test_news_detail_unpublished_is_visible_to_organiser(client):
    event = make_event()
    item = make_news(event, published_at=timezone.now() + timedelta(days=1))
    organiser_client(client, event)

    response = client.get(f"{API}/events/{event.slug}/news/{item.slug}")

    assert response.status_code == 200
    assert response.json()["is_published"] is False


def test_news_detail_of_another_event_is_404(client):
    event = make_event()
    item = make_news(make_event())

    body = assert_error(client.get(f"{API}/events/{event.slug}/news/{item.slug}"), 404, "not_found")

    assert item.slug in body["detail"]


def test_news_of_draft_event_is_404_for_anonymous(client):
    event = make_event(status=Event.Status.DRAFT)
    item = make_news(event)

    assert_error(client.get(f"{API}/events/{event.slug}/news"), 404, "not_found")
    assert_error(client.get(f"{API}/events/{event.slug}/news/{item.slug}"), 404, "not_found")


# --- Errors, schema and docs -------------------------------------------------------------------


def test_api_wrong_method_is_json_405(client):
    event = make_event()

    response = client.post(f"{API}/events/{event.slug}", {})

    body = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert "POST" in body["detail"]


def test_api_unknown_path_is_json_404(client):
    assert_error(client.get(f"{API}/nothing/here"), 404, "not_found")


def test_api_server_error_is_json_500(client, monkeypatch):
    event = make_event()

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("majlis.events.api.visible_documents", broken)

    response = client.get(f"{API}/events/{event.slug}/documents")

    body = assert_error(response, 500, "server_error")
    assert "fire" not in body["detail"]


def test_api_root_points_to_docs_and_schema(client):
    body = client.get(f"{API}/").json()

    assert body["openapi"] == f"{API}/openapi.json"
    assert body["docs"] == f"{API}/docs"


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_openapi_every_operation_declares_its_responses_and_names(client):
    schema = client.get(f"{API}/openapi.json").json()
    operations = list(_operations(schema))

    event_operations = {operation["operationId"] for path, _, operation in operations if "/events" in path}
    assert {"list_events", "event_detail", "event_documents", "event_news", "event_news_detail"} <= event_operations
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("operationId"), where
        assert operation.get("summary") and operation.get("description"), where
        assert "Access:" in operation["description"], where
        responses = operation["responses"]
        assert {"200", "201", "204"} & set(responses), where
        assert "400" in responses and "500" in responses, where
        if "{" in path:
            assert "404" in responses, where
        for status in ("400", "404", "500"):
            if status in responses:
                ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", where
        names = {(p["in"], p["name"]) for p in operation["parameters"]}
        assert ("query", "lang") in names and ("header", "Accept-Language") in names, where


def test_openapi_error_schema_has_detail_and_code(client):
    schema = client.get(f"{API}/openapi.json").json()

    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}


def test_openapi_enum_schemas_do_not_collide(client):
    schema = client.get(f"{API}/openapi.json").json()

    components = schema["components"]["schemas"]
    assert "Kind" not in components
    assert "concept_note" in components["DocumentOut"]["properties"]["kind"]["enum"]
    assert "government" in components["OrganisationOut"]["properties"]["kind"]["enum"]


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self.styles = 0
        self.style_attributes = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        if any(name.startswith("on") for name in attributes):
            self.inline_scripts.append(f"event handler on <{tag}>")
        if tag == "script":
            self._in_script = True
        if tag == "style":
            self.styles += 1
        for name in ("src", "href"):
            if attributes.get(name):
                self.urls.append(attributes[name])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def test_docs_page_uses_only_same_origin_assets_and_no_inline_script(client):
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    page = _AssetCollector()
    page.feed(html)
    assert page.inline_scripts == []
    assert page.styles == 0 and page.style_attributes == 0
    assert page.urls
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
    scripts = re.findall(r'<script src="/static/([^"]+)"', html)
    assert scripts == ["ninja/swagger-ui-bundle.js", "majlis/api-docs.js"]
    for asset in scripts + ["ninja/swagger-ui.css"]:
        assert finders.find(asset), f"{asset} is not a static file"
    assert 'data-openapi-url="/api/v1/openapi.json"' in html


def test_docs_page_start_script_reads_settings_from_data_attributes():
    script = Path(finders.find("majlis/api-docs.js")).read_text(encoding="utf-8")

    assert "dataset.swaggerSettings" in script
    assert "http" not in script  # nothing from another origin
