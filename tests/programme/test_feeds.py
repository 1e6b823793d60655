"""Private calendar feeds of personal agendas: secret URLs, stored only as hashes, revocable."""

from __future__ import annotations

import hashlib
import re

import icalendar
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from majlis.core.models import AuditEntry
from majlis.programme import feeds
from majlis.programme.models import AgendaItem, CalendarFeed
from tests.factories import (
    make_event,
    make_large_programme,
    make_published_programme,
    make_sample_programme,
    make_session,
    make_user,
)


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"events:programme:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Snapshots are cached per event id and version; ids are reused between tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(db):
    return make_event(slug="tashkent-2022", short_title_en="Tashkent 2022")


@pytest.fixture
def programme(event):
    objects = make_sample_programme(event)
    make_published_programme(event)
    return objects


@pytest.fixture
def user(db):
    return make_user()


def create_feed(client, event, language="en", **extra) -> tuple[object, str]:
    """POST "create" and return the response and the feed URL shown in the message."""
    response = client.post(url("agenda-feed", language, event=event.slug), {"action": "create", **extra})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1
    match = re.search(r"https?://\S+/agenda\.ics/([A-Za-z0-9_-]+)/", shown[0])
    assert match, shown
    client.get(response["Location"])  # the page displays (and so consumes) the message
    return response, match.group(0)


def test_feed_management_requires_login(client, event):
    response = client.post(url("agenda-feed", event=event.slug), {"action": "create"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not CalendarFeed.objects.exists()


def test_feed_management_get_is_not_allowed(client, event, user):
    client.force_login(user)
    assert client.get(url("agenda-feed", event=event.slug)).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_feed_create_stores_only_the_hash_and_shows_url_once(client, event, user):
    client.force_login(user)
    response, feed_url = create_feed(client, event)
    token = feed_url.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # 32 random bytes
    feed = CalendarFeed.objects.get()
    assert (feed.user, feed.event, feed.revoked_at) == (user, event, None)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    entry = AuditEntry.objects.get(action="programme.calendar_feed_created")
    assert entry.actor == user and entry.event_slug == event.slug
    assert token not in str(entry.data) and token not in entry.object_repr
    # Shown once: loading the page again does not show the URL.
    assert token.encode() not in client.get(response["Location"]).content


def test_feed_create_revokes_the_previous_feed(client, event, programme, user):
    client.force_login(user)
    _response, first = create_feed(client, event)
    _response, second = create_feed(client, event)
    assert first != second
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_feed_revoke_makes_the_url_404_and_is_audited(client, event, programme, user):
    client.force_login(user)
    _response, feed_url = create_feed(client, event)
    response = client.post(url("agenda-feed", event=event.slug), {"action": "revoke"})
    assert response.status_code == 302
    assert "revoked" in [str(m) for m in get_messages(response.wsgi_request)][0]
    assert client.get(feed_url).status_code == 404
    assert AuditEntry.objects.filter(action="programme.calendar_feed_revoked", actor=user).count() == 1


def test_feed_unknown_action_is_rejected(client, event, user):
    client.force_login(user)
    assert client.post(url("agenda-feed", event=event.slug), {"action": "steal"}).status_code == 400


def test_feed_redirects_to_safe_next_only(client, event, user):
    client.force_login(user)
    target = url("programme-ics", event=event.slug)
    response = client.post(url("agenda-feed", event=event.slug), {"action": "revoke", "next": target})
    assert response["Location"] == target
    response = client.post(
        url("agenda-feed", event=event.slug), {"action": "revoke", "next": "https://evil.example/phish"}
    )
    assert "evil.example" not in response["Location"]
    assert response["Location"].startswith("/en/tashkent-2022/")


def test_agenda_ics_lists_only_the_users_agenda(client, event, programme, user):
    other = make_user()
    AgendaItem.objects.create(user=user, event=event, session_guid=programme["opening"].guid)
    AgendaItem.objects.create(user=user, event=event, session_guid=programme["side"].guid)
    AgendaItem.objects.create(user=other, event=event, session_guid=programme["closing"].guid)
    _feed, token = feeds.create_feed(user, event)
    client.logout()  # calendar applications fetch without a session
    response = client.get(url("agenda-ics", event=event.slug, token=token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    components = {str(c["UID"]): c for c in calendar.walk("VEVENT")}
    assert set(components) == {f"{programme['opening'].guid}@majlis", f"{programme['side'].guid}@majlis"}
    assert str(components[f"{programme['side'].guid}@majlis"]["STATUS"]) == "CANCELLED"
    assert "Tashkent 2022" in str(calendar["X-WR-CALNAME"])
    assert max(len(line) for line in response.content.split(b"\r\n")) <= 75


def test_agenda_ics_ignores_sessions_not_in_the_published_programme(client, event, programme, user):
    draft = make_session(event, slug="draft-only")
    AgendaItem.objects.create(user=user, event=event, session_guid=draft.guid)
    _feed, token = feeds.create_feed(user, event)
    response = client.get(url("agenda-ics", event=event.slug, token=token))
    assert response.status_code == 200
    assert list(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == []


def test_agenda_ics_language_follows_url(client, event, programme, user):
    AgendaItem.objects.create(user=user, event=event, session_guid=programme["opening"].guid)
    _feed, token = feeds.create_feed(user, event)
    with translation.override("ru"):
        response = client.get(url("agenda-ics", "ru", event=event.slug, token=token))
    assert "Открытие конференции" in response.content.decode()


def test_agenda_ics_unknown_token_returns_404(client, event, programme):
    assert client.get(url("agenda-ics", event=event.slug, token="not-a-real-token")).status_code == 404


def test_agenda_ics_token_of_another_event_returns_404(client, event, programme, user):
    other = make_event()
    _feed, token = feeds.create_feed(user, other)
    assert client.get(url("agenda-ics", event=event.slug, token=token)).status_code == 404


def test_agenda_ics_inactive_user_returns_404(client, event, programme, user):
    _feed, token = feeds.create_feed(user, event)
    user.is_active = False
    user.save()
    assert client.get(url("agenda-ics", event=event.slug, token=token)).status_code == 404


def test_agenda_ics_before_publication_returns_404(client, event, user):
    _feed, token = feeds.create_feed(user, event)
    response = client.get(url("agenda-ics", event=event.slug, token=token))
    assert response.status_code == 404
    assert "No programme has been published yet" in response.content.decode()


def test_revoke_feeds_service_counts_and_audits(event, user):
    feeds.create_feed(user, event)
    assert feeds.revoke_feeds(user, event) == 1
    assert feeds.revoke_feeds(user, event) == 0
    assert AuditEntry.objects.filter(action="programme.calendar_feed_revoked").count() == 2


@pytest.mark.parametrize("count", [10, 300])
def test_agenda_ics_query_count_is_constant(client, django_assert_max_num_queries, db, count):
    event = make_event()
    sessions = make_large_programme(event, count)
    make_published_programme(event)
    user = make_user()
    AgendaItem.objects.bulk_create(
        AgendaItem(user=user, event=event, session_guid=session.guid) for session in sessions[: count // 2]
    )
    _feed, token = feeds.create_feed(user, event)
    with django_assert_max_num_queries(4):
        response = client.get(url("agenda-ics", event=event.slug, token=token))
    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == count // 2
