"""The demo programme of the Tashkent conference: facts of the press release, protocol, idempotence."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from majlis.events.models import Event, Organisation
from majlis.programme.demo import DemoProgrammeError, load_demo_programme
from majlis.programme.models import Person, ProgrammeVersion, Session, SessionKind, SessionSpeaker, Track
from majlis.programme.protocol import protocol_key, protocol_order
from tests.factories import make_event

LANGUAGES = ("en", "ru", "uz")
HEADS_OF_DELEGATION = [
    "head-of-delegation-kazakhstan",
    "head-of-delegation-kyrgyzstan",
    "head-of-delegation-tajikistan",
    "head-of-delegation-turkmenistan",
    "head-of-delegation-uzbekistan",
]
# DOMAIN.md §5: Head of State first; then, at minister rank, states before organisations, each in order
# of request; then the Under-Secretary-General, then the senior official. The organisers placed the
# Secretary-General's video message second by hand (a recorded override).
EXPECTED_OPENING_ORDER = [
    "shavkat-mirziyoyev",
    "antonio-guterres",
    *HEADS_OF_DELEGATION,
    "helga-maria-schmid",
    "zhang-ming",
    "vladimir-voronkov",
    "natalia-gherman",
]
PLENARY_KINDS = {SessionKind.OPENING, SessionKind.PLENARY, SessionKind.CLOSING}


@pytest.fixture(scope="module")
def demo_event_pk(django_db_setup, django_db_blocker):
    """Load the whole demo once for this module, in a transaction rolled back at the end.

    Each test runs in its own savepoint inside it (pytest-django's ``db``), so tests that change
    data do not affect each other.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        event = Event.objects.get(slug="tashkent-2022")
        if not Session.objects.filter(event=event).exists():
            # Until the demo command calls the programme loader itself.
            load_demo_programme(event, stdout=StringIO())
        yield event.pk
        transaction.set_rollback(True)


@pytest.fixture
def event(demo_event_pk, db) -> Event:
    return Event.objects.get(pk=demo_event_pk)


def _local_date(event: Event, moment) -> date:  # type: ignore[no-untyped-def]
    return moment.astimezone(event.tz).date()


def test_two_days_in_tashkent_time(event):
    sessions = list(Session.objects.filter(event=event))
    assert event.time_zone == "Asia/Tashkent"
    assert {_local_date(event, s.starts_at) for s in sessions} == {date(2022, 3, 3), date(2022, 3, 4)}
    assert all(_local_date(event, s.starts_at) == _local_date(event, s.ends_at) for s in sessions)
    # DOMAIN.md §1: the Declaration and the updated JPoA were adopted on 3 March.
    closing = Session.objects.get(event=event, kind=SessionKind.CLOSING)
    assert _local_date(event, closing.starts_at) == date(2022, 3, 3)
    assert "Tashkent Declaration" in closing.title_en and "Joint Plan of Action" in closing.title_en


def test_four_parallel_breakouts_one_per_pillar(event):
    breakouts = list(Session.objects.filter(event=event, kind=SessionKind.BREAKOUT).select_related("room", "track"))
    assert len(breakouts) == 4
    assert len({(s.starts_at, s.ends_at) for s in breakouts}) == 1
    assert len({s.room_id for s in breakouts}) == 4
    assert all(s.room.venue_id == event.venue_id for s in breakouts)
    assert sorted(s.track.pillar.number for s in breakouts) == [1, 2, 3, 4]
    for session in breakouts:
        roles = list(session.speakers.values_list("role", flat=True))
        assert roles.count(SessionSpeaker.Role.CHAIR) == 1
        assert 3 <= roles.count(SessionSpeaker.Role.SPEAKER) <= 4
        assert session.floor_languages == ["en", "ru"]
        assert session.interpretation == ["en", "ru", "uz"]
    # Nobody is in two parallel panels at once.
    people = list(SessionSpeaker.objects.filter(session__in=breakouts).values_list("person_id", flat=True))
    assert len(people) == len(set(people))


def test_tracks_are_the_four_pillars_in_distinct_accessible_colours(event):
    tracks = list(Track.objects.filter(event=event).select_related("pillar"))
    assert [track.pillar.number for track in tracks] == [1, 2, 3, 4]
    assert tracks[0].name_en == "Measures to address the conditions conducive to the spread of terrorism"
    assert tracks[3].name_en.endswith("as the fundamental basis of the fight against terrorism")
    for track in tracks:
        assert track.name_en == track.pillar.title_en
        assert len({track.name_en, track.name_ru, track.name_uz}) == 3
        assert _contrast_with_white(track.colour) >= 4.5, track.colour
    assert len({track.colour for track in tracks}) == 4


def _contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_three_side_events_with_the_organisers_of_the_press_release(event):
    side_events = list(Session.objects.filter(event=event, kind=SessionKind.SIDE_EVENT).order_by("title_en"))
    assert len(side_events) == 3
    organisers = {s.title_en.split(":")[0]: [o.acronym_en for o in s.organisers.all()] for s in side_events}
    assert organisers == {"Side event 1": ["SCO RATS"], "Side event 2": ["OSCE"], "Side event 3": ["UNOCT"]}
    assert "Regional Anti-Terrorist Structure" in side_events[0].title_en
    assert "women and children returning from war zones" in side_events[1].title_en
    assert "financial support" in side_events[2].title_en
    assert all(s.room.name_en.startswith("Side-event room") for s in side_events)
    assert all(_local_date(event, s.starts_at) == date(2022, 3, 4) for s in side_events)


def test_opening_speakers_in_protocol_order(event):
    opening = Session.objects.get(event=event, kind=SessionKind.OPENING)
    appearances = list(opening.speakers.select_related("person__organisation"))
    assert [a.person.slug for a in protocol_order(appearances)] == EXPECTED_OPENING_ORDER

    # Without the one manual position, protocol alone puts the five states before the organisations
    # of the same (minister) rank, and the heads of delegation in order of request.
    automatic = [a.person.slug for a in sorted(appearances, key=protocol_key)]
    assert automatic[:7] == ["shavkat-mirziyoyev", *HEADS_OF_DELEGATION, "antonio-guterres"]
    overridden = [a for a in appearances if a.manual_position is not None]
    assert [(a.person.slug, a.manual_position) for a in overridden] == [("antonio-guterres", 2)]
    assert overridden[0].override_reason

    by_slug = {a.person.slug: a for a in appearances}
    president = by_slug["shavkat-mirziyoyev"]
    assert president.delivery == SessionSpeaker.Delivery.ON_BEHALF
    assert president.on_behalf_of_en == "the President of the Republic of Uzbekistan, Shavkat Mirziyoyev"
    assert president.on_behalf_of_ru == "Президента Республики Узбекистан Шавката Мирзиёева"
    assert "Мирзиёева" in president.on_behalf_of_ru and "Mirziyoyev" in president.on_behalf_of_uz
    assert "on his behalf" in opening.abstract_en
    assert by_slug["antonio-guterres"].delivery == SessionSpeaker.Delivery.VIDEO
    for slug in HEADS_OF_DELEGATION:
        person = by_slug[slug].person
        assert person.represents_state
        assert person.organisation.kind == Organisation.Kind.GOVERNMENT
        assert person.organisation.country == person.country


def test_people_names_and_translations(event):
    zhang = Person.objects.get(slug="zhang-ming")
    assert zhang.name_native == "张明"
    assert zhang.name_latin == "Zhang Ming"
    assert Person.objects.get(slug="natalia-gherman").name_latin == "Natalia Gherman"  # not "German"
    assert Person.objects.get(slug="vladimir-voronkov").name_native == "Владимир Воронков"
    for person in Person.objects.filter(appearances__session__event=event).distinct():
        assert all(getattr(person, f"position_{code}") for code in LANGUAGES), person.slug
        assert person.protocol_rank is not None, person.slug


def test_texts_in_three_languages(event):
    for session in Session.objects.filter(event=event):
        titles = [getattr(session, f"title_{code}") for code in LANGUAGES]
        assert all(titles) and len(set(titles)) == 3, titles
        if session.kind != SessionKind.BREAK:
            abstracts = [getattr(session, f"abstract_{code}") for code in LANGUAGES]
            assert all(abstracts) and len(set(abstracts)) == 3, session.slug
        assert _proper_uzbek_latin(session.title_uz + session.abstract_uz), session.slug
    for person in Person.objects.filter(appearances__session__event=event).distinct():
        assert _proper_uzbek_latin(person.position_uz + person.bio_uz), person.slug
    for track in Track.objects.filter(event=event):
        assert _proper_uzbek_latin(track.name_uz), track.slug
    for appearance in SessionSpeaker.objects.filter(session__event=event).exclude(on_behalf_of_uz=""):
        assert _proper_uzbek_latin(appearance.on_behalf_of_uz)


def _proper_uzbek_latin(text: str) -> bool:
    """oʻ and gʻ with U+02BB: never an ASCII apostrophe, a quotation mark or U+02BC after o or g."""
    return not re.search(r"[OoGg]['‘’`ʼ]", text) and not re.search(r"[А-Яа-яЁё]", text)


def test_stream_links_only_on_plenary_sessions(event):
    for session in Session.objects.filter(event=event):
        assert bool(session.stream_url) == (session.kind in PLENARY_KINDS), session.slug


def test_published_snapshot_has_every_session(event):
    versions = list(ProgrammeVersion.objects.filter(event=event))
    assert len(versions) == 1
    snapshot = versions[0].snapshot
    live = set(Session.objects.filter(event=event).values_list("slug", flat=True))
    assert {row["slug"] for row in snapshot["sessions"]} == live
    assert len(live) == 16
    opening = next(row for row in snapshot["sessions"] if row["slug"] == "opening-ceremony")
    assert [s["person"] for s in opening["speakers"]] == EXPECTED_OPENING_ORDER
    people = {p["slug"]: p for p in snapshot["people"]}
    assert people["zhang-ming"]["name_native"] == "张明"
    assert [t["pillar"] for t in snapshot["tracks"]] == [1, 2, 3, 4]
    assert "stream_url" not in opening


def test_second_run_changes_nothing_and_publishes_nothing(event):
    before = sorted(Session.objects.filter(event=event).values_list("slug", "updated_at"))
    people_before = sorted(Person.objects.values_list("slug", "updated_at"))
    out = StringIO()
    assert load_demo_programme(event, stdout=out) is False
    assert "nothing changed" in out.getvalue()
    assert ProgrammeVersion.objects.filter(event=event).count() == 1
    assert sorted(Session.objects.filter(event=event).values_list("slug", "updated_at")) == before
    assert sorted(Person.objects.values_list("slug", "updated_at")) == people_before
    # The whole demo command again: still one version.
    call_command("demo", stdout=StringIO())
    assert ProgrammeVersion.objects.filter(event=event).count() == 1


def test_an_edited_session_is_restored_and_republished(event):
    session = Session.objects.get(event=event, slug="press-conference")
    session.title_ru = "Изменено"
    session.save()
    assert load_demo_programme(event) is True
    session.refresh_from_db()
    assert session.title_ru == "Пресс-конференция"
    assert list(ProgrammeVersion.objects.filter(event=event).values_list("number", flat=True)) == [2, 1]


def test_refuses_an_event_without_the_event_demo(db):
    elsewhere = make_event(slug="elsewhere")
    with pytest.raises(DemoProgrammeError):
        load_demo_programme(elsewhere)
    assert not Session.objects.filter(event=elsewhere).exists()
