"""Every operation of /api/v1/openapi.json, walked with hostile input: the answer is always a declared JSON error.

Issue 7: a NUL byte in ``q`` or ``category`` was a 500 on PostgreSQL; ``?page=9223372036854775807`` a
500 everywhere; an empty ``?lang=`` and ``?day=0`` were answered 200; a POST to the index or the
schema got Django's HTML "CSRF verification failed" page.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from majlis.accreditation.models import Application, Delegation
from majlis.badges import services as badge_services
from majlis.core.api_support import MAX_ID, MAX_PAGE
from majlis.gates.models import Zone
from majlis.programme.models import SessionSpeaker
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_delegation,
    make_event_organisation,
    make_news,
    make_published_programme,
    make_role,
    make_sample_programme,
    make_user,
)

API = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
NUL = "a\x00b"


@pytest.fixture
def world(db) -> dict[str, Any]:
    """An event with something behind every path parameter, and an organiser's session."""
    event = make_accreditation_event()
    programme = make_sample_programme(event)
    make_published_programme(event)
    organisation = make_event_organisation(event).organisation
    news = make_news(event)
    delegation = make_delegation(event, status=Delegation.Status.OPEN)
    application = make_application(event, delegation=delegation)
    speaker = SessionSpeaker.objects.filter(session=programme["opening"]).first()
    user = make_user()
    make_role(event, "organiser_admin", user)
    zone = Zone.objects.create(event=event, name_en="Plenary hall")
    holder = make_application(event, status=Application.Status.APPROVED)
    badge = badge_services.sync_badge(holder)
    client = Client()
    client.force_login(user)
    values = {
        "slug": event.slug,
        "news_slug": news.slug,
        "organisation_id": str(organisation.pk),
        "guid": str(programme["opening"].guid),
        "person": programme["zhang"].slug,
        "speaker_id": str(speaker.pk),
        "application_id": str(application.pk),
        "session_id": str(programme["opening"].pk),
        "zone_id": str(zone.pk),
        "badge_id": str(badge.pk),
    }
    return {"client": client, "values": values, "schema": client.get(f"{API}/openapi.json").json()}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(found) >= 25  # the walk covers the whole API, not an empty schema
    return found


def url(path: str, values: dict[str, str], query: dict[str, Any] | None = None, **override: str) -> str:
    for name, value in {**values, **override}.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    assert "{" not in path, path
    return path + ("?" + urlencode(query, doseq=True) if query else "")


def call(client: Client, method: str, target: str, body: Any = None, **headers: str):
    if method in {"post", "put", "patch"}:
        payload = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        return getattr(client, method)(target, payload, content_type="application/json", **headers)
    return getattr(client, method)(target, **headers)


def assert_declared_error(response, operation: dict[str, Any] | None, status: int, codes: set[str]) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] in codes, body
    assert isinstance(body["detail"], str) and body["detail"]
    if operation is not None:
        assert str(status) in operation["responses"], (status, sorted(operation["responses"]))
        assert operation["responses"][str(status)]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    return body


def body_properties(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if not body:
        return []
    name = body["$ref"].rsplit("/", 1)[-1]
    return list(schema["components"]["schemas"][name]["properties"])


# --- NUL, on PostgreSQL (which refuses it in text: the 500 of issue 7) ---------------------------


def test_api_every_parameter_with_nul_is_400_json_on_postgresql(on_postgresql, world):
    client, values, schema = world["client"], world["values"], world["schema"]
    checked = 0
    for method, path, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            name, where = parameter["name"], parameter["in"]
            if where == "path":
                response = call(client, method, url(path, values, **{name: NUL}))
            elif where == "query":
                response = call(client, method, url(path, values, {name: NUL}))
            else:
                meta = "HTTP_" + name.upper().replace("-", "_")
                response = call(client, method, url(path, values), **{meta: NUL})
            body = assert_declared_error(response, operation, 400, {"invalid_parameters"})
            assert body["errors"][0]["loc"][0] == where, body
            checked += 1
        for name in body_properties(schema, operation):
            response = call(client, method, url(path, values), {name: NUL})
            body = assert_declared_error(response, operation, 400, {"invalid_data"})
            assert body["errors"][0]["loc"] == ["body", name], body
            nested = call(client, method, url(path, values), {name: {"en": NUL}})
            assert_declared_error(nested, operation, 400, {"invalid_data"})
            checked += 2
        if method in {"post", "put", "patch"}:  # a raw NUL byte in the body, outside any JSON string
            raw = call(client, method, url(path, values), '{"x": "a\x00b"}')
            assert_declared_error(raw, operation, 400, {"invalid_data"})
    assert checked > 100


def test_api_participant_search_with_nul_is_400_not_500_on_postgresql(on_postgresql, world):
    # The defect as found: ?q= and ?category= with a NUL reached the database.
    client, slug = world["client"], world["values"]["slug"]
    for name in ("q", "category"):
        response = client.get(f"{API}/events/{slug}/accreditation/participants", {name: "Kari\x00mova"})
        body = assert_declared_error(response, None, 400, {"invalid_parameters"})
        assert body["errors"] == [{"loc": ["query", name], "msg": body["detail"]}]
        assert "U+0000" in body["detail"]


def test_api_nul_error_is_in_the_requested_language(world):
    response = world["client"].get(f"{API}/organisations", {"kind": "\x00"}, HTTP_ACCEPT_LANGUAGE="ru")

    body = assert_declared_error(response, None, 400, {"invalid_parameters"})
    assert response["Content-Language"] == "ru"
    assert body["errors"][0]["loc"] == ["query", "kind"]
    assert "U+0000" in body["detail"]


def test_api_unpaired_surrogate_in_json_is_400(world):
    client, slug = world["client"], world["values"]["slug"]
    response = client.post(
        f"{API}/events/{slug}/programme/versions", '{"note": "\\ud800"}', content_type="application/json"
    )
    body = assert_declared_error(response, None, 400, {"invalid_data"})
    assert body["errors"][0]["loc"] == ["body", "note"]


# --- Out-of-range values, empty ?lang, wrong methods (both databases) ---------------------------


def test_api_every_operation_answers_declared_errors_for_out_of_range_values(world):
    client, values, schema = world["client"], world["values"], world["schema"]
    paged = 0
    for method, path, operation in operations(schema):
        names = {p["name"]: p for p in operation.get("parameters", [])}
        target = url(path, values)
        empty_lang = call(client, method, url(path, values, {"lang": ""}))
        assert_declared_error(empty_lang, operation, 400, {"unsupported_language"})
        if "page" in names:
            paged += 1
            for page in ("9223372036854775807", str(MAX_PAGE + 1), "99999999999999999999999", "0", "-1"):
                response = call(client, method, url(path, values, {"page": page}))
                assert_declared_error(response, operation, 400, {"invalid_parameters"})
            assert call(client, method, url(path, values, {"page": str(MAX_PAGE)})).status_code == 200
        for name, parameter in names.items():
            kinds = json.dumps(parameter["schema"])
            if '"integer"' in kinds:
                for value in (str(MAX_ID + 1), "9223372036854775808", "-1"):
                    if parameter["in"] == "path":
                        response = call(client, method, url(path, values, **{name: value}))
                        if response.status_code == 404:  # {int:…} converters do not match "-1"
                            assert_declared_error(response, operation, 404, {"not_found"})
                            continue
                    else:
                        response = call(client, method, url(path, values, {name: value}))
                    assert_declared_error(response, operation, 400, {"invalid_parameters"})
            if '"date"' in kinds:
                for value in ("0", "1700000000", "2022-02-30", "3.3.2022"):
                    response = call(client, method, url(path, values, {name: value}))
                    assert_declared_error(response, operation, 400, {"invalid_parameters"})
        assert call(client, method, target).status_code < 500
    assert paged == 5  # events, organisations, news, participants, badges


def test_api_every_operation_answers_405_json_for_an_undeclared_method(world):
    client, values, schema = world["client"], world["values"], world["schema"]
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies  # the organiser's session, but no CSRF token: what a script sends
    for path, item in schema["paths"].items():
        declared = {m for m in item if m in METHODS}
        operation = next(item[m] for m in declared)
        for method in set(METHODS) - declared:
            for who in (client, csrf_client):
                response = call(who, method, url(path, values))
                assert_declared_error(response, operation, 405, {"method_not_allowed"})
                allowed = {m.strip().lower() for m in response["Allow"].split(",")}
                assert declared <= allowed, (path, method, response["Allow"])


@pytest.mark.parametrize("path", ["/", "/openapi.json", "/docs", "/no/such/endpoint"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_index_schema_and_docs_refuse_writes_with_json_not_a_csrf_page(db, path, method):
    # Issue 7: these answered Django's HTML 403 "CSRF verification failed".
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())

    response = getattr(client, method)(API + path)

    expected = (404, {"not_found"}) if path.startswith("/no/") else (405, {"method_not_allowed"})
    assert_declared_error(response, None, *expected)


def test_api_head_is_answered_like_get(world):
    response = world["client"].head(f"{API}/events")

    assert response.status_code == 200
    assert response.content == b""


def test_api_schema_declares_400_and_405_on_every_operation(world):
    for method, path, operation in operations(world["schema"]):
        for status in ("400", "405", "500"):
            assert status in operation["responses"], (method, path, status)
