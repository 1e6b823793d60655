"""The public pages of an event: every page in every language, drafts, news, home page facts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from majlis.events.models import Document, EventOrganisation, EventRole
from tests.factories import (
    make_contact,
    make_document,
    make_event,
    make_event_organisation,
    make_milestone,
    make_news,
    make_organisation,
    make_pillar,
    make_role,
    make_series,
    make_user,
    make_venue,
)

LANGUAGES = ("en", "ru", "uz")
EVENT_PAGES = ("home", "news-list", "document-list", "contacts", "background")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


@pytest.fixture
def event(db):
    series = make_series(slug="jpoa", name_en="Joint Plan of Action for Central Asia", name_ru="Совместный план")
    event = make_event(
        slug="tashkent-2022",
        series=series,
        venue=make_venue(name_en="Congress Hall", name_ru="Конгресс-холл"),
        expected_participants=600,
        summary_ru="Конференция о региональном сотрудничестве.",
    )
    make_milestone(series, date=date(2011, 11, 30), title_en="Ashgabat Declaration")
    make_milestone(series, date=date(2018, 1, 1), date_precision="year", city_en="Samarkand", title_en="Samarkand")
    make_milestone(series, date=date(2022, 3, 3), city_en="Tashkent", title_en="Tashkent Declaration", event=event)
    for number in range(1, 5):
        make_pillar(event, title_en=f"Pillar wording {number}", title_ru=f"Столп {number}")
    organisation = make_organisation(name_en="Institute for Strategic and Regional Studies", name_ru="ИСМИ")
    organisation.logo.save("isrs.svg", ContentFile(SVG), save=True)
    make_event_organisation(event, organisation, role=EventOrganisation.Role.HOST)
    make_event_organisation(event, make_organisation(name_en="OSCE"))
    make_news(event, slug="opening", title_en="Conference opens", title_ru="Конференция открылась", lead_en="Lead")
    make_document(event, slug="concept-note", kind=Document.Kind.CONCEPT_NOTE, title_en="Concept note")
    make_contact(event, name="Anvar Meliboev", email="press@example.org")
    return event


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", EVENT_PAGES)
def test_event_page_renders_in_language(client, event, page, language):
    response = client.get(url(f"events:{page}", language, event=event.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert getattr(event, f"title_{language}") in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", EVENT_PAGES)
def test_language_switcher_links_point_at_same_page(client, event, page):
    response = client.get(url(f"events:{page}", "ru", event=event.slug) + "?page=1")
    links = switcher_links(response.content.decode())
    assert links == {language: url(f"events:{page}", language, event=event.slug) + "?page=1" for language in LANGUAGES}
    assert 'lang="ru" aria-current="true">Русский</a>' in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_on_news_detail_keeps_the_item(client, event):
    response = client.get(url("events:news-detail", "uz", event=event.slug, slug="opening"))
    assert switcher_links(response.content.decode())["en"] == "/en/tashkent-2022/news/opening/"


@pytest.mark.django_db
def test_event_page_content_falls_back_to_english(client, event):
    html = client.get(url("events:home", "uz", event=event.slug)).content.decode()
    assert "A conference on regional cooperation." in html  # summary_uz is empty
    assert "Congress Hall" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "3–4 March 2022"), ("ru", "3–4 марта 2022 г."), ("uz", "3–4-Mart, 2022-yil")],
)
def test_event_home_dates_formatted_in_language(client, event, language, expected):
    html = client.get(url("events:home", language, event=event.slug)).content.decode()
    assert expected in html


@pytest.mark.django_db
def test_event_home_shows_key_facts_organisers_and_pillars(client, event):
    organisation = event.organisation_roles.get(role="host").organisation
    html = client.get(url("events:home", "ru", event=event.slug)).content.decode()
    assert "600" in html
    assert "Конгресс-холл" in html
    assert f'src="/logos/{organisation.pk}/" alt="ИСМИ"' in html
    assert "OSCE" in html
    assert html.count('class="pillar"') == 4
    assert "Столп 4" in html
    assert "Конференция открылась" in html
    assert "Concept note" in html


@pytest.mark.django_db
def test_event_home_shows_how_to_take_part_when_upcoming(client):
    event = make_event(start_date=timezone.localdate() + timedelta(days=30))
    info = make_document(event, slug="info", kind=Document.Kind.ATTENDEE_INFO, languages=("en", "ru"))
    html = client.get(url("events:home", "ru", event=event.slug)).content.decode()
    assert 'id="take-part-title"' in html
    assert (
        reverse("events:document-file", kwargs={"event": event.slug, "slug": info.slug, "file_language": "ru"}) in html
    )
    assert url("events:contacts", "ru", event=event.slug) in html


@pytest.mark.django_db
def test_event_home_hides_how_to_take_part_when_past(client, event):
    html = client.get(url("events:home", event=event.slug)).content.decode()
    assert 'id="take-part-title"' not in html
    assert 'id="past-title"' in html


@pytest.mark.django_db
def test_event_home_marks_the_active_section(client, event):
    html = client.get(url("events:news-list", event=event.slug)).content.decode()
    assert f'<a href="/en/{event.slug}/news/" aria-current="page">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", EVENT_PAGES)
def test_draft_event_page_404_for_public(client, page):
    event = make_event(status="draft")
    assert client.get(url(f"events:{page}", event=event.slug)).status_code == 404
    client.force_login(make_user())
    assert client.get(url(f"events:{page}", event=event.slug)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", EVENT_PAGES)
def test_draft_event_page_200_for_organiser(client, page):
    event = make_event(status="draft")
    role = make_role(event, EventRole.Role.ORGANISER_ADMIN)
    client.force_login(role.user)
    response = client.get(url(f"events:{page}", event=event.slug))
    assert response.status_code == 200
    assert "only its organisers can see these pages" in response.content.decode()


@pytest.mark.django_db
def test_unknown_event_404(client, db):
    assert client.get("/en/no-such-event/").status_code == 404


@pytest.mark.django_db
def test_news_list_shows_published_only(client, event):
    make_news(event, title_en="Tomorrow's news", published_at=timezone.now() + timedelta(days=1))
    make_news(event, title_en="Draft news", published_at=None)
    html = client.get(url("events:news-list", event=event.slug)).content.decode()
    assert "Conference opens" in html
    assert "Tomorrow&#x27;s news" not in html
    assert "Draft news" not in html


@pytest.mark.django_db
def test_news_list_paginates_ten_per_page(client, event):
    for n in range(14):
        make_news(event, title_en=f"Item {n:02d}", published_at=timezone.now() - timedelta(hours=n + 1))
    first = client.get(url("events:news-list", event=event.slug)).content.decode()
    second = client.get(url("events:news-list", event=event.slug) + "?page=2").content.decode()
    assert first.count('class="news-item"') == 10
    assert second.count('class="news-item"') == 5
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
    assert client.get(url("events:news-list", event=event.slug) + "?page=abc").status_code == 200


@pytest.mark.django_db
def test_news_detail_shows_dateline_lead_and_sanitised_body(client, event):
    make_news(
        event,
        slug="release",
        dateline_en="Tashkent/New York/Vienna",
        title_en="Tashkent to host",
        lead_en="On 3–4 March 2022",
        body_en="**Bold** text <script>alert(1)</script>",
        published_at=timezone.now() - timedelta(days=2),
    )
    html = client.get(url("events:news-detail", event=event.slug, slug="release")).content.decode()
    assert "Tashkent/New York/Vienna" in html
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("published_at", [None, timezone.now() + timedelta(days=3)])
def test_news_detail_unpublished_404_for_public(client, event, published_at):
    make_news(event, slug="embargoed", published_at=published_at)
    assert client.get(url("events:news-detail", event=event.slug, slug="embargoed")).status_code == 404


@pytest.mark.django_db
def test_news_detail_unpublished_shown_to_organiser_with_banner(client, event):
    make_news(event, slug="embargoed", published_at=None)
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    response = client.get(url("events:news-detail", event=event.slug, slug="embargoed"))
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


@pytest.mark.django_db
def test_news_detail_unknown_slug_404(client, event):
    assert client.get(url("events:news-detail", event=event.slug, slug="nope")).status_code == 404


@pytest.mark.django_db
def test_contacts_page_has_mailto_links(client, event):
    html = client.get(url("events:contacts", event=event.slug)).content.decode()
    assert '<a href="mailto:press@example.org">press@example.org</a>' in html
    assert "Anvar Meliboev" in html


@pytest.mark.django_db
def test_background_timeline_shows_year_only_and_highlights_current_event(client, event):
    html = client.get(url("events:background", "ru", event=event.slug)).content.decode()
    timeline = re.search(r'<ol class="timeline".*?</ol>', html, re.S).group(0)
    assert timeline.count("<li") == 3
    assert ">2018</time>" in timeline
    assert "30 ноября 2011 г." in timeline
    current = re.findall(r'<li class="milestone milestone-current" aria-current="true">.*?</li>', timeline, re.S)
    assert len(current) == 1 and "Tashkent Declaration" in current[0]


@pytest.mark.django_db
def test_background_without_series_200(client):
    event = make_event()
    assert client.get(url("events:background", event=event.slug)).status_code == 200


@pytest.mark.django_db
def test_event_home_query_count_bounded(client, event, django_assert_max_num_queries):
    for n in range(10):
        make_event_organisation(event, make_organisation(name_en=f"Partner {n}"), role="partner")
        make_document(event, languages=("en", "ru", "uz"))
        make_news(event)
    with django_assert_max_num_queries(8):
        assert client.get(url("events:home", event=event.slug)).status_code == 200
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    with django_assert_max_num_queries(12):
        assert client.get(url("events:home", event=event.slug)).status_code == 200


@pytest.mark.django_db
def test_news_list_query_count_bounded(client, event, django_assert_max_num_queries):
    for _ in range(12):
        make_news(event)
    with django_assert_max_num_queries(5):
        assert client.get(url("events:news-list", event=event.slug)).status_code == 200
