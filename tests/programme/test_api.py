"""The programme API: public reads of the published programme, organiser writes to the draft."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from majlis.programme import services
from majlis.programme.models import ProgrammeVersion, ProtocolRank, Session, SessionSpeaker
from tests.factories import (
    make_event,
    make_large_programme,
    make_organisation,
    make_person,
    make_role,
    make_room,
    make_sample_programme,
    make_session,
    make_speaker,
    make_user,
    make_venue,
)

pytestmark = [pytest.mark.django_db]


def api(event, path=""):
    return f"/api/v1/events/{event.slug}/programme{path}"


@pytest.fixture
def event():
    return make_event(venue=make_venue())


@pytest.fixture
def sample(event):
    return make_sample_programme(event)


@pytest.fixture
def published(event, sample):
    services.publish_programme(event, actor=None, note="First programme")
    return sample


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


# --- Public reads ------------------------------------------------------------------------------


def test_api_sessions_before_publication_are_an_empty_list(client, event, sample):
    body = client.get(api(event, "/sessions")).json()
    assert body == {"version": None, "count": 0, "items": []}
    response = client.get(api(event, f"/sessions/{sample['opening'].guid}"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_sessions_read_the_published_snapshot_not_the_draft(client, event, published):
    opening = published["opening"]
    opening.title_en = "Changed in the draft"
    opening.save()
    make_session(event, title_en="Draft only")
    body = client.get(api(event, "/sessions")).json()
    titles = [item["title"] for item in body["items"]]
    assert body["version"] == 1 and body["count"] == 5
    assert "Opening of the conference" in titles and "Draft only" not in titles


def test_api_sessions_in_event_time_and_protocol_order(client, event, published):
    body = client.get(api(event, "/sessions")).json()
    opening = next(item for item in body["items"] if item["slug"] == "opening")
    assert opening["starts_at"].startswith("2022-03-03T09:00:00+05:00")
    assert opening["day"] == "2022-03-03"
    assert opening["room"]["name"] == "Plenary Hall" and opening["interpretation"] == ["ru", "uz"]
    people = [speaker["person"] for speaker in opening["speakers"]]
    # Ministers first, the state's before the organisations', then USG, then the unranked chair.
    assert people[0] == "host-envoy" and people[-1] == "natalia-gherman"
    assert people.index("vladimir-voronkov") > people.index("zhang-ming")
    assert "stream_url" not in opening


def test_api_sessions_in_the_requested_language(client, event, published):
    ru = client.get(api(event, "/sessions?lang=ru")).json()
    assert "Открытие конференции" in [item["title"] for item in ru["items"]]
    uz = client.get(api(event, "/sessions"), HTTP_ACCEPT_LANGUAGE="uz,en;q=0.5")
    assert uz["Content-Language"] == "uz"
    assert "Konferensiyaning ochilishi" in [item["title"] for item in uz.json()["items"]]
    # No Uzbek title: English.
    assert "Conditions conducive to terrorism" in [item["title"] for item in uz.json()["items"]]
    assert client.get(api(event, "/sessions?lang=fr")).status_code == 400


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("day=2022-03-04", {"closing"}),
        ("track=pillar-1", {"pillar-1-panel"}),
        ("kind=side_event", {"side-event-financing"}),
        ("language=uz", {"opening"}),
        ("language=en", {"opening"}),
    ],
)
def test_api_sessions_filters(client, event, published, query, slugs):
    body = client.get(api(event, f"/sessions?{query}")).json()
    assert {item["slug"] for item in body["items"]} == slugs


def test_api_sessions_filter_by_room(client, event, published):
    body = client.get(api(event, f"/sessions?room={published['room_b'].pk}")).json()
    assert {item["slug"] for item in body["items"]} == {"pillar-1-panel", "side-event-financing"}


def test_api_sessions_bad_filters_are_400(client, event, published):
    for query in ["kind=banquet", "day=tomorrow", "room=hall", "language=english"]:
        response = client.get(api(event, f"/sessions?{query}"))
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid_parameters"


def test_api_sessions_take_constant_queries(client):
    def count(event):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api(event, "/sessions")).status_code == 200
        return len(queries)

    small, large = make_event(), make_event()
    make_large_programme(small, 3)
    make_large_programme(large, 60)
    services.publish_programme(small, actor=None, note="v1")
    services.publish_programme(large, actor=None, note="v1")
    assert count(small) == count(large)


def test_api_session_detail(client, event, published):
    guid = published["opening"].guid
    body = client.get(api(event, f"/sessions/{guid}?lang=ru")).json()
    assert body["guid"] == str(guid) and body["title"] == "Открытие конференции"
    envoy = next(s for s in body["speakers"] if s["person"] == "host-envoy")
    assert envoy["delivery"] == "on_behalf" and envoy["on_behalf_of"] == "Президента Республики Узбекистан"
    missing = client.get(api(event, "/sessions/00000000-0000-0000-0000-000000000000"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get(api(event, "/sessions/not-a-guid")).status_code == 400


def test_api_speakers_and_speaker_detail(client, event, published):
    body = client.get(api(event, "/speakers")).json()
    assert body["count"] == 5
    assert [item["slug"] for item in body["items"]][:2] == ["natalia-gherman", "antonio-guterres"]
    gherman = client.get(api(event, "/speakers/natalia-gherman")).json()
    assert {s["role"] for s in gherman["sessions"]} == {"chair", "moderator"}
    assert "protocol_rank" not in gherman
    assert client.get(api(event, "/speakers/nobody")).status_code == 404


def test_api_versions_list_with_changes(client, event, published):
    published["closing"].is_cancelled = True
    published["closing"].save()
    services.publish_programme(event, actor=None, note="Closing cancelled")
    body = client.get(api(event, "/versions")).json()
    assert [v["number"] for v in body] == [2, 1]
    assert body[0]["note"] == "Closing cancelled" and body[1]["changes"] == []
    assert body[0]["changes"][0]["kind"] == "cancelled"
    assert body[0]["changes"][0]["session"] == str(published["closing"].guid)


def test_api_programme_of_a_draft_event_is_hidden(client):
    event = make_event(status="draft")
    response = client.get(api(event, "/sessions"))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/events/no-such-event/programme/sessions").status_code == 404


# --- Organiser writes: access ------------------------------------------------------------------


def session_body(**overrides):
    body = {
        "title": {"en": "Role of SCO RATS", "ru": "Роль РАТС ШОС"},
        "kind": "side_event",
        "starts_at": "2022-03-04T14:00:00",
        "ends_at": "2022-03-04T15:00:00",
        "floor_languages": ["ru"],
        "interpretation": ["en"],
    }
    body.update(overrides)
    return body


WRITES = [
    ("get", "/draft/sessions", None),
    ("post", "/draft/sessions", session_body()),
    ("post", "/versions", {"note": "x"}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_api_writes_anonymous_is_401(client, event, method, path, body):
    response = getattr(client, method)(api(event, path), body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.FOCAL_POINT, EventRole.Role.GATE_OFFICER])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_api_writes_other_roles_are_403(client, event, role, method, path, body):
    client.force_login(make_role(event, role).user)
    response = getattr(client, method)(api(event, path), body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Session.objects.filter(title_en="Role of SCO RATS").exists()
    assert not ProgrammeVersion.objects.exists()


def test_api_writes_organiser_of_another_event_is_403(client, event):
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    response = client.post(api(event, "/draft/sessions"), session_body(), content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
def test_api_writes_organisers_may_create(client, event, role):
    client.force_login(make_role(event, role).user)
    response = client.post(api(event, "/draft/sessions"), session_body(), content_type="application/json")
    assert response.status_code == 201, response.json()


def test_api_writes_need_csrf(event, organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(api(event, "/draft/sessions"), session_body(), content_type="application/json")
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_api_writes_unknown_event_is_404(organiser_client):
    response = organiser_client.post(
        "/api/v1/events/nope/programme/draft/sessions", session_body(), content_type="application/json"
    )
    assert response.status_code == 404


# --- Organiser writes: flows -------------------------------------------------------------------


def test_api_create_session_in_event_time_with_audit(organiser_client, event):
    room = make_room(event.venue)
    organisation = make_organisation()
    response = organiser_client.post(
        api(event, "/draft/sessions"),
        session_body(room=room.pk, organisers=[organisation.pk]),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["starts_at"].startswith("2022-03-04T14:00:00+05:00")
    assert body["title"] == {"en": "Role of SCO RATS", "ru": "Роль РАТС ШОС", "uz": ""}
    assert body["slug"] == "role-of-sco-rats" and body["organisers"] == [organisation.pk] and body["editable"]
    session = Session.objects.get(guid=body["guid"])
    assert session.room == room
    assert AuditEntry.objects.filter(action="programme.session_created", object_id=str(session.pk)).exists()
    listing = organiser_client.get(api(event, "/draft/sessions")).json()
    assert [item["guid"] for item in listing] == [body["guid"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2022-03-04T13:00:00"}, "ends_at"),
        ({"title": {"ru": "Только по-русски"}}, "title_en"),
        ({"room": 999999}, "room"),
        ({"track": "no-such-track"}, "track"),
        ({"organisers": [999999]}, "organisers"),
        ({"floor_languages": ["xx"]}, "floor_languages"),
        ({"access": "restricted"}, "restricted_to"),
    ],
)
def test_api_create_session_invalid_data_is_400_with_the_field(organiser_client, event, overrides, field):
    response = organiser_client.post(
        api(event, "/draft/sessions"), session_body(**overrides), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_data"
    assert ["body", field] in [error["loc"] for error in body["errors"]]
    assert field in body["detail"]
    assert not Session.objects.exists()


def test_api_create_session_malformed_body_is_400(organiser_client, event):
    response = organiser_client.post(api(event, "/draft/sessions"), {"title": "no"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameters"


def test_api_update_session_changes_only_the_fields_sent(organiser_client, event):
    session = make_session(event, title_en="Opening", title_ru="Открытие", capacity=100)
    response = organiser_client.patch(
        api(event, f"/draft/sessions/{session.guid}"),
        {"title": {"en": "Opening ceremony"}, "capacity": 90},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.title_en == "Opening ceremony" and session.title_ru == "Открытие" and session.capacity == 90
    assert (
        organiser_client.patch(
            api(event, "/draft/sessions/00000000-0000-0000-0000-000000000000"), {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_api_cancel_and_reinstate_session(organiser_client, event):
    session = make_session(event)
    path = api(event, f"/draft/sessions/{session.guid}/cancel")
    body = organiser_client.post(path, {"reason": "Speaker unavailable"}, content_type="application/json").json()
    assert body["is_cancelled"] is True
    assert AuditEntry.objects.get(action="programme.session_cancelled").reason == "Speaker unavailable"
    body = organiser_client.post(path, {"cancelled": False}, content_type="application/json").json()
    assert body["is_cancelled"] is False


def test_api_speakers_add_position_and_remove(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(slug="minister", protocol_rank=ProtocolRank.MINISTER))
    make_person(slug="expert", protocol_rank=ProtocolRank.EXPERT)
    speakers = api(event, f"/draft/sessions/{session.guid}/speakers")
    response = organiser_client.post(
        speakers, {"person": "expert", "requested_at": "2022-03-01T10:00:00"}, content_type="application/json"
    )
    assert response.status_code == 201
    added = response.json()
    assert added["position"] == 2 and added["requested_at"].startswith("2022-03-01T05:00:00")
    position = f"{speakers}/{added['id']}/position"

    no_reason = organiser_client.put(position, {"position": 1}, content_type="application/json")
    assert no_reason.status_code == 400
    assert ["body", "override_reason"] in [e["loc"] for e in no_reason.json()["errors"]]

    ordered = organiser_client.put(
        position, {"position": 1, "reason": "Video first"}, content_type="application/json"
    ).json()
    assert [s["person"] for s in ordered] == ["expert", "minister"]
    assert ordered[0]["override_reason"] == "Video first" and ordered[0]["override_by"] is not None

    restored = organiser_client.put(position, {"position": None}, content_type="application/json").json()
    assert [s["person"] for s in restored] == ["minister", "expert"] and restored[1]["manual_position"] is None

    assert organiser_client.delete(f"{speakers}/{added['id']}").status_code == 204
    assert list(SessionSpeaker.objects.values_list("person__slug", flat=True)) == ["minister"]
    assert organiser_client.delete(f"{speakers}/{added['id']}").status_code == 404


def test_api_speakers_add_errors(organiser_client, event):
    session = make_session(event)
    make_speaker(session, make_person(slug="already"))
    speakers = api(event, f"/draft/sessions/{session.guid}/speakers")
    unknown = organiser_client.post(speakers, {"person": "nobody"}, content_type="application/json")
    assert unknown.status_code == 400 and ["body", "person"] in [e["loc"] for e in unknown.json()["errors"]]
    twice = organiser_client.post(speakers, {"person": "already"}, content_type="application/json")
    assert twice.status_code == 400
    behalf = organiser_client.post(
        speakers, {"person": "already", "role": "keynote", "delivery": "on_behalf"}, content_type="application/json"
    )
    assert behalf.status_code == 400


def test_api_publish_then_public_read(organiser_client, event, sample):
    assert (
        organiser_client.post(api(event, "/versions"), {"note": " "}, content_type="application/json").status_code
        == 400
    )
    response = organiser_client.post(
        api(event, "/versions"), {"note": "First programme"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["number"] == 1
    anonymous = Client()
    assert anonymous.get(api(event, "/sessions")).json()["version"] == 1
    sample["panel"].starts_at += timedelta(hours=1)
    sample["panel"].ends_at += timedelta(hours=1)
    sample["panel"].save()
    second = organiser_client.post(
        api(event, "/versions"), {"note": "Panel later"}, content_type="application/json"
    ).json()
    assert second["number"] == 2 and [c["kind"] for c in second["changes"]] == ["moved"]


# --- Side-event organisers ---------------------------------------------------------------------


@pytest.fixture
def side_event(event):
    own = make_organisation()
    user = make_role(event, EventRole.Role.SIDE_EVENT_ORGANISER, organisation=own).user
    mine = make_session(event, kind="side_event")
    mine.organisers.set([own])
    theirs = make_session(event, kind="side_event")
    return {"user": user, "own": own, "mine": mine, "theirs": theirs}


def test_api_side_event_organiser_changes_only_own_sessions(client, event, side_event):
    client.force_login(side_event["user"])
    mine = client.patch(
        api(event, f"/draft/sessions/{side_event['mine'].guid}"), {"capacity": 30}, content_type="application/json"
    )
    assert mine.status_code == 200
    theirs = client.patch(
        api(event, f"/draft/sessions/{side_event['theirs'].guid}"), {"capacity": 30}, content_type="application/json"
    )
    assert theirs.status_code == 403
    make_person(slug="guest")
    assert (
        client.post(
            api(event, f"/draft/sessions/{side_event['theirs'].guid}/speakers"),
            {"person": "guest"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.post(
            api(event, f"/draft/sessions/{side_event['theirs'].guid}/cancel"), {}, content_type="application/json"
        ).status_code
        == 403
    )
    listing = client.get(api(event, "/draft/sessions")).json()
    assert {item["guid"]: item["editable"] for item in listing} == {
        str(side_event["mine"].guid): True,
        str(side_event["theirs"].guid): False,
    }


def test_api_side_event_organiser_creates_with_own_organisation_and_cannot_publish(client, event, side_event):
    client.force_login(side_event["user"])
    created = client.post(api(event, "/draft/sessions"), session_body(), content_type="application/json")
    assert created.status_code == 201 and created.json()["organisers"] == [side_event["own"].pk]
    other = make_organisation()
    refused = client.post(
        api(event, "/draft/sessions"), session_body(organisers=[other.pk], slug="x"), content_type="application/json"
    )
    assert refused.status_code == 400
    assert client.post(api(event, "/versions"), {"note": "x"}, content_type="application/json").status_code == 403


# --- The schema --------------------------------------------------------------------------------


def test_api_operations_declare_their_responses():
    from majlis.core.api_support import MajlisAPI
    from majlis.programme.api import router

    test_api = MajlisAPI(title="schema", version="1", urls_namespace="programme-schema-test")
    test_api.add_router("/", router)
    schema = test_api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        if "/programme" in path
        for method, operation in item.items()
    }
    assert len(operations) == 14
    for (method, path), operation in operations.items():
        codes = {str(code) for code in operation["responses"]}
        assert {"400", "404", "500"} <= codes, (method, path)
        if method != "get" or "/draft/" in path:
            assert {"401", "403"} <= codes, (method, path)
        assert operation.get("summary") and operation.get("description"), (method, path)


def test_api_superuser_may_write(client, event):
    client.force_login(make_user(is_superuser=True))
    response = client.post(api(event, "/draft/sessions"), session_body(), content_type="application/json")
    assert response.status_code == 201
