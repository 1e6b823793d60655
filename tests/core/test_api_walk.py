"""Every operation of the JSON API declares its access, and declares it the one way.

Walks the routers of ``majlis.api.api`` (not a hand-kept list), so that a new operation without
``event_operation`` / ``public_operation`` fails here.
"""

from __future__ import annotations

from majlis.api import api
from majlis.core import capabilities
from majlis.events.api_tokens import SESSION_OR_TOKEN


def all_operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_api_walk_finds_every_operation_of_the_schema():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    in_schema = sum(
        1 for item in schema["paths"].values() for method in item if method in {"get", "post", "put", "patch", "delete"}
    )
    walked = sum(len(operation.methods) for _path, operation in all_operations())
    assert walked == in_schema > 25


def test_api_every_operation_declares_its_access():
    undeclared = [
        (path, operation.view_func.__name__)
        for path, operation in all_operations()
        if not getattr(operation.view_func, "majlis_access", None)
    ]
    assert undeclared == []


def test_api_declared_capabilities_exist_and_are_authenticated_by_session_or_token():
    declared = capabilities.declared()
    for path, operation in all_operations():
        names = operation.view_func.majlis_capabilities
        where = (path, operation.view_func.__name__)
        if names:
            assert all(name in declared for name in names), where
            assert operation.view_func.majlis_access == "|".join(names), where
            # Both schemes, token first: a token is never mistaken for (or shadowed by) a session.
            assert operation.auth_callbacks == SESSION_OR_TOKEN, where
        else:
            assert operation.view_func.majlis_access == "public", where
            assert operation.auth_callbacks == [], where
        if "{slug}" in path:
            # The event is resolved (and its visibility checked) by the one dependency, not by hand.
            assert operation.view_func.majlis_resolves_event, where


def test_api_schema_documents_bearer_tokens_on_protected_operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["ApiTokenAuth"].items()
    participants = schema["paths"]["/api/v1/events/{slug}/accreditation/participants"]["get"]
    assert {"ApiTokenAuth": []} in participants["security"]
    assert {"SessionAuth": []} in participants["security"]
    public = schema["paths"]["/api/v1/events/{slug}"]["get"]
    assert "security" not in public
