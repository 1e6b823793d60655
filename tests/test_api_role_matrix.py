"""Role × operation: every API operation, called by every event role, a superuser, an anonymous
caller and an API token, answers as the capability it declares says it must.

The expected outcome comes from the roles table (``events.rules.ROLE_CAPABILITIES``) and the token's
scopes, not from the code under test: 401 for anonymous callers of a protected operation, 2xx for
holders of (one of) its capabilities, 403 for the rest; on a draft event, 404 for whoever may not
see it. Public operations answer 2xx to everyone who may see the event. Each call runs in a
savepoint that is rolled back, so that every caller meets the same data.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from majlis.accreditation import services as accreditation_services
from majlis.accreditation.models import Application
from majlis.api import api
from majlis.badges import services as badge_services
from majlis.events import services_tokens
from majlis.events.models import EventRole
from majlis.events.rules import ROLE_CAPABILITIES
from majlis.gates.models import Gate, Zone
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_document,
    make_event_organisation,
    make_news,
    make_organisation,
    make_person,
    make_published_programme,
    make_role,
    make_session,
    make_speaker,
    make_user,
)

pytestmark = [pytest.mark.django_db]

TOKEN_SCOPES = frozenset({"programme.edit", "accreditation.view", "event.view_unpublished"})
ALL_EVENT_CAPABILITIES = frozenset().union(*ROLE_CAPABILITIES.values())


def operations() -> list[tuple[str, str, Any]]:
    found = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, path, operation.view_func))
    return found


def build_world(status: str) -> dict[str, Any]:
    event = make_accreditation_event(status=status)
    admin = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    own = make_organisation()
    make_event_organisation(event, own)
    users: dict[str, Any] = {}
    for role in ROLE_CAPABILITIES:
        extra = {"organisation": own} if role == EventRole.Role.SIDE_EVENT_ORGANISER else {}
        users[role] = admin if role == EventRole.Role.ORGANISER_ADMIN else make_role(event, role, **extra).user
    users["superuser"] = make_user(is_superuser=True, is_staff=True)

    session = make_session(event, kind="side_event", capacity=20)
    session.organisers.set([own])  # the side-event organiser's own session
    speaker = make_speaker(session, make_person())
    make_speaker(session, make_person())
    invite_target = make_session(event, kind="side_event", capacity=20)
    invited = make_session(event, kind="side_event", capacity=20)
    guest = make_person()
    make_published_programme(event, actor=admin)
    news = make_news(event)
    make_document(event)
    applicant = make_application(event, status=Application.Status.SUBMITTED)
    # An approved in-person participant and their badge (the badge desk's operations act on it).
    holder = make_application(event, status=Application.Status.APPROVED)
    badge = badge_services.sync_badge(holder, actor=admin)
    accreditation_services.invite_to_session(applicant, invited, actor=admin)
    token = services_tokens.create_token(event, actor=admin, name="Matrix", scopes=sorted(TOKEN_SCOPES))
    zone = Zone.objects.create(event=event, name_en="Matrix hall")
    Gate.objects.create(zone=zone, name_en="Matrix gate")
    start = datetime.combine(event.start_date, datetime.min.time()).replace(hour=14)
    params = {
        "slug": event.slug,
        "guid": str(session.guid),
        "speaker_id": str(speaker.pk),
        "person": speaker.person.slug,
        "news_slug": news.slug,
        "organisation_id": str(own.pk),
        "application_id": str(applicant.pk),
        "session_id": str(invited.pk),
        "zone_id": str(zone.pk),
        "badge_id": str(badge.pk),
    }
    bodies = {
        "draft_session_create": {
            "title": {"en": "Matrix side event"},
            "kind": "side_event",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
        },
        "draft_session_update": {"capacity": 30},
        "draft_session_cancel": {"cancelled": True, "reason": "Matrix"},
        "draft_speaker_add": {"person": guest.slug},
        "draft_speaker_position": {"position": 1, "reason": "Protocol"},
        "programme_publish": {"note": "Matrix"},
        "bulk": {"action": "start_review", "applications": [applicant.pk]},
        "request_seats": {"sessions": [session.pk]},
        "invite_to_session": {"session": invite_target.pk},
        "scan": {"zone": zone.pk, "code": "not-a-badge", "nonce": "matrix-scan"},
        "sync": {
            "zone": zone.pk,
            "scans": [
                {
                    "code": "not-a-badge",
                    "nonce": "matrix-sync",
                    "scanned_at": start.isoformat(),
                    "offline_result": "refused",
                }
            ],
        },
        "badge_reissue": {"note": "Matrix"},
        "badge_revoke": {"note": "Matrix"},
        "badge_collected": {"document": "passport"},
    }
    queries = {"search": f"?zone={zone.pk}&q=Family"}
    return {
        "event": event,
        "users": users,
        "token": token.secret,
        "params": params,
        "bodies": bodies,
        "queries": queries,
    }


def call(client: Client, method: str, path: str, world: dict[str, Any], name: str, headers: dict[str, str]) -> int:
    url = "/api/v1" + re.sub(r"\{(?:\w+:)?(\w+)\}", lambda m: world["params"][m.group(1)], path)
    url += world["queries"].get(name, "")
    body = world["bodies"].get(name)
    data = json.dumps(body) if body is not None else None
    with transaction.atomic():
        response = client.generic(method, url, data or "", content_type="application/json", **headers)
        transaction.set_rollback(True)
    return response.status_code


def expected(caller: str, declared: tuple[str, ...], event_is_public: bool) -> set[int]:
    granted: frozenset[str]
    if caller == "anonymous":
        granted = frozenset()
    elif caller == "token":
        granted = TOKEN_SCOPES
    elif caller == "superuser":
        granted = ALL_EVENT_CAPABILITIES
    else:
        granted = ROLE_CAPABILITIES[caller]
    if declared and caller == "anonymous":
        return {401}
    if not event_is_public and "event.view_unpublished" not in granted:
        return {404}
    if declared and not set(declared) & granted:
        return {403}
    return {200, 201, 204}


def callers(world: dict[str, Any]) -> dict[str, tuple[Client, dict[str, str]]]:
    clients: dict[str, tuple[Client, dict[str, str]]] = {"anonymous": (Client(), {})}
    for name, user in world["users"].items():
        client = Client()
        client.force_login(user)
        clients[name] = (client, {})
    clients["token"] = (Client(), {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"})
    return clients


def test_matrix_covers_every_role():
    assert set(ROLE_CAPABILITIES) == set(EventRole.Role.values)


@pytest.mark.parametrize("status", ["published", "draft"])
def test_api_role_matrix(status):
    world = build_world(status)
    event_is_public = world["event"].is_public
    clients = callers(world)
    mismatches = []
    checked = 0
    for method, path, view in operations():
        name = view.__name__
        declared = view.majlis_capabilities
        # Lists outside any event answer 200 to everyone: they leave out what one may not see. One
        # organisation (of this event only) is found like the event itself.
        want_public = {200} if not view.__dict__.get("majlis_resolves_event") and "{" not in path else None
        for caller, (client, headers) in clients.items():
            want = want_public or expected(caller, declared, event_is_public)
            got = call(client, method, path, world, name, headers)
            checked += 1
            if got not in want:
                mismatches.append(f"{method} {path} as {caller}: {got}, expected {sorted(want)}")
    assert checked >= 29 * 12
    assert mismatches == []
