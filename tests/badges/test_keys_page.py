"""The signing keys page: rotate, or withdraw a key that may have leaked (``badges.manage_keys``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from majlis.badges.models import Badge, RevokeReason, SigningKey
from majlis.core import capabilities
from majlis.events.models import EventRole
from majlis.events.rules import ROLE_CAPABILITIES
from tests.badges.desk_helpers import issued_badge, upcoming_event
from tests.factories import make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return upcoming_event(slug="keys-test")


@pytest.fixture
def admin(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


def keys_url(event):
    return reverse("badges:keys", kwargs={"event": event.slug})


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_manage_keys_is_declared_and_granted_to_the_organiser_admin_and_security_officers():
    assert "badges.manage_keys" in capabilities.declared()
    holders = {role for role, granted in ROLE_CAPABILITIES.items() if "badges.manage_keys" in granted}
    assert holders == {EventRole.Role.ORGANISER_ADMIN, EventRole.Role.SECURITY_OFFICER}


def test_who_may_open_the_keys_page(event):
    for role, expected in [
        (EventRole.Role.ORGANISER_ADMIN, 200),
        (EventRole.Role.SECURITY_OFFICER, 200),
        (EventRole.Role.CO_ORGANISER, 403),
        (EventRole.Role.ACCREDITATION_OFFICER, 403),
        (EventRole.Role.GATE_OFFICER, 403),
    ]:
        assert client_for(make_role(event, role).user).get(keys_url(event)).status_code == expected, role


def test_rotate_keeps_the_printed_badges_valid(event, admin):
    badge = issued_badge(event, admin)
    first = badge.key
    client = client_for(admin)
    page = client.get(keys_url(event))
    assert page.status_code == 200 and first.key_id_hex in page.content.decode()
    assert "private_key" not in page.content.decode()
    response = client.post(keys_url(event), {"action": "rotate", "rotate-reason": "Yearly rotation"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.retired_at is not None and first.withdrawn_at is None
    current = SigningKey.objects.get(event=event, retired_at__isnull=True)
    assert current != first
    badge.refresh_from_db()
    assert badge.status == Badge.Status.ISSUED  # still passes the gates
    html = client.get(keys_url(event)).content.decode()
    assert current.key_id_hex in html and "retired: still verifies its badges" in html


def test_withdraw_needs_a_reason_and_a_confirmation_and_reissues_every_badge(event, admin):
    badges = [issued_badge(event, admin) for _n in range(3)]
    client = client_for(admin)
    refused = client.post(keys_url(event), {"action": "withdraw", "withdraw-reason": "Laptop stolen"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Confirm that the printed badges will be exchanged." in html
    assert "Laptop stolen" in html  # what was typed is kept
    assert not SigningKey.objects.filter(withdrawn_at__isnull=False).exists()
    no_reason = client.post(keys_url(event), {"action": "withdraw", "withdraw-confirm": "on"})
    assert no_reason.status_code == 400 and "Say why the key is withdrawn" in no_reason.content.decode()
    done = client.post(
        keys_url(event), {"action": "withdraw", "withdraw-reason": "Laptop stolen", "withdraw-confirm": "on"}
    )
    assert done.status_code == 302
    old = SigningKey.objects.get(pk=badges[0].key_id)
    assert old.withdrawn_at is not None and old.withdrawn_reason == "Laptop stolen"
    for badge in badges:
        badge.refresh_from_db()
        assert badge.status == Badge.Status.REVOKED and badge.revoke_reason == RevokeReason.KEY_WITHDRAWN
    new = Badge.objects.filter(event=event, status=Badge.Status.ISSUED)
    assert new.count() == 3 and {b.revision for b in new} == {2}
    assert "withdrawn: verifies nothing" in client.get(keys_url(event)).content.decode()
