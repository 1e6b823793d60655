"""Every URL pattern declares who may use it (issue 8).

A view is marked by the decorator that decides its access (``majlis_access``): ``public``,
``authenticated`` (``login_required``, or ``event_view(None, login=True)`` with an object check in
the view) or the name of a declared capability (``event_view("accreditation.decide")``). A new view
without a marker fails here, and so does a marker naming a capability nobody declared. Django's own
views (the admin, which has its own permission checks) are listed explicitly; the API's operations
are walked by the API's own test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from majlis.core import capabilities

# Django's own views, with their own access checks. Nothing else may go unmarked.
DJANGO_OWN = {"admin"}  # the admin site (staff, second factor, model permissions: events.admin_scope)
API_PREFIX = "api/v1/"  # django-ninja operations: see the API's access test
MARKERS = {"public", "authenticated"}


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, route, nested)
        elif isinstance(pattern, URLPattern):
            yield route, namespace, pattern.callback


def access_of(callback: Any) -> str | None:
    marker = getattr(callback, "majlis_access", None)
    if marker is None:  # a class-based view: the class may carry it
        marker = getattr(getattr(callback, "view_class", None), "majlis_access", None)
    return marker


def every_view() -> list[tuple[str, str, Any]]:
    return [
        (route, namespace, callback)
        for route, namespace, callback in walk(get_resolver().url_patterns)
        if not route.startswith(API_PREFIX) and namespace.split(":")[0] not in DJANGO_OWN
    ]


def test_the_walk_finds_the_pages_of_every_app():
    namespaces = {namespace for _route, namespace, _callback in every_view()}
    for expected in ("events", "events:programme", "events:delegations", "accreditation", "account"):
        assert expected in namespaces
    assert len(every_view()) > 80


def test_every_view_declares_its_access():
    undeclared = [
        f"{route} ({callback.__module__}.{callback.__name__})"
        for route, _ns, callback in every_view()
        if access_of(callback) is None
    ]
    assert not undeclared, "Views without an access marker:\n" + "\n".join(undeclared)


def test_every_declared_access_is_a_known_marker_or_capability():
    declared = capabilities.declared()
    unknown = [
        f"{route}: {access_of(callback)}"
        for route, _ns, callback in every_view()
        if access_of(callback) not in MARKERS and access_of(callback) not in declared
    ]
    assert not unknown, "Access markers naming no declared capability:\n" + "\n".join(unknown)


def test_event_pages_name_capabilities_and_management_pages_are_not_public():
    for route, namespace, callback in every_view():
        marker = access_of(callback)
        if "<slug:event>/manage/" in route or namespace.endswith(("accreditation-manage", "accreditation-setup")):
            assert marker in capabilities.declared(), (route, marker)


def test_the_walk_fails_for_an_unmarked_view():
    def unmarked(request: Any) -> None:  # pragma: no cover - never called
        return None

    from django.urls import path

    patterns = [path("x/", unmarked)]
    assert [access_of(callback) for _route, _ns, callback in walk(patterns)] == [None]
