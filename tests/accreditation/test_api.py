"""The accreditation API: organisers only, the same filters and services as the pages, no passport data."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from majlis.accreditation.models import Application, Delegation, SessionSeat
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_event,
    make_organisation,
    make_role,
    make_session,
    make_user,
)

pytestmark = [pytest.mark.django_db]

S = Application.Status


def api(event, path=""):
    return f"/api/v1/events/{event.slug}/accreditation{path}"


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def people(event):
    kz = make_organisation(name_en="Ministry of Foreign Affairs of Kazakhstan", acronym_en="MFA KZ")
    delegation = Delegation.objects.create(
        event=event,
        organisation=kz,
        kind=Delegation.Kind.MEMBER_STATE,
        country="KZ",
        focal_point_email="fp@example.org",
    )
    side = make_session(event, kind="side_event", capacity=10, title_en="Side event")
    ivanov = make_application(
        event,
        family_name="Ivanov",
        given_names="Ivan",
        name_native="Иван Иванов",
        nationality="KZ",
        category="delegate",
        delegation=delegation,
        status=S.APPROVED,
        passport_number="N11111111",
        gender="male",
    )
    li = make_application(
        event,
        family_name="Li",
        given_names="Wei",
        name_native="李伟",
        nationality="CN",
        status=S.SUBMITTED,
        mode="online",
    )
    SessionSeat.objects.create(application=li, session=side)
    return {"ivanov": ivanov, "li": li, "delegation": delegation, "side": side}


ENDPOINTS = [
    ("get", "/participants", None),
    ("get", "/participants/{id}", None),
    ("get", "/statistics", None),
    ("post", "/participants/bulk", {"action": "start_review", "applications": ["{id}"]}),
]


def call(client, event, method, path, body, application):
    address = api(event, path.replace("{id}", str(application.pk)))
    if body is not None:
        body = json.loads(json.dumps(body).replace('"{id}"', str(application.pk)))
        return client.post(address, body, content_type="application/json")
    return getattr(client, method)(address)


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_api_anonymous_is_401(client, event, people, method, path, body):
    response = call(client, event, method, path, body, people["li"])
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "role",
    [
        EventRole.Role.PARTICIPANT,
        EventRole.Role.FOCAL_POINT,
        EventRole.Role.JOURNALIST,
        EventRole.Role.SIDE_EVENT_ORGANISER,
        EventRole.Role.GATE_OFFICER,
    ],
)
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_api_other_roles_are_403(client, event, people, role, method, path, body):
    client.force_login(make_role(event, role).user)
    response = call(client, event, method, path, body, people["li"])
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Application.objects.get(pk=people["li"].pk).status == S.SUBMITTED


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_api_organiser_of_another_event_is_403(client, event, people, method, path, body):
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    assert call(client, event, method, path, body, people["li"]).status_code == 403


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_api_organisers_are_allowed(client, event, people, role, method, path, body):
    client.force_login(make_role(event, role).user)
    response = call(client, event, method, path, body, people["li"])
    assert response.status_code == 200, response.json()


def test_api_superuser_is_allowed(client, event, people):
    client.force_login(make_user(is_superuser=True))
    assert client.get(api(event, "/participants")).status_code == 200


def test_api_unknown_or_draft_event_is_404(organiser_client, client):
    assert organiser_client.get("/api/v1/events/nope/accreditation/participants").status_code == 404
    draft = make_accreditation_event(status="draft")
    client.force_login(make_user())
    assert client.get(api(draft, "/participants")).status_code == 404


def test_api_writes_need_csrf(event, organiser, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(
        api(event, "/participants/bulk"),
        {"action": "start_review", "applications": [people["li"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=people["li"].pk).status == S.SUBMITTED


def test_api_participant_of_another_event_is_404(organiser_client, event):
    other = make_application(make_accreditation_event())
    assert organiser_client.get(api(event, f"/participants/{other.pk}")).status_code == 404


# --- Reads ----------------------------------------------------------------------------------------


def test_api_list_has_no_passport_or_gender(organiser_client, event, people):
    body = organiser_client.get(api(event, "/participants")).json()
    assert body["count"] == 2
    text = json.dumps(body)
    assert "N11111111" not in text and "passport" not in text and "gender" not in text
    ivanov = next(item for item in body["items"] if item["family_name"] == "Ivanov")
    assert ivanov["name_native"] == "Иван Иванов"
    assert ivanov["delegation"]["id"] == people["delegation"].pk
    assert ivanov["category"]["code"] == "delegate"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("", {"Ivanov", "Li"}),
        ("?q=иванов", {"Ivanov"}),
        ("?q=李伟", {"Li"}),
        ("?status=approved", {"Ivanov"}),
        ("?status=approved&status=submitted", {"Ivanov", "Li"}),
        ("?category=delegate", {"Ivanov"}),
        ("?nationality=cn", {"Li"}),
        ("?mode=online", {"Li"}),
        ("?session={side}", {"Li"}),
        ("?delegation={delegation}", {"Ivanov"}),
    ],
)
def test_api_list_filters_and_search(organiser_client, event, people, params, expected):
    params = params.format(side=people["side"].pk, delegation=people["delegation"].pk)
    body = organiser_client.get(api(event, "/participants") + params).json()
    assert {item["family_name"] for item in body["items"]} == expected


def test_api_list_rejects_unknown_values_with_400(organiser_client, event, people):
    response = organiser_client.get(api(event, "/participants?category=nope"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["query", "category"]
    assert organiser_client.get(api(event, "/participants?status=maybe")).status_code == 400
    assert organiser_client.get(api(event, "/participants?page_size=1000")).status_code == 400


def test_api_list_paginates(organiser_client, event, people):
    body = organiser_client.get(api(event, "/participants?page_size=1&page=2")).json()
    assert body["count"] == 2 and len(body["items"]) == 1 and body["items"][0]["family_name"] == "Li"


def test_api_detail(organiser_client, event, people):
    body = organiser_client.get(api(event, f"/participants/{people['li'].pk}")).json()
    assert body["name_native"] == "李伟"
    assert body["sessions"][0]["title"] == "Side event"
    assert "N11111111" not in json.dumps(
        organiser_client.get(api(event, f"/participants/{people['ivanov'].pk}")).json()
    )


def test_api_reads_of_personal_data_are_audited(organiser_client, organiser, event, people):
    organiser_client.get(api(event, "/participants?q=Li"))
    entry = AuditEntry.objects.get(action="accreditation.participants_listed")
    assert entry.actor == organiser and entry.data["filters"] == {"q": "Li"} and entry.data["via"] == "api"
    organiser_client.get(api(event, f"/participants/{people['li'].pk}"))
    entry = AuditEntry.objects.get(action="accreditation.application_viewed")
    assert entry.object_id == str(people["li"].pk)


def test_api_statistics(organiser_client, event, people):
    body = organiser_client.get(api(event, "/statistics")).json()
    assert body["total"] == 2 and body["approved"] == 1
    assert {row["key"]: row["total"] for row in body["by_gender"]["rows"]} == {
        "female": 0,
        "male": 1,
        "undisclosed": 1,
    }
    assert body["sessions"][0]["requested"] == 1


# --- Bulk -----------------------------------------------------------------------------------------


def test_api_bulk_reports_each_application(organiser_client, event, people):
    response = organiser_client.post(
        api(event, "/participants/bulk"),
        {"action": "start_review", "applications": [people["li"].pk, people["ivanov"].pk]},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["done"] == 1 and body["failed"] == 1
    results = {item["id"]: item for item in body["results"]}
    assert results[people["li"].pk]["ok"] and results[people["li"].pk]["status"] == "under_review"
    assert not results[people["ivanov"].pk]["ok"] and results[people["ivanov"].pk]["error"]
    assert AuditEntry.objects.filter(action="accreditation.review_started").exists()


def test_api_bulk_reject_needs_a_reason(organiser_client, event, people):
    response = organiser_client.post(
        api(event, "/participants/bulk"),
        {"action": "reject", "applications": [people["li"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Application.objects.get(pk=people["li"].pk).status == S.SUBMITTED
    response = organiser_client.post(
        api(event, "/participants/bulk"),
        {"action": "reject", "applications": [people["li"].pk], "reason": "Incomplete."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=people["li"].pk).status == S.REJECTED


def test_api_bulk_refuses_applications_of_another_event(organiser_client, event, people):
    other = make_application(make_accreditation_event(), status=S.SUBMITTED)
    response = organiser_client.post(
        api(event, "/participants/bulk"),
        {"action": "start_review", "applications": [people["li"].pk, other.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert str(other.pk) in response.json()["detail"]
    assert Application.objects.get(pk=people["li"].pk).status == S.SUBMITTED
    assert Application.objects.get(pk=other.pk).status == S.SUBMITTED


def test_api_bulk_rejects_an_unknown_action(organiser_client, event, people):
    response = organiser_client.post(
        api(event, "/participants/bulk"),
        {"action": "delete", "applications": [people["li"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400


# --- Schema ---------------------------------------------------------------------------------------


def test_api_operations_declare_their_responses_and_access():
    from majlis.accreditation.api import router
    from majlis.core.api_support import MajlisAPI

    test_api = MajlisAPI(title="schema", version="1", urls_namespace="accreditation-schema-test")
    test_api.add_router("/", router)
    schema = test_api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        if "/accreditation" in path
        for method, operation in item.items()
    ]
    assert len(operations) == 7
    for method, path, operation in operations:
        assert {"400", "401", "403", "404", "500"} <= {str(code) for code in operation["responses"]}, (method, path)
        assert operation.get("summary") and "Access:" in operation.get("description", ""), (method, path)
    properties = {
        name for component in schema["components"]["schemas"].values() for name in component.get("properties", {})
    }
    assert not {name for name in properties if "passport" in name or name == "gender"}  # by_gender: totals only
