"""The public programme pages: programme by day, sessions, speakers, photos, print view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from majlis.events.models import Event, EventRole, Organisation
from majlis.programme import queries
from majlis.programme.models import Person, ProtocolRank, Session, SessionKind, SessionSpeaker
from tests.factories import (
    make_event,
    make_organisation,
    make_person,
    make_published_programme,
    make_role,
    make_room,
    make_session,
    make_speaker,
    make_track,
    make_user,
    make_venue,
)

LANGUAGES = ["en", "ru", "uz"]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Snapshots are cached by event id and version: never let one test read another's."""
    cache.clear()
    queries.clear_built_programmes()
    yield
    cache.clear()
    queries.clear_built_programmes()


def url(name: str, event: Event | str, language: str = "en", **kwargs: Any) -> str:
    slug = event if isinstance(event, str) else event.slug
    with translation.override(language):
        return reverse(f"events:programme:{name}", kwargs={"event": slug, **kwargs})


def at(event: Event, day: int, hour: int, minute: int = 0) -> datetime:
    """A local time of the event: day 0 is its first day."""
    first = event.start_date + timedelta(days=day)
    return datetime(first.year, first.month, first.day, hour, minute, tzinfo=event.tz)


@dataclass
class Conference:
    event: Event
    opening: Session
    panel: Session
    side_event: Session
    day_two: Session
    cancelled: Session
    guterres: Person
    voronkov: Person
    mirziyoyev_envoy: Person
    chair: Person
    pillar_track: Any
    side_track: Any
    hall: Any
    room_b: Any


def build_conference(publish: bool = True) -> Conference:
    """A small Tashkent programme: an opening with protocol order, a panel, a side event, day two."""
    event = make_event(slug="tashkent-2022", title_en="Regional cooperation of Central Asian countries")
    venue = make_venue()
    hall = make_room(
        venue,
        name_en="Plenary hall",
        name_ru="Пленарный зал",
        name_uz="Yalpi majlis zali",
        floor_en="Ground floor",
        floor_ru="Первый этаж",
        position=1,
    )
    room_b = make_room(venue, name_en="Room B", name_ru="Зал Б", name_uz="B zali", floor_en="Second floor", position=2)
    pillar_track = make_track(
        event, slug="pillar-1", name_en="Pillar I", name_ru="Столп I", name_uz="I ustun", colour="#1f4e79"
    )
    side_track = make_track(
        event,
        slug="side-events",
        name_en="Side events",
        name_ru="Параллельные мероприятия",
        name_uz="Yondosh tadbirlar",
        colour="#8a1c1c",
    )
    un = make_organisation(name_en="United Nations", acronym_en="UN", kind=Organisation.Kind.UN_ENTITY)
    uzbekistan = make_organisation(name_en="Government of Uzbekistan", kind=Organisation.Kind.GOVERNMENT, country="UZ")
    guterres = make_person(
        slug="antonio-guterres",
        honorific="he",
        name_latin="António Guterres",
        name_native="António Guterres",
        sort_name="Guterres",
        organisation=un,
        protocol_rank=ProtocolRank.MINISTER,
        position_en="Secretary-General",
        position_ru="Генеральный секретарь",
        bio_en="Ninth Secretary-General.",
    )
    voronkov = make_person(
        slug="vladimir-voronkov",
        honorific="he",
        name_latin="Vladimir Voronkov",
        name_native="Владимир Воронков",
        sort_name="Voronkov",
        organisation=un,
        country="RU",
        protocol_rank=ProtocolRank.UNDER_SECRETARY_GENERAL,
        position_en="Under-Secretary-General for Counter-Terrorism",
    )
    envoy = make_person(
        slug="state-envoy",
        honorific="he",
        name_latin="Abdulaziz Kamilov",
        name_native="Абдулазиз Камилов",
        sort_name="Kamilov",
        organisation=uzbekistan,
        country="UZ",
        protocol_rank=ProtocolRank.MINISTER,
        position_en="Minister of Foreign Affairs",
    )
    chair = make_person(
        slug="the-chair",
        honorific="dr",
        name_latin="Eldor Aripov",
        name_native="Eldor Aripov",
        sort_name="Aripov",
        protocol_rank=ProtocolRank.SENIOR_OFFICIAL,
    )
    opening = make_session(
        event,
        slug="opening",
        kind=SessionKind.OPENING,
        title_en="Opening ceremony",
        title_ru="Церемония открытия",
        title_uz="Ochilish marosimi",
        starts_at=at(event, 0, 9),
        ends_at=at(event, 0, 10, 30),
        room=hall,
        track=pillar_track,
        floor_languages=["en", "ru"],
        interpretation=["en", "ru", "uz"],
        abstract_en="The **opening** of the conference.",
        stream_url="https://stream.example.org/secret-opening",
    )
    opening.organisers.set([un])
    # Requested in the "wrong" order: protocol puts the state's minister first, then the UN.
    make_speaker(opening, voronkov, requested_at=at(event, -10, 9))
    make_speaker(opening, guterres, delivery=SessionSpeaker.Delivery.VIDEO, requested_at=at(event, -9, 9))
    make_speaker(
        opening,
        envoy,
        delivery=SessionSpeaker.Delivery.ON_BEHALF,
        requested_at=at(event, -8, 9),
        on_behalf_of_en="President Shavkat Mirziyoyev",
        on_behalf_of_ru="Президента Шавката Мирзиёева",
    )
    make_speaker(opening, chair, role=SessionSpeaker.Role.CHAIR)
    panel = make_session(
        event,
        slug="pillar-one-panel",
        kind=SessionKind.BREAKOUT,
        title_en="Conditions conducive to terrorism",
        title_ru="Условия, способствующие терроризму",
        title_uz="Terrorizm tarqalishiga sharoit",
        starts_at=at(event, 0, 11),
        ends_at=at(event, 0, 12, 30),
        room=hall,
        track=pillar_track,
        floor_languages=["ru"],
        interpretation=["en"],
    )
    make_speaker(panel, chair, role=SessionSpeaker.Role.MODERATOR)
    side_event = make_session(
        event,
        slug="rats-side-event",
        kind=SessionKind.SIDE_EVENT,
        title_en="The role of SCO RATS",
        title_ru="Роль РАТС ШОС",
        title_uz="ShHT MATT roli",
        starts_at=at(event, 0, 11),
        ends_at=at(event, 0, 12),
        room=room_b,
        track=side_track,
        floor_languages=["zh", "ru"],
    )
    cancelled = make_session(
        event,
        slug="cancelled-briefing",
        kind=SessionKind.PRESS_CONFERENCE,
        title_en="Press briefing",
        title_ru="Брифинг для прессы",
        title_uz="Matbuot brifingi",
        starts_at=at(event, 0, 14),
        ends_at=at(event, 0, 15),
        room=room_b,
        is_cancelled=True,
    )
    day_two = make_session(
        event,
        slug="closing",
        kind=SessionKind.CLOSING,
        title_en="Adoption of the Tashkent Declaration",
        title_ru="Принятие Ташкентской декларации",
        title_uz="Toshkent deklaratsiyasini qabul qilish",
        starts_at=at(event, 1, 16),
        ends_at=at(event, 1, 17),
        room=hall,
    )
    if publish:
        make_published_programme(event, note="First programme")
    return Conference(
        event,
        opening,
        panel,
        side_event,
        day_two,
        cancelled,
        guterres,
        voronkov,
        envoy,
        chair,
        pillar_track,
        side_track,
        hall,
        room_b,
    )


@pytest.fixture
def conf(db) -> Conference:
    return build_conference()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Set the public pages' clock: ``frozen_clock(datetime)``."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(queries, "current_time", lambda: moment)

    return freeze


BEFORE_EVENT = datetime(2022, 2, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _before_the_event(monkeypatch):
    """Unless a test says otherwise, it is 21 February 2022: the programme opens on its first day."""
    monkeypatch.setattr(queries, "current_time", lambda: BEFORE_EVENT)


# --- Before publication ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_page_before_publication_says_so(client, db, language):
    event = build_conference(publish=False).event
    response = client.get(url("programme", event, language))
    assert response.status_code == 200
    assert "Opening ceremony" not in response.content.decode()
    with translation.override(language):
        from django.utils.translation import gettext

        message = gettext(
            "The programme has not been published yet. It will appear here as soon as the organisers publish it."
        )
    assert message in response.content.decode()


def test_speakers_page_before_publication_says_so(client, db):
    event = build_conference(publish=False).event
    response = client.get(url("speakers", event))
    assert response.status_code == 200
    assert "Guterres" not in response.content.decode()


def test_session_page_before_publication_is_not_found(client, db):
    event = build_conference(publish=False).event
    assert client.get(url("session", event, slug="opening")).status_code == 404


def test_programme_page_of_draft_event_is_not_found_for_visitors(client, db):
    event = make_event(status=Event.Status.DRAFT)
    assert client.get(url("programme", event)).status_code == 404


# --- Translations -------------------------------------------------------------------------------


TITLES = {"en": "Opening ceremony", "ru": "Церемония открытия", "uz": "Ochilish marosimi"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_page_shows_translated_title(client, conf, language):
    response = client.get(url("programme", conf.event, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLES[language] in html
    assert f'<html lang="{language}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_session_page_shows_translated_title(client, conf, language):
    response = client.get(url("session", conf.event, language, slug="opening"))
    assert response.status_code == 200
    assert TITLES[language] in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_speaker_page_shows_translated_session_title(client, conf, language):
    response = client.get(url("speaker", conf.event, language, slug="vladimir-voronkov"))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLES[language] in html
    assert "Vladimir Voronkov" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_page_shows_translated_titles_of_every_day(client, conf, language):
    response = client.get(url("programme-print", conf.event, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLES[language] in html
    assert {
        "en": "Adoption of the Tashkent Declaration",
        "ru": "Принятие Ташкентской декларации",
        "uz": "Toshkent deklaratsiyasini qabul qilish",
    }[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_speakers_page_lists_people_in_each_language(client, conf, language):
    response = client.get(url("speakers", conf.event, language))
    assert response.status_code == 200
    assert "António Guterres" in response.content.decode()


def test_translation_falls_back_to_english():
    assert queries.tr({"en": "Hall", "ru": "", "uz": ""}, "ru") == "Hall"
    assert queries.tr({"en": "Hall", "ru": "Зал", "uz": ""}, "ru") == "Зал"
    assert queries.tr(None) == ""


# --- The programme page ---------------------------------------------------------------------------


def test_programme_page_shows_version_and_publication_date(client, conf):
    from majlis.programme.models import ProgrammeVersion

    ProgrammeVersion.objects.filter(event=conf.event).update(published_at=datetime(2022, 3, 1, 8, tzinfo=UTC))
    make_published_programme(conf.event, note="Second version")
    ProgrammeVersion.objects.filter(event=conf.event, number=2).update(
        published_at=datetime(2022, 3, 2, 20, tzinfo=UTC)  # already 3 March in Tashkent
    )
    assert "Version 2, published 3 March 2022" in client.get(url("programme", conf.event)).content.decode()


def test_programme_page_shows_session_details(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert "09:00" in html and "10:30" in html
    assert "Plenary hall" in html
    assert "Pillar I" in html  # the track chip carries its name, not only a colour
    assert 'fill="#1f4e79"' in html
    assert "Opening ceremony" in html
    assert "H.E." in html


def test_programme_page_shows_native_names_with_lang_attribute(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert '<bdi lang="ru">Владимир Воронков</bdi>' in html
    assert '<bdi lang="uz-Cyrl">Абдулазиз Камилов</bdi>' in html
    # A name whose native form is its Latin form is not repeated.
    assert "(<bdi>António Guterres</bdi>)" not in html


def test_programme_page_marks_cancelled_sessions(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert "Press briefing" in html
    assert "is-cancelled" in html
    assert "Cancelled" in html


def test_programme_page_links_to_exports_and_print(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert url("programme-print", conf.event) in html
    assert url("programme-ics", conf.event) in html


def test_programme_page_puts_parallel_sessions_in_one_slot(client, conf):
    response = client.get(url("programme", conf.event))
    slots = response.context["slots"]
    eleven = next(slot for slot in slots if slot.starts_at.hour == 11)
    assert [s.slug for s in eleven.sessions] == ["pillar-one-panel", "rats-side-event"]


def test_programme_page_times_are_in_event_time_zone(client, conf):
    response = client.get(url("programme", conf.event))
    first = response.context["slots"][0]
    assert first.starts_at.hour == 9  # 04:00 UTC is 09:00 in Tashkent
    assert '<time datetime="2022-03-03T09:00:00+05:00">09:00</time>' in response.content.decode()


def test_anonymous_visitor_is_invited_to_log_in_for_an_agenda(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert "Log in to build your agenda" in html
    assert "/account/login/?next=" in html


# --- Days -----------------------------------------------------------------------------------------


def test_programme_day_defaults_to_first_day_before_event(client, conf):
    response = client.get(url("programme", conf.event))
    assert response.context["day"] == date(2022, 3, 3)
    assert "Adoption of the Tashkent Declaration" not in response.content.decode()


def test_programme_day_defaults_to_today_during_event(client, conf, frozen_clock):
    frozen_clock(at(conf.event, 1, 8))
    response = client.get(url("programme", conf.event))
    assert response.context["day"] == date(2022, 3, 4)
    assert "Adoption of the Tashkent Declaration" in response.content.decode()


def test_programme_day_defaults_to_today_in_event_time_zone(client, conf, frozen_clock):
    # 20:30 UTC on 3 March is already 4 March in Tashkent.
    frozen_clock(datetime(2022, 3, 3, 20, 30, tzinfo=UTC))
    assert client.get(url("programme", conf.event)).context["day"] == date(2022, 3, 4)


def test_programme_day_defaults_to_first_day_after_event(client, conf, frozen_clock):
    frozen_clock(datetime(2022, 6, 1, tzinfo=UTC))
    assert client.get(url("programme", conf.event)).context["day"] == date(2022, 3, 3)


def test_programme_day_parameter_selects_day(client, conf):
    response = client.get(url("programme", conf.event), {"day": "2022-03-04"})
    html = response.content.decode()
    assert response.context["day"] == date(2022, 3, 4)
    assert "Adoption of the Tashkent Declaration" in html
    assert _slugs(response) == ["closing"]


def test_programme_day_tabs_are_links_marking_the_current_day(client, conf):
    html = client.get(url("programme", conf.event), {"day": "2022-03-04", "kind": "closing"}).content.decode()
    assert 'href="?day=2022-03-03&amp;kind=closing"' in html
    assert 'href="?day=2022-03-04&amp;kind=closing" aria-current="page"' in html


@pytest.mark.parametrize("value", ["yesterday", "2022-03-09", "2022-13-45"])
def test_programme_day_invalid_shows_message_and_first_day(client, conf, value):
    response = client.get(url("programme", conf.event), {"day": value})
    assert response.status_code == 200
    assert response.context["day"] == date(2022, 3, 3)
    assert response.context["problems"]
    assert 'role="alert"' in response.content.decode()


# --- Filters --------------------------------------------------------------------------------------


def _slugs(response) -> list[str]:
    return [s.slug for slot in response.context["slots"] for s in slot.sessions]


def test_programme_filter_by_track(client, conf):
    response = client.get(url("programme", conf.event), {"track": "side-events"})
    assert _slugs(response) == ["rats-side-event"]
    assert not response.context["problems"]


def test_programme_filter_by_kind(client, conf):
    response = client.get(url("programme", conf.event), {"kind": "breakout"})
    assert _slugs(response) == ["pillar-one-panel"]


def test_programme_filter_by_floor_language(client, conf):
    assert _slugs(client.get(url("programme", conf.event), {"language": "zh"})) == ["rats-side-event"]


def test_programme_filter_by_interpretation_language(client, conf):
    # Uzbek is only an interpretation channel of the opening.
    assert _slugs(client.get(url("programme", conf.event), {"language": "uz"})) == ["opening"]


def test_programme_filter_by_room(client, conf):
    response = client.get(url("programme", conf.event), {"room": str(conf.room_b.pk)})
    assert _slugs(response) == ["rats-side-event", "cancelled-briefing"]


def test_programme_filters_combine(client, conf):
    response = client.get(url("programme", conf.event), {"track": "pillar-1", "language": "en"})
    assert _slugs(response) == ["opening", "pillar-one-panel"]


def test_programme_filter_form_has_labels(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    for name in ("track", "kind", "language", "room"):
        assert f'<label for="filter-{name}">' in html
        assert f'id="filter-{name}" name="{name}"' in html


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"track": "pillar-9"}, "There is no track called “pillar-9”"),
        ({"kind": "banquet"}, "There is no kind of session called “banquet”"),
        ({"language": "xx"}, "No session is held or interpreted in the language “xx”"),
        ({"room": "99999"}, "There is no room “99999”"),
        ({"room": "hall"}, "There is no room “hall”"),
    ],
)
def test_programme_filter_invalid_value_is_ignored_with_message(client, conf, params, fragment):
    response = client.get(url("programme", conf.event), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert fragment in html
    assert _slugs(response) == ["opening", "pillar-one-panel", "rats-side-event", "cancelled-briefing"]


def test_programme_filter_message_escapes_the_value(client, conf):
    html = client.get(url("programme", conf.event), {"track": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_programme_filter_without_match_says_so(client, conf):
    html = client.get(url("programme", conf.event), {"day": "2022-03-04", "kind": "breakout"}).content.decode()
    assert "No session on this day matches these filters." in html


# --- Now and next -----------------------------------------------------------------------------------


def test_now_and_next_at_injected_time(conf):
    from majlis.programme.published import published_programme

    number, snapshot = published_programme(conf.event)
    programme = queries.build_programme(number, snapshot, "en")
    during_opening = queries.now_and_next(programme, at(conf.event, 0, 10))
    assert [s.slug for s in during_opening.now] == ["opening"]
    assert [s.slug for s in during_opening.next] == ["pillar-one-panel", "rats-side-event"]
    # The cancelled 14:00 briefing is skipped: next after the panels is day two's closing.
    after_panels = queries.now_and_next(programme, at(conf.event, 0, 12, 45))
    assert after_panels.now == []
    assert [s.slug for s in after_panels.next] == ["closing"]


def test_now_and_next_is_absent_outside_the_event(conf):
    from majlis.programme.published import published_programme

    number, snapshot = published_programme(conf.event)
    programme = queries.build_programme(number, snapshot, "en")
    assert queries.now_and_next(programme, BEFORE_EVENT) is None
    assert queries.now_and_next(programme, datetime(2022, 3, 5, 12, tzinfo=UTC)) is None


def test_programme_page_shows_now_and_next_during_event(client, conf, frozen_clock):
    frozen_clock(at(conf.event, 0, 11, 15))
    response = client.get(url("programme", conf.event))
    html = response.content.decode()
    assert "Now and next (local time 11:15)" in html
    now_next = response.context["now_next"]
    assert [s.slug for s in now_next.now] == ["pillar-one-panel", "rats-side-event"]
    assert [s.slug for s in now_next.next] == ["closing"]


def test_programme_page_hides_now_and_next_before_event(client, conf):
    html = client.get(url("programme", conf.event)).content.decode()
    assert "Now and next" not in html


# --- The session page -----------------------------------------------------------------------------


def test_session_page_shows_protocol_order(client, conf):
    response = client.get(url("session", conf.event, slug="opening"))
    html = response.content.decode()
    # Minister of a state, then the Secretary-General (same rank, an organisation), then the USG.
    positions = [html.index(name) for name in ("Abdulaziz Kamilov", "António Guterres", "Vladimir Voronkov")]
    assert positions == sorted(positions)
    # The chair is shown first, in their own group.
    assert html.index("Eldor Aripov") < positions[0]
    assert "<h3>Chair</h3>" in html
    assert "<h3>Speakers</h3>" in html


def test_session_page_shows_delivery_modes(client, conf):
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "Video message" in html
    assert "On behalf of President Shavkat Mirziyoyev" in html


def test_session_page_shows_delivery_mode_translated(client, conf):
    html = client.get(url("session", conf.event, "ru", slug="opening")).content.decode()
    assert "Президента Шавката Мирзиёева" in html


def test_session_page_shows_full_details(client, conf):
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "Thursday, 3 March 2022" in html
    assert "Plenary hall" in html and "Floor: Ground floor" in html
    assert "Opening ceremony" in html
    assert "Open to all accredited participants" in html
    assert "Interpretation channels" in html and "Uzbek" in html
    assert "United Nations (UN)" in html
    assert "<strong>opening</strong>" in html  # the abstract, as sanitised Markdown
    assert url("speaker", conf.event, slug="antonio-guterres") in html
    assert url("session-ics", conf.event, slug="opening") in html
    assert "UTC+5" in html


def test_session_page_marks_cancelled_session(client, conf):
    html = client.get(url("session", conf.event, slug="cancelled-briefing")).content.decode()
    assert "This session has been cancelled." in html


def test_session_page_unknown_slug_is_not_found(client, conf):
    assert client.get(url("session", conf.event, slug="no-such-session")).status_code == 404


def test_session_page_shows_published_not_draft_title(client, conf):
    Session.objects.filter(pk=conf.opening.pk).update(title_en="Draft title not yet published")
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "Opening ceremony" in html
    assert "Draft title not yet published" not in html


def test_stream_link_is_not_in_the_snapshot(conf):
    from majlis.programme.published import published_programme

    _number, snapshot = published_programme(conf.event)
    assert "secret-opening" not in str(snapshot)


def test_stream_link_hidden_from_anonymous_visitor(client, conf):
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "secret-opening" not in html
    assert "Watch the stream" not in html


def test_stream_link_hidden_from_participant(client, conf):
    participant = make_role(conf.event, EventRole.Role.PARTICIPANT).user
    client.force_login(participant)
    assert "secret-opening" not in client.get(url("session", conf.event, slug="opening")).content.decode()


def test_stream_link_shown_to_organiser(client, conf):
    organiser = make_role(conf.event, EventRole.Role.ORGANISER_ADMIN).user
    client.force_login(organiser)
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert 'href="https://stream.example.org/secret-opening"' in html
    assert "Watch the stream" in html


def test_stream_link_hidden_from_organiser_of_another_event(client, conf):
    other = make_event()
    client.force_login(make_role(other, EventRole.Role.ORGANISER_ADMIN).user)
    assert "secret-opening" not in client.get(url("session", conf.event, slug="opening")).content.decode()


def test_can_see_stream_rules(conf):
    from django.contrib.auth.models import AnonymousUser

    from majlis.programme.access import can_see_stream

    assert not can_see_stream(AnonymousUser(), conf.event)
    assert not can_see_stream(make_user(), conf.event)
    assert can_see_stream(make_user(is_superuser=True), conf.event)
    assert can_see_stream(make_role(conf.event, EventRole.Role.CO_ORGANISER).user, conf.event)


# --- Speakers and photos --------------------------------------------------------------------------


def test_speakers_page_sorted_by_sort_name(client, conf):
    response = client.get(url("speakers", conf.event))
    assert [p.sort_name for p in response.context["people"]] == ["Aripov", "Guterres", "Kamilov", "Voronkov"]


def test_speaker_page_shows_details_and_sessions(client, conf):
    html = client.get(url("speaker", conf.event, slug="antonio-guterres")).content.decode()
    assert "H.E." in html
    assert "Secretary-General" in html
    assert "United Nations (UN)" in html
    assert "Ninth Secretary-General." in html
    assert "Opening ceremony" in html
    assert "video message" in html


def test_speaker_page_in_russian_shows_translated_position(client, conf):
    html = client.get(url("speaker", conf.event, "ru", slug="antonio-guterres")).content.decode()
    assert "Генеральный секретарь" in html


def test_speaker_page_not_in_snapshot_is_not_found(client, conf):
    make_person(slug="not-speaking")
    assert client.get(url("speaker", conf.event, slug="not-speaking")).status_code == 404


def _give_photo(person: Person, name: str = "photo.jpg", content: bytes = JPEG) -> None:
    person.photo.save(name, ContentFile(content), save=True)


def test_speaker_photo_is_streamed_with_headers(client, conf):
    _give_photo(conf.guterres)
    make_published_programme(conf.event, note="Photo added")
    response = client.get(url("speaker-photo", conf.event, slug="antonio-guterres"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == JPEG
    html = client.get(url("speaker", conf.event, slug="antonio-guterres")).content.decode()
    assert url("speaker-photo", conf.event, slug="antonio-guterres") in html


def test_speaker_photo_png_content_type(client, conf):
    _give_photo(conf.voronkov, "photo.png", b"\x89PNG\r\n\x1a\n")
    assert client.get(url("speaker-photo", conf.event, slug="vladimir-voronkov"))["Content-Type"] == "image/png"


def test_speaker_photo_missing_is_not_found(client, conf):
    assert client.get(url("speaker-photo", conf.event, slug="antonio-guterres")).status_code == 404


def test_speaker_photo_of_person_not_in_programme_is_not_found(client, conf):
    stranger = make_person(slug="stranger")
    _give_photo(stranger)
    assert client.get(url("speaker-photo", conf.event, slug="stranger")).status_code == 404


def test_speaker_photo_before_publication_is_not_found(client, db):
    conference = build_conference(publish=False)
    _give_photo(conference.guterres)
    assert client.get(url("speaker-photo", conference.event, slug="antonio-guterres")).status_code == 404


# --- Every view decided who may see it -------------------------------------------------------------


def test_public_programme_views_declare_their_access():
    from majlis.programme import views

    public_views = [
        views.programme,
        views.programme_print,
        views.session_detail,
        views.speaker_list,
        views.speaker_detail,
        views.speaker_photo,
    ]
    assert all(view.majlis_access == "public" for view in public_views)
    assert views.agenda.majlis_access == "authenticated"
    assert views.agenda_toggle.majlis_access == "authenticated"


# --- A constant number of queries, whatever the size of the programme -------------------------------


def build_large_programme(count: int) -> Event:
    """An event with ``count`` sessions (bulk-created) of two speakers each, published."""
    event = make_event(slug=f"big-{count}")
    venue = make_venue()
    rooms = [make_room(venue, position=i) for i in range(4)]
    tracks = [make_track(event, slug=f"t{i}") for i in range(3)]
    people = Person.objects.bulk_create(
        Person(
            slug=f"p{count}-{i}",
            name_latin=f"Speaker {i}",
            name_native=f"Спикер {i}",
            sort_name=f"S{i:03d}",
            protocol_rank=ProtocolRank.EXPERT,
        )
        for i in range(40)
    )
    sessions = Session.objects.bulk_create(
        Session(
            event=event,
            slug=f"s-{i}",
            kind=SessionKind.PLENARY,
            title=f"Session {i}",
            title_en=f"Session {i}",
            title_ru=f"Сессия {i}",
            starts_at=at(event, i % 2, 8 + (i // 8) % 10),
            ends_at=at(event, i % 2, 9 + (i // 8) % 10),
            room=rooms[i % 4],
            track=tracks[i % 3],
            floor_languages=["en"],
            interpretation=["ru"],
        )
        for i in range(count)
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, person=people[(i + k) % len(people)], role=role)
        for i, session in enumerate(sessions)
        for k, role in enumerate([SessionSpeaker.Role.CHAIR, SessionSpeaker.Role.SPEAKER])
    )
    make_published_programme(event, note="Large programme")
    return event


def _count_queries(client, path: str) -> int:
    cache.clear()  # the worst case: the snapshot is read from the database and built anew
    queries.clear_built_programmes()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "organiser"])
def test_query_counts_do_not_grow_with_programme_size(client, db, django_assert_max_num_queries, logged_in):
    small, large = build_large_programme(10), build_large_programme(300)
    if logged_in:
        user = make_user()
        make_role(small, EventRole.Role.ORGANISER_ADMIN, user=user)
        make_role(large, EventRole.Role.ORGANISER_ADMIN, user=user)
        client.force_login(user)
    pages = [
        ("programme", {}),
        ("programme-print", {}),
        ("session", {"slug": "s-4"}),
        ("speakers", {}),
        ("speaker", {"slug": "p{count}-3"}),
        ("agenda", {}) if logged_in else ("programme", {}),
    ]
    for name, kwargs in pages:
        counts = []
        for event, count in ((small, 10), (large, 300)):
            concrete = {k: v.format(count=count) for k, v in kwargs.items()}
            path = url(name, event, **concrete)
            with django_assert_max_num_queries(12):
                counts.append(_count_queries(client, path))
        assert counts[0] == counts[1], (name, counts)


def test_programme_page_reads_one_row_once_cached_for_visitors(client, db, django_assert_num_queries):
    event = build_large_programme(10)
    first = client.get(url("programme", event))
    with django_assert_num_queries(1):  # the event's newest version number, then the cached page
        again = client.get(url("programme", event))
    assert again.content == first.content


def test_programme_page_is_not_shared_between_participants(client, db, django_assert_max_num_queries):
    event = build_large_programme(10)
    client.force_login(make_user())
    client.get(url("programme", event))
    # session, user, event, newest version, agenda: built per participant, never served from the visitors' cache
    with django_assert_max_num_queries(6):
        response = client.get(url("programme", event))
    assert "agenda" in response.context


def test_programme_page_cache_never_serves_an_older_version(client, conf):
    assert "Opening ceremony" in client.get(url("programme", conf.event)).content.decode()
    Session.objects.filter(pk=conf.opening.pk).update(title_en="Solemn opening")
    make_published_programme(conf.event, note="Renamed the opening")
    assert "Solemn opening" in client.get(url("programme", conf.event)).content.decode()


def test_new_publication_is_shown_at_once(client, conf):
    assert "Opening ceremony" in client.get(url("session", conf.event, slug="opening")).content.decode()
    Session.objects.filter(pk=conf.opening.pk).update(title_en="Solemn opening")
    make_published_programme(conf.event, note="Renamed the opening")
    html = client.get(url("session", conf.event, slug="opening")).content.decode()
    assert "Solemn opening" in html


def test_large_programme_page_lists_every_session_of_the_day(client, db):
    event = build_large_programme(300)
    response = client.get(url("programme", event))
    assert response.context["session_count"] == 150
