"""The personal agenda: a logged-in participant's chosen sessions, toggled with or without htmx."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client

from majlis.programme import queries
from majlis.programme.models import AgendaItem, Session
from tests.factories import make_published_programme, make_user
from tests.programme.test_public_programme import Conference, build_conference, url


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    queries.clear_built_programmes()
    yield
    cache.clear()
    queries.clear_built_programmes()


@pytest.fixture(autouse=True)
def _before_the_event(monkeypatch):
    monkeypatch.setattr(queries, "current_time", lambda: datetime(2022, 2, 21, 9, tzinfo=UTC))


@pytest.fixture
def conf(db) -> Conference:
    return build_conference()


@pytest.fixture
def participant(client, conf):
    user = make_user()
    client.force_login(user)
    return user


def toggle_url(conf: Conference, session: Session, language: str = "en") -> str:
    return url("agenda-toggle", conf.event, language, guid=session.guid)


def test_agenda_requires_login(client, conf):
    response = client.get(url("agenda", conf.event))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_agenda_toggle_requires_login(client, conf):
    response = client.post(toggle_url(conf, conf.opening))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not AgendaItem.objects.exists()


def test_agenda_toggle_is_post_only(client, conf, participant):
    assert client.get(toggle_url(conf, conf.opening)).status_code == 405
    assert not AgendaItem.objects.exists()


def test_agenda_toggle_is_csrf_protected(conf, participant):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(participant)
    response = strict.post(toggle_url(conf, conf.opening))
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_agenda_toggle_with_csrf_token_works(conf, participant):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(participant)
    page = strict.get(url("session", conf.event, slug="opening"))
    token = page.context["csrf_token"]
    response = strict.post(toggle_url(conf, conf.opening), {"csrfmiddlewaretoken": str(token), "action": "add"})
    assert response.status_code == 302
    assert AgendaItem.objects.filter(user=participant, session_guid=conf.opening.guid).exists()


def test_agenda_toggle_adds_then_removes(client, conf, participant):
    client.post(toggle_url(conf, conf.opening))
    assert AgendaItem.objects.filter(user=participant, event=conf.event, session_guid=conf.opening.guid).exists()
    client.post(toggle_url(conf, conf.opening))
    assert not AgendaItem.objects.filter(user=participant).exists()


def test_agenda_toggle_explicit_action_is_idempotent(client, conf, participant):
    for _ in range(2):
        client.post(toggle_url(conf, conf.opening), {"action": "add"})
    assert AgendaItem.objects.filter(user=participant).count() == 1
    for _ in range(2):
        client.post(toggle_url(conf, conf.opening), {"action": "remove"})
    assert AgendaItem.objects.filter(user=participant).count() == 0


def test_agenda_toggle_without_js_redirects_to_next(client, conf, participant):
    programme = url("programme", conf.event) + "?day=2022-03-03"
    response = client.post(toggle_url(conf, conf.opening), {"next": programme})
    assert response.status_code == 302
    assert response["Location"] == programme


def test_agenda_toggle_refuses_foreign_next(client, conf, participant):
    response = client.post(toggle_url(conf, conf.opening), {"next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == url("session", conf.event, slug="opening")


def test_agenda_toggle_with_htmx_returns_the_new_button(client, conf, participant):
    response = client.post(toggle_url(conf, conf.opening), {"action": "add"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove from my agenda" in html
    assert "Added to your agenda." in html
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    response = client.post(toggle_url(conf, conf.opening), {"action": "remove"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Add to my agenda" in html
    assert "Removed from your agenda." in html


def test_agenda_toggle_unknown_session_is_not_found(client, conf, participant):
    draft = Session.objects.create(
        event=conf.event,
        slug="not-published",
        kind="plenary",
        title_en="Not published",
        starts_at=conf.opening.starts_at,
        ends_at=conf.opening.ends_at,
    )
    assert client.post(url("agenda-toggle", conf.event, guid=draft.guid), {"action": "add"}).status_code == 404
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_agenda_page_lists_chosen_sessions_translated(client, conf, participant, language):
    AgendaItem.objects.create(user=participant, event=conf.event, session_guid=conf.day_two.guid)
    AgendaItem.objects.create(user=participant, event=conf.event, session_guid=conf.opening.guid)
    response = client.get(url("agenda", conf.event, language))
    assert response.status_code == 200
    html = response.content.decode()
    title = {"en": "Opening ceremony", "ru": "Церемония открытия", "uz": "Ochilish marosimi"}[language]
    assert title in html
    slugs = [s.slug for _day, sessions in response.context["days"] for s in sessions]
    assert slugs == ["opening", "closing"]  # in the order they take place


def test_agenda_page_only_shows_own_items(client, conf, participant):
    AgendaItem.objects.create(user=make_user(), event=conf.event, session_guid=conf.opening.guid)
    response = client.get(url("agenda", conf.event))
    assert response.context["days"] == []
    assert "Your agenda is empty." in response.content.decode()


def test_agenda_page_marks_sessions_removed_from_programme(client, conf, participant):
    AgendaItem.objects.create(user=participant, event=conf.event, session_guid=conf.panel.guid)
    conf.panel.delete()
    make_published_programme(conf.event, note="Panel dropped")
    html = client.get(url("agenda", conf.event)).content.decode()
    assert "No longer in the programme" in html
    assert "Removed" in html
    assert "Conditions conducive to terrorism" in html  # its last published title
    # It can still be taken out of the agenda.
    client.post(url("agenda-toggle", conf.event, guid=conf.panel.guid))
    assert not AgendaItem.objects.exists()


def test_agenda_page_links_to_private_feed(client, conf, participant):
    html = client.get(url("agenda", conf.event)).content.decode()
    assert url("agenda-feed", conf.event) in html
    assert "Create a private calendar link" in html


def test_programme_page_shows_agenda_state(client, conf, participant):
    AgendaItem.objects.create(user=participant, event=conf.event, session_guid=conf.opening.guid)
    html = client.get(url("programme", conf.event)).content.decode()
    assert html.count("Remove from my agenda") == 1
    assert "Add to my agenda" in html
    assert 'src="/static/majlis/vendor/htmx.min.js" defer' in html
    assert f'hx-post="{toggle_url(conf, conf.opening)}"' in html


def test_session_page_offers_agenda_button_to_logged_in_user(client, conf, participant):
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert f'action="{toggle_url(conf, conf.opening)}"' in html
    assert "Add to my agenda" in html
    assert 'aria-describedby="session-' in html


def test_session_page_asks_anonymous_visitor_to_log_in(client, conf):
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "Log in to build your agenda" in html
    assert "/account/login/?next=/en/tashkent-2022/sessions/opening/" in html
    assert "Add to my agenda" not in html
    assert "htmx.min.js" not in html


def test_agenda_toggle_with_htmx_after_logout_sends_whole_page_to_login(client, conf):
    programme = url("programme", conf.event)
    response = client.post(toggle_url(conf, conf.opening), {"next": programme}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/en/account/login/?next=")
    assert "tashkent-2022%2Fprogramme" in response["HX-Redirect"]
    assert not AgendaItem.objects.exists()
