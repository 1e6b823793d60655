"""Per-event API tokens: hashed, shown once, revocable, audited, limited to their scopes and event."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from majlis.accreditation.models import Application
from majlis.core import capabilities
from majlis.core.models import AuditEntry
from majlis.events import extensions, services_tokens
from majlis.events.api_tokens import FAILED_TOKENS, TokenPrincipal
from majlis.events.models import EventApiToken, EventRole
from majlis.programme.models import Session
from tests.factories import make_accreditation_event, make_application, make_event, make_role, make_user

pytestmark = [pytest.mark.django_db]

S = Application.Status


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def admin(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


def issue(event, admin, scopes, **kwargs):
    return services_tokens.create_token(event, actor=admin, name=kwargs.pop("name", "Kiosk"), scopes=scopes, **kwargs)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def participants(event):
    return f"/api/v1/events/{event.slug}/accreditation/participants"


def draft_sessions(event):
    return f"/api/v1/events/{event.slug}/programme/draft/sessions"


# --- Creation: hashed, shown once -----------------------------------------------------------------


def test_token_secret_is_shown_once_and_stored_hashed(event, admin):
    issued = issue(event, admin, ["accreditation.view"])
    assert issued.secret.startswith("mjl_") and len(issued.secret) >= 40
    stored = EventApiToken.objects.get(pk=issued.token.pk)
    assert stored.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in str(
        EventApiToken.objects.filter(pk=stored.pk).values().get()
    )  # nothing stored holds the secret itself
    assert stored.prefix == issued.secret[: len(stored.prefix)] and len(stored.prefix) < 16
    assert stored.created_by == admin and stored.state == EventApiToken.State.ACTIVE


@pytest.fixture
def hall_a(monkeypatch):
    """A zone offered by a registered provider (the gates app registers the event's zones the same way)."""
    monkeypatch.setitem(extensions._TOKEN_ZONE_CHOICES, "test", lambda event: [("7", "Hall A")])
    return "7"


def test_token_creation_and_revocation_are_audited_without_the_secret(event, admin, hall_a):
    issued = issue(event, admin, ["accreditation.view"], zone=hall_a)
    services_tokens.revoke_token(issued.token, actor=admin)
    entries = list(AuditEntry.objects.filter(object_type="events.EventApiToken").order_by("id"))
    assert [entry.action for entry in entries] == ["events.api_token_created", "events.api_token_revoked"]
    assert entries[0].actor == admin and entries[0].event_slug == event.slug
    assert entries[0].data["scopes"] == ["accreditation.view"] and entries[0].data["zone"] == "7"
    assert all(issued.secret not in str(entry.data) for entry in entries)


def test_token_zone_must_be_one_the_extensions_offer(event, admin, hall_a):
    with pytest.raises(ValidationError) as refused:
        issue(event, admin, ["accreditation.view"], zone="Hall B")
    assert "zone" in refused.value.message_dict


def test_token_scopes_must_be_declared_and_held_by_the_creator(event, admin):
    with pytest.raises(ValidationError) as unknown:
        issue(event, admin, ["gates.teleport"])
    assert "scopes" in unknown.value.message_dict
    # An organiser does not hold passport access (security officers do): not theirs to give.
    with pytest.raises(ValidationError):
        issue(event, admin, ["accreditation.view_passports"])
    with pytest.raises(ValidationError):
        issue(event, admin, ["event.manage_tokens"])
    superuser = make_user(is_superuser=True)  # holds programme.draft, but a token has no organisation
    with pytest.raises(ValidationError):
        services_tokens.create_token(event, actor=superuser, name="Side", scopes=["programme.draft"])
    with pytest.raises(ValidationError) as empty:
        issue(event, admin, [], name=" ")
    assert set(empty.value.message_dict) == {"name", "scopes"}
    with pytest.raises(ValidationError) as past:
        issue(event, admin, ["accreditation.view"], expires_at=timezone.now() - timedelta(minutes=1))
    assert "expires_at" in past.value.message_dict
    assert not EventApiToken.objects.exists()


def test_only_holders_of_manage_tokens_create_or_revoke(event, admin):
    co_organiser = make_role(event, EventRole.Role.CO_ORGANISER).user
    with pytest.raises(PermissionDenied):
        issue(event, co_organiser, ["accreditation.view"])
    issued = issue(event, admin, ["accreditation.view"])
    with pytest.raises(PermissionDenied):
        services_tokens.revoke_token(issued.token, actor=co_organiser)
    assert EventApiToken.objects.get(pk=issued.token.pk).revoked_at is None


# --- Authentication --------------------------------------------------------------------------------


def test_token_reads_what_its_scope_allows(client, event, admin):
    make_application(event, family_name="Ivanov")
    issued = issue(event, admin, ["accreditation.view"])
    response = client.get(participants(event), **bearer(issued.secret))
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 1
    listed = AuditEntry.objects.get(action="accreditation.participants_listed")
    assert listed.actor is None and issued.token.prefix in listed.actor_label


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed"])
def test_invalid_token_is_401(client, event, admin, state):
    issued = issue(event, admin, ["accreditation.view"], expires_at=timezone.now() + timedelta(days=1))
    secret = issued.secret
    if state == "revoked":
        services_tokens.revoke_token(issued.token, actor=admin)
    elif state == "expired":
        EventApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "unknown":
        secret = "mjl_" + "x" * 43
    else:
        secret = "not-a-token"
    response = client.get(participants(event), **bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    # Public reads refuse a bad token too, rather than silently serving the anonymous view.
    assert client.get(f"/api/v1/events/{event.slug}", **bearer(secret)).status_code == 401


def test_presenting_a_revoked_token_is_audited(client, event, admin):
    issued = issue(event, admin, ["accreditation.view"])
    services_tokens.revoke_token(issued.token, actor=admin)
    client.get(participants(event), **bearer(issued.secret))
    refused = AuditEntry.objects.get(action="events.api_token_refused")
    assert refused.data["state"] == "revoked" and refused.object_id == str(issued.token.pk)


def test_token_with_programme_scope_cannot_call_accreditation(client, event, admin):
    make_application(event)
    issued = issue(event, admin, ["programme.edit"])
    assert client.get(draft_sessions(event), **bearer(issued.secret)).status_code == 200
    response = client.get(participants(event), **bearer(issued.secret))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_token_view_scope_cannot_decide(client, event, admin):
    application = make_application(event, status=S.SUBMITTED)
    issued = issue(event, admin, ["accreditation.view"])
    response = client.post(
        f"{participants(event)}/bulk",
        {"action": "start_review", "applications": [application.pk]},
        content_type="application/json",
        **bearer(issued.secret),
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


def test_token_of_one_event_cannot_touch_another(client, event, admin):
    other = make_accreditation_event()
    draft = make_accreditation_event(status="draft")
    issued = issue(event, admin, ["accreditation.view", "event.view_unpublished"])
    assert client.get(participants(other), **bearer(issued.secret)).status_code == 403
    assert client.get(participants(draft), **bearer(issued.secret)).status_code == 404
    assert client.get(f"/api/v1/events/{draft.slug}", **bearer(issued.secret)).status_code == 404


def test_token_with_view_unpublished_sees_its_draft_event(client, admin):
    draft = make_event(status="draft")
    organiser = make_role(draft, EventRole.Role.ORGANISER_ADMIN).user
    issued = services_tokens.create_token(draft, actor=organiser, name="Preview", scopes=["event.view_unpublished"])
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/events/{draft.slug}", **bearer(issued.secret)).status_code == 200
    listed = client.get("/api/v1/events", **bearer(issued.secret)).json()
    assert draft.slug in [item["slug"] for item in listed["items"]]


def test_token_writes_need_no_csrf_and_are_audited_as_the_token(event, admin):
    issued = issue(event, admin, ["programme.edit"])
    client = Client(enforce_csrf_checks=True)
    body = {
        "title": {"en": "Border security"},
        "kind": "side_event",
        "starts_at": "2022-03-04T14:00:00",
        "ends_at": "2022-03-04T15:00:00",
    }
    response = client.post(draft_sessions(event), body, content_type="application/json", **bearer(issued.secret))
    assert response.status_code == 201, response.json()
    created = AuditEntry.objects.get(action="programme.session_created")
    assert created.actor is None and f"#{issued.token.pk}" in created.actor_label
    assert Session.objects.filter(title_en="Border security").exists()


def test_session_writes_still_need_csrf_when_no_token_is_sent(event, admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(draft_sessions(event), {"title": {"en": "x"}}, content_type="application/json")
    assert response.status_code == 403


def test_principal_holds_exactly_its_scopes_in_its_event(event, admin):
    issued = issue(event, admin, ["accreditation.view"])
    principal = TokenPrincipal(issued.token)
    assert capabilities.has(principal, "accreditation.view", event)
    assert not capabilities.has(principal, "accreditation.decide", event)
    assert not capabilities.has(principal, "accreditation.view", make_event())
    assert not capabilities.has(principal, "accreditation.view")  # no object, no event: no right
    assert not principal.is_authenticated  # never mistaken for a signed-in person


def test_last_used_is_written_at_most_once_a_minute(client, event, admin):
    issued = issue(event, admin, ["accreditation.view"])
    assert issued.token.last_used_at is None
    client.get(participants(event), **bearer(issued.secret))
    first = EventApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    client.get(participants(event), **bearer(issued.secret))
    assert EventApiToken.objects.get(pk=issued.token.pk).last_used_at == first
    earlier = first - timedelta(minutes=2)
    EventApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=earlier)
    client.get(participants(event), **bearer(issued.secret))
    assert EventApiToken.objects.get(pk=issued.token.pk).last_used_at > first


def test_failed_tokens_are_throttled_per_address(client, event, admin):
    issued = issue(event, admin, ["accreditation.view"])
    for _attempt in range(FAILED_TOKENS.limit):
        assert client.get(participants(event), **bearer("mjl_wrong")).status_code == 401
    throttled = client.get(participants(event), **bearer("mjl_wrong"))
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    # While throttled, even a good token from that address waits; another address is unaffected.
    assert client.get(participants(event), **bearer(issued.secret)).status_code == 429
    elsewhere = client.get(participants(event), REMOTE_ADDR="203.0.113.9", **bearer(issued.secret))
    assert elsewhere.status_code == 200


def test_superuser_session_is_unchanged_by_tokens(client, event):
    client.force_login(make_user(is_superuser=True))
    assert client.get(participants(event)).status_code == 200
