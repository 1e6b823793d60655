"""frab / c3voc schedule.xml and schedule.json, validated against the published schemas."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from majlis.programme.exports.common import acronym, numeric_ids, person_guid, room_guid
from majlis.programme.models import Session
from tests.factories import (
    make_event,
    make_large_programme,
    make_published_programme,
    make_sample_programme,
)

ACRONYM_JSON = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")


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
    return make_event(slug="tashkent-2022", title_en="Regional cooperation of Central Asian countries")


@pytest.fixture
def programme(event):
    objects = make_sample_programme(event)
    objects["version"] = make_published_programme(event, note="First programme")
    return objects


@pytest.fixture
def xml_schema(shared_dir):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(shared_dir / "reference" / "c3voc-schedule" / "schedule.xml.xsd")))


@pytest.fixture
def json_validator(shared_dir):
    import jsonschema

    schema = json.loads((shared_dir / "reference" / "c3voc-schedule" / "schema.json").read_text())
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


def get_json(client, event, language="en") -> dict:
    with translation.override(language):
        response = client.get(url("schedule-json", language, event=event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def all_events(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def get_xml(client, event, language="en"):
    from lxml import etree

    with translation.override(language):
        response = client.get(url("schedule-xml", language, event=event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.content)


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_schedule_xml_validates_against_xsd(client, event, programme, xml_schema, language):
    xml_schema.assertValid(get_xml(client, event, language))


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_schedule_json_validates_against_schema(client, event, programme, json_validator, language):
    document = get_json(client, event, language)
    errors = sorted(json_validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    # Without optional packages jsonschema checks neither "date-time" nor "uri": check them here.
    for day in document["schedule"]["conference"]["days"]:
        for key in ("day_start", "day_end"):
            assert datetime.fromisoformat(day[key]).tzinfo is not None
    for item in all_events(document):
        assert datetime.fromisoformat(item["date"]).utcoffset() == timedelta(hours=5)
        assert datetime.fromisoformat(item["end"]) > datetime.fromisoformat(item["date"])
        assert item["url"].startswith("http://testserver/")
    assert document["schedule"]["conference"]["url"].startswith("http://testserver/")


def test_schedule_json_large_programme_validates(client, json_validator, xml_schema, db):
    event = make_event(slug="big-event-2022")
    make_large_programme(event, 60)
    make_published_programme(event)
    assert not list(json_validator.iter_errors(get_json(client, event)))
    xml_schema.assertValid(get_xml(client, event))


def test_schedule_json_content(client, event, programme):
    document = get_json(client, event)
    schedule = document["schedule"]
    assert document["generator"]["name"] == "majlis"
    assert schedule["version"] == "v1 — First programme"
    conference = schedule["conference"]
    assert conference["acronym"] == "tashkent_2022"
    assert conference["title"] == "Regional cooperation of Central Asian countries"
    assert (conference["start"], conference["end"], conference["daysCount"]) == ("2022-03-03", "2022-03-04", 2)
    assert conference["time_zone_name"] == "Asia/Tashkent"
    assert [day["date"] for day in conference["days"]] == ["2022-03-03", "2022-03-04"]
    assert [day["index"] for day in conference["days"]] == [1, 2]
    assert conference["days"][0]["day_start"] == "2022-03-03T09:00:00+05:00"
    assert conference["tracks"] == [{"name": "Pillar I", "color": "#7a1f3d", "slug": "pillar-1"}]
    rooms = {room["name"]: room for room in conference["rooms"]}
    assert rooms["Plenary Hall"]["guid"] == room_guid(event.slug, programme["plenary"].pk)

    events = {e["guid"]: e for e in all_events(document)}
    opening = events[str(programme["opening"].guid)]
    assert opening["date"] == "2022-03-03T09:00:00+05:00"
    assert (opening["start"], opening["duration"]) == ("09:00", "01:30")
    assert opening["room"] == "Plenary Hall"
    assert opening["type"] == "opening ceremony"
    assert opening["language"] == "en"
    assert opening["abstract"] == "Welcome addresses."
    all_guids = [str(guid) for guid in Session.objects.filter(event=event).values_list("guid", flat=True)]
    assert opening["id"] == numeric_ids(all_guids)[str(programme["opening"].guid)]
    assert opening["slug"].startswith("tashkent_2022-")
    assert opening["url"].startswith("http://testserver/en/tashkent-2022/")
    names = [person["public_name"] for person in opening["persons"]]
    assert names[0] == "H.E. Aziz Namunov"  # speaks on behalf of the President: first by protocol
    assert "H.E. Zhang Ming (张明)" in names
    assert opening["persons"][1]["guid"] == person_guid("zhang-ming")
    assert "address on behalf of the President of the Republic of Uzbekistan" in opening["description"]
    panel = events[str(programme["panel"].guid)]
    assert panel["track"] == "Pillar I"
    coffee = events[str(programme["coffee"].guid)]
    assert coffee["room"] == "Whole conference"
    assert "Whole conference" in rooms


def test_schedule_json_omits_cancelled_sessions(client, event, programme):
    guids = {e["guid"] for e in all_events(get_json(client, event))}
    assert str(programme["side"].guid) not in guids
    assert str(programme["opening"].guid) in guids


def test_schedule_xml_omits_cancelled_sessions(client, event, programme):
    guids = {element.get("guid") for element in get_xml(client, event).iter("event")}
    assert str(programme["side"].guid) not in guids
    assert len(guids) == Session.objects.filter(event=event, is_cancelled=False).count()


def test_schedule_json_language_follows_url(client, event, programme):
    events = {e["guid"]: e for e in all_events(get_json(client, event, "ru"))}
    opening = events[str(programme["opening"].guid)]
    assert opening["title"] == "Открытие конференции"
    assert opening["room"] == "Пленарный зал"
    assert "/ru/" in opening["url"]


def test_schedule_xml_content(client, event, programme):
    root = get_xml(client, event)
    assert root.findtext("version") == "v1 — First programme"
    assert root.find("generator").get("name") == "majlis"
    assert root.findtext("conference/acronym") == "tashkent_2022"
    opening = root.find(f".//event[@guid='{programme['opening'].guid}']")
    assert opening.findtext("title") == "Opening of the conference"
    assert opening.findtext("start") == "09:00"
    assert opening.findtext("duration") == "01:30"
    assert opening.find("persons/person").text == "H.E. Aziz Namunov"
    assert root.find("day").get("date") == "2022-03-03"


@pytest.mark.parametrize("name", ["schedule-json", "schedule-xml"])
def test_schedule_same_version_is_byte_identical(client, event, programme, name):
    first = client.get(url(name, event=event.slug)).content
    second = client.get(url(name, event=event.slug)).content
    assert first == second


def test_schedule_guids_and_ids_stable_between_versions(client, event, programme):
    before = {e["guid"]: e for e in all_events(get_json(client, event))}
    rooms_before = get_json(client, event)["schedule"]["conference"]["rooms"]
    Session.objects.filter(pk=programme["panel"].pk).update(title_en="Renamed panel")
    make_published_programme(event, note="Panel renamed")
    document = get_json(client, event)
    after = {e["guid"]: e for e in all_events(document)}
    assert document["schedule"]["version"] == "v2 — Panel renamed"
    assert set(before) == set(after)
    assert {g: e["id"] for g, e in before.items()} == {g: e["id"] for g, e in after.items()}
    assert {g: e["slug"] for g, e in before.items()} == {g: e["slug"] for g, e in after.items()}
    assert rooms_before == document["schedule"]["conference"]["rooms"]
    assert after[str(programme["panel"].guid)]["title"] == "Renamed panel"


def test_schedule_unpublished_returns_404(client, event):
    for name in ("schedule-json", "schedule-xml"):
        response = client.get(url(name, event=event.slug))
        assert response.status_code == 404
        assert "No programme has been published yet" in response.content.decode()


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("tashkent-2022", "tashkent_2022"), ("Dushanbe-2019", "dushanbe_2019"), ("ab", "ab_2022"), ("x_y-z", "x_y_z")],
)
def test_acronym_derived_from_slug_matches_schemas(slug, expected):
    result = acronym(slug, "2022-03-03")
    assert result == expected
    assert ACRONYM_JSON.match(result)
    assert re.fullmatch(r"[a-z0-9_-]{4,}", result)


def test_numeric_ids_unique_positive_and_stable_on_collision():
    first = "00000000-0000-4000-8000-000000000001"
    second = "00000001-0000-4000-8000-000000000002"  # same first seven hex digits → same derived number
    third = "abcdef12-0000-4000-8000-000000000003"
    ids = numeric_ids([third, second, first])
    assert len(set(ids.values())) == 3
    assert all(value >= 1 for value in ids.values())
    assert ids == numeric_ids([first, second, third])
    assert ids[third] == int("abcdef1", 16)


@pytest.mark.parametrize("name", ["schedule-json", "schedule-xml"])
@pytest.mark.parametrize("count", [10, 300])
def test_schedule_query_count_is_constant(client, django_assert_max_num_queries, db, count, name):
    event = make_event()
    sessions = make_large_programme(event, count)
    make_published_programme(event)
    # Built once: the version lookup, the event, the version, the snapshot.
    with django_assert_max_num_queries(4):
        response = client.get(url(name, event=event.slug))
    assert response.status_code == 200
    # Then served from the cache for one raw query.
    with django_assert_max_num_queries(1):
        assert client.get(url(name, event=event.slug)).content == response.content
    listed = sum(1 for s in sessions if not s.is_cancelled)
    if name == "schedule-json":
        assert len(all_events(json.loads(response.content))) == listed
    else:
        assert response.content.count(b"<event ") == listed


def test_schedule_xml_drops_control_characters_and_stays_valid(client, event, xml_schema, json_validator):
    from tests.factories import make_session

    make_session(event, slug="odd", title_en="Bell\x07 and tab\tok")
    make_published_programme(event)
    root = get_xml(client, event)
    xml_schema.assertValid(root)
    assert root.find(".//event/title").text == "Bell and tab\tok"
    assert not list(json_validator.iter_errors(get_json(client, event)))


def test_schedule_rooms_with_the_same_name_stay_apart(client, event, xml_schema):
    from tests.factories import make_room, make_session, make_venue

    venue = make_venue()
    first, second = make_room(venue, name_en="Hall", position=0), make_room(venue, name_en="Hall", position=1)
    make_session(event, slug="in-first", room=first)
    make_session(event, slug="in-second", room=second)
    make_published_programme(event)
    conference = get_json(client, event)["schedule"]["conference"]
    assert [room["name"] for room in conference["rooms"]] == ["Hall", "Hall (2)"]
    assert len({room["guid"] for room in conference["rooms"]}) == 2
    assert [len(events) for events in conference["days"][0]["rooms"].values()] == [1, 1]
    xml_schema.assertValid(get_xml(client, event))


def test_schedule_head_request_is_allowed(client, event, programme):
    assert client.head(url("schedule-xml", event=event.slug)).status_code == 200


@pytest.mark.parametrize("name", ["schedule-json", "schedule-xml", "programme-ics"])
def test_cached_export_never_outlives_a_publication(client, db, name):
    from tests.factories import make_session

    event = make_event()
    session = make_session(event, title_en="Opening ceremony")
    make_published_programme(event)
    assert b"Opening ceremony" in client.get(url(name, event=event.slug)).content
    Session.objects.filter(pk=session.pk).update(title_en="Solemn opening")
    make_published_programme(event, note="Renamed the opening")
    fresh = client.get(url(name, event=event.slug)).content
    assert b"Solemn opening" in fresh and b"Opening ceremony" not in fresh
