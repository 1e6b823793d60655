"""Role × endpoint: every page of the demo event, requested as each demo role and anonymously.

The expected answer comes from two tables only: the access each view declares (``majlis_access``)
and the roles → capabilities table (``events.rules.ROLE_CAPABILITIES``); superusers hold every
capability. A change to either table, or a decorator that checks something else than it declares,
shows up here as a mismatch:

* a page needing a capability: anonymous visitors are sent to log in (302), a role without the
  capability gets 403, a role with it gets past the door (anything but 403 and the login redirect:
  200, or 404 for the made-up object ids used below, 405 for a form-only URL …);
* a page for signed-in users: anonymous visitors log in, everyone else gets past the door;
* a public page: the same answer for everyone.

Object ids in the URLs do not exist (``MISSING``), so a POST-only URL can be posted to without
changing anything: the capability is checked before the object is looked up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from majlis.core import capabilities
from majlis.events.demo import content
from majlis.events.demo.users import DEMO_USERS
from majlis.events.models import Event, EventRole
from majlis.events.rules import ROLE_CAPABILITIES

MISSING = 987654
ARGUMENTS = {
    "pk": MISSING,
    "member": MISSING,
    "membership": MISSING,
    "speaker": MISSING,
    "session": MISSING,
    "document": MISSING,
}
TEXT_ARGUMENTS = {"slug": "no-such-thing", "fmt": "csv", "file_language": "en", "token": "no-such-token"}
# POST-only URLs without an object id would change the demo event if posted to: GET shows their door.
NOT_POSTED = {"events:accreditation-setup:publish", "events:accreditation-setup:privacy-notice"}


def event_routes() -> Iterator[tuple[str, list[str], Any]]:
    """Every named URL pattern with the arguments of its whole route (the event's slug included)."""

    def walk(patterns: list[Any], namespace: str, outer: list[str]) -> Iterator[tuple[str, list[str], Any]]:
        for pattern in patterns:
            # The regex, not ``converters``: Django updates a shared converters dict when it builds its
            # reverse index, so an argument of one route can show up in another with the same text.
            arguments = outer + list(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, nested, arguments)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, arguments, pattern.callback

    yield from walk(get_resolver().url_patterns, "", [])


def url_of(name: str, arguments: list[str], slug: str) -> str:
    kwargs: dict[str, Any] = {"event": slug}
    for argument in arguments:
        if argument == "event":
            continue
        if argument == "guid":
            kwargs[argument] = uuid.UUID(int=MISSING)
        elif argument in ARGUMENTS:
            kwargs[argument] = ARGUMENTS[argument]
        else:
            kwargs[argument] = TEXT_ARGUMENTS[argument]
    return reverse(name, kwargs=kwargs)


class CheapHasher(MD5PasswordHasher):
    """The demo sets nine passwords; the matrix never logs in with one (force_login)."""


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Event]:
    """The demo conference, loaded once for the module inside a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[f"{__name__}.CheapHasher"]),
        transaction.atomic(),
    ):
        call_command("demo", stdout=StringIO())
        yield Event.objects.get(slug=content.EVENT_SLUG)
        transaction.set_rollback(True)


def routes() -> list[tuple[str, list[str], str]]:
    found = []
    for name, arguments, callback in event_routes():
        if "event" not in arguments:
            continue
        access = getattr(callback, "majlis_access", None)
        assert access is not None, f"{name} declares no access (tests/core/test_access_walk.py)"
        found.append((name, arguments, access))
    return found


def holds(role: str | None, is_superuser: bool, access: str) -> bool:
    if access == "public":
        return True
    if role is None:
        return False
    if access == "authenticated":
        return True
    return is_superuser or access in ROLE_CAPABILITIES[role]


def answer_kind(status: int, location: str) -> str:
    if status == 302 and "/account/login/" in location:
        return "login"
    if status == 403:
        return "forbidden"
    return "through"


ROLES = [None, *sorted(EventRole.Role)]


def test_the_demo_has_a_login_for_every_role():
    assert {item["role"] for item in DEMO_USERS} == set(EventRole.Role)


def test_every_event_page_is_in_the_matrix():
    names = {name for name, _arguments, _access in routes()}
    assert {"events:home", "events:accreditation-manage:list", "events:delegations:vetting"} <= names
    assert len(names) > 70
    for _name, _arguments, access in routes():
        assert access in {"public", "authenticated"} or access in capabilities.declared()


@pytest.mark.parametrize("role", ROLES, ids=[role or "anonymous" for role in ROLES])
def test_role_matrix(demo: Event, db: None, role: str | None) -> None:
    client = Client()
    is_superuser = False
    if role is not None:
        username = next(item["username"] for item in DEMO_USERS if item["role"] == role)
        user = get_user_model().objects.get(username=username)
        assert EventRole.objects.filter(user=user, event=demo, role=role).exists()
        is_superuser = user.is_superuser
        client.force_login(user)
    mismatches = []
    checked: dict[str, int] = {"through": 0, "forbidden": 0, "login": 0}
    for name, arguments, access in routes():
        if access == "public" and role not in (None, EventRole.Role.PARTICIPANT):
            continue  # the same for everyone (and the PDF and calendars are costly): two roles suffice
        url = url_of(name, arguments, demo.slug)
        response = client.get(url)
        if response.status_code == 405 and name not in NOT_POSTED:
            response = client.post(url, {})
        got = answer_kind(response.status_code, response.get("Location", ""))
        if access == "public":
            if got == "forbidden" or (got == "login" and response.status_code == 302):
                mismatches.append(f"{name} (public): {response.status_code}")
            continue
        refused = "login" if role is None else "forbidden"
        expected = "through" if holds(role, is_superuser, access) else refused
        if response.status_code == 405 and name in NOT_POSTED:
            continue  # a form-only URL not posted to: its door is checked in its own tests
        checked[expected] += 1
        if got != expected:
            mismatches.append(f"{name} ({access}): expected {expected}, got {response.status_code}")
    assert not mismatches, f"{role or 'anonymous'}:\n" + "\n".join(mismatches)
    # Not vacuous: each role is let through some doors and (but the superuser) refused others.
    if role is None:
        assert checked["login"] > 50 and checked["through"] == 0
    elif is_superuser:
        assert checked["through"] > 50 and checked["forbidden"] == 0
    else:
        assert checked["through"] > 0 and checked["forbidden"] > 0
