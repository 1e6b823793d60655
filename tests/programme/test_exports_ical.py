"""iCalendar exports of the published programme (RFC 5545)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from majlis.programme.models import ProgrammeVersion, Session
from tests.factories import (
    make_event,
    make_large_programme,
    make_published_programme,
    make_sample_programme,
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
    return make_event(
        slug="tashkent-2022",
        title_en="Regional cooperation of Central Asian countries",
        short_title_en="Tashkent 2022",
        short_title_ru="Ташкент 2022",
    )


@pytest.fixture
def programme(event):
    objects = make_sample_programme(event)
    objects["version"] = make_published_programme(event, note="First programme")
    return objects


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def test_programme_ics_unpublished_returns_404_with_message(client, event):
    response = client.get(url("programme-ics", event=event.slug))
    assert response.status_code == 404
    assert "No programme has been published yet" in response.content.decode()


def test_programme_ics_draft_event_is_hidden(client, db):
    draft = make_event(status="draft")
    make_sample_programme(draft)
    make_published_programme(draft)
    assert client.get(url("programme-ics", event=draft.slug)).status_code == 404


def test_programme_ics_has_required_properties(client, event, programme):
    response = client.get(url("programme-ics", event=event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response)
    assert str(calendar["PRODID"]) == "-//Majlis//Majlis programme//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Tashkent 2022"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tashkent"]

    events = events_by_uid(calendar)
    assert len(events) == Session.objects.filter(event=event).count()
    opening = events[f"{programme['opening'].guid}@majlis"]
    assert str(opening["SUMMARY"]) == "Opening of the conference"
    assert opening["DTSTART"].dt == datetime(2022, 3, 3, 9, 0, tzinfo=event.tz)
    assert opening["DTSTART"].params["TZID"] == "Asia/Tashkent"
    assert opening["DTEND"].dt - opening["DTSTART"].dt == timedelta(minutes=90)
    assert opening["DTSTAMP"].dt == programme["version"].published_at.replace(microsecond=0)
    assert int(opening["SEQUENCE"]) == 1
    assert str(opening["STATUS"]) == "CONFIRMED"
    assert str(opening["LOCATION"]) == "Plenary Hall, Congress Hall"
    assert str(opening["URL"]).startswith("http://testserver/en/tashkent-2022/")
    assert programme["opening"].slug in str(opening["URL"])
    description = str(opening["DESCRIPTION"])
    assert "Welcome addresses." in description
    assert "H.E. Zhang Ming (张明)" in description
    assert "address on behalf of the President of the Republic of Uzbekistan" in description
    # Protocol order: the minister speaking for the President first, the chair (unranked) last.
    assert description.index("Aziz Namunov") < description.index("Vladimir Voronkov") < description.index("Gherman")

    cancelled = events[f"{programme['side'].guid}@majlis"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Financing counter-terrorism programmes" in str(cancelled["SUMMARY"])
    assert str(cancelled["SUMMARY"]).startswith("Cancelled")


def test_programme_ics_raw_bytes_are_crlf_and_folded_at_75_octets(client, event, programme):
    with translation.override("ru"):  # long Cyrillic lines: two octets per letter
        body = client.get(url("programme-ics", "ru", event=event.slug)).content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "expected at least one folded line"
    body.decode("utf-8")  # folding never splits a multi-byte character


def test_programme_ics_language_follows_url(client, event, programme):
    with translation.override("ru"):
        response = client.get(url("programme-ics", "ru", event=event.slug))
    assert response["Content-Language"] == "ru"
    events = events_by_uid(parse(response))
    opening = events[f"{programme['opening'].guid}@majlis"]
    assert str(opening["SUMMARY"]) == "Открытие конференции"
    assert str(opening["LOCATION"]) == "Пленарный зал, Конгресс-холл"
    assert "Президента Республики Узбекистан" in str(opening["DESCRIPTION"])
    assert "/ru/" in str(opening["URL"])
    assert str(parse(response)["X-WR-CALNAME"]) == "Ташкент 2022"


def test_programme_ics_same_version_is_byte_identical(client, event, programme):
    first = client.get(url("programme-ics", event=event.slug)).content
    second = client.get(url("programme-ics", event=event.slug)).content
    assert first == second


def test_programme_ics_uids_stable_and_sequence_follows_version(client, event, programme):
    before = events_by_uid(parse(client.get(url("programme-ics", event=event.slug))))
    Session.objects.filter(pk=programme["panel"].pk).update(title_en="Renamed panel")
    version = make_published_programme(event, note="Panel renamed")
    after = events_by_uid(parse(client.get(url("programme-ics", event=event.slug))))
    assert set(before) == set(after)
    panel = after[f"{programme['panel'].guid}@majlis"]
    assert str(panel["SUMMARY"]) == "Renamed panel"
    assert int(panel["SEQUENCE"]) == 2
    assert panel["DTSTAMP"].dt == version.published_at.replace(microsecond=0)


def test_programme_ics_reads_the_published_snapshot_not_the_draft(client, event, programme):
    Session.objects.filter(pk=programme["opening"].pk).update(title_en="Unpublished draft title")
    body = client.get(url("programme-ics", event=event.slug)).content.decode()
    assert "Unpublished draft title" not in body
    assert "Opening of the conference" in body


def test_programme_ics_conditional_get_returns_304(client, event, programme):
    response = client.get(url("programme-ics", event=event.slug))
    again = client.get(url("programme-ics", event=event.slug), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_session_ics_contains_one_event(client, event, programme):
    response = client.get(url("session-ics", event=event.slug, slug="closing"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    events = list(parse(response).walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{programme['closing'].guid}@majlis"]
    assert events[0]["DTSTART"].dt.date().isoformat() == "2022-03-04"


def test_session_ics_cancelled_session_is_marked(client, event, programme):
    response = client.get(url("session-ics", event=event.slug, slug="side-event-financing"))
    (component,) = parse(response).walk("VEVENT")
    assert str(component["STATUS"]) == "CANCELLED"


def test_session_ics_unknown_slug_returns_404(client, event, programme):
    assert client.get(url("session-ics", event=event.slug, slug="no-such-session")).status_code == 404


def test_session_ics_session_added_after_publication_returns_404(client, event, programme):
    from tests.factories import make_session

    make_session(event, slug="not-yet-published")
    assert client.get(url("session-ics", event=event.slug, slug="not-yet-published")).status_code == 404


def test_programme_ics_post_not_allowed(client, event, programme):
    assert client.post(url("programme-ics", event=event.slug)).status_code == 405


def test_export_views_declare_public_access():
    from majlis.programme import views_exports as views

    for view in (
        views.programme_ics,
        views.session_ics,
        views.schedule_xml,
        views.schedule_json,
        views.programme_pdf,
        views.agenda_ics,
    ):
        assert view.majlis_access == "public"
    assert views.agenda_feed.majlis_access == "authenticated"


@pytest.mark.parametrize("count", [10, 300])
def test_programme_ics_query_count_is_constant(client, django_assert_max_num_queries, db, count):
    event = make_event()
    make_large_programme(event, count)
    make_published_programme(event)
    # Built once: the version lookup, the event, the version, the snapshot.
    with django_assert_max_num_queries(4):
        response = client.get(url("programme-ics", event=event.slug))
    assert response.status_code == 200
    # Then served from the cache for one raw query.
    with django_assert_max_num_queries(1):
        assert client.get(url("programme-ics", event=event.slug)).content == response.content
    assert len(re.findall(rb"BEGIN:VEVENT", response.content)) == count
    assert ProgrammeVersion.objects.filter(event=event).count() == 1
