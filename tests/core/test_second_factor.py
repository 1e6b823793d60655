"""In production, organisers use their tools only after confirming a TOTP code in the session."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from majlis.core.models import AuditEntry
from tests.factories import make_event, make_role, make_user

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def organiser_with_app(settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = True
    event = make_event()
    user = make_role(event, "organiser_admin").user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return event, user, device


def manage_url(event) -> str:
    return reverse("events:programme:manage-sessions", kwargs={"event": event.slug})


def test_second_factor_required_before_organiser_tools(client, organiser_with_app):
    event, user, device = organiser_with_app
    client.force_login(user)
    response = client.get(manage_url(event))
    assert response.status_code == 403
    assert reverse("account:verify") in response.content.decode()

    verify = reverse("account:verify")
    wrong = client.post(verify, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "This code is not valid" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure makes the device wait a moment before the next try

    response = client.post(verify, {"otp_token": code(device), "next": manage_url(event)})
    assert response.status_code == 302
    assert response["Location"] == manage_url(event)
    assert client.get(manage_url(event)).status_code == 200
    assert AuditEntry.objects.filter(action="account.second_factor_confirmed", actor=user).exists()


def test_second_factor_verify_ignores_a_foreign_next(client, organiser_with_app):
    _event, user, device = organiser_with_app
    client.force_login(user)
    response = client.post(reverse("account:verify"), {"otp_token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("account:home")


def test_second_factor_without_a_device_explains_how_to_get_one(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = True
    client.force_login(make_user())
    response = client.get(reverse("account:verify"))
    assert "majlis otp-enroll" in response.content.decode()


def test_second_factor_verify_needs_a_login(client):
    response = client.get(reverse("account:verify"))
    assert response.status_code == 302
    assert reverse("account:login") in response["Location"]


def test_second_factor_not_asked_outside_production(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False
    event = make_event()
    client.force_login(make_role(event, "organiser_admin").user)
    assert client.get(manage_url(event)).status_code == 200
