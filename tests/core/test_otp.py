"""Two-factor authentication for the back office, with real TOTP codes computed from the device key."""

from __future__ import annotations

import io
import re
from base64 import b32decode

import pytest
import segno
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from majlis.core.models import AuditEntry
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0 - offset_steps * device.step, digits=device.digits)
    return f"{value:0{device.digits}d}"


def make_staff(**kwargs):
    return make_user(is_staff=True, is_superuser=True, **kwargs)


def login_post(client, user, **extra):
    data = {"username": user.username, "password": PASSWORD, "next": reverse("admin:index"), **extra}
    return client.post(reverse("admin:login"), data)


@pytest.fixture
def require_2fa(settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = True


def test_admin_refuses_staff_without_otp_when_2fa_is_required(client, require_2fa):
    user = make_staff()
    client.force_login(user)  # a password-only session, e.g. from the public account pages
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302


def test_admin_login_without_a_code_fails_when_2fa_is_required(client, require_2fa):
    user = make_staff()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login_post(client, user)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_page_asks_for_the_code_when_2fa_is_required(client, require_2fa):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert b'name="otp_token"' in response.content
    assert b'autocomplete="one-time-code"' in response.content


def test_admin_login_with_a_valid_totp_code_reaches_the_admin(client, require_2fa):
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login_post(client, user, otp_token=current_code(device))
    assert response.status_code == 302, response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200


def test_admin_login_with_a_wrong_totp_code_is_refused(client, require_2fa):
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    wrong = f"{(int(current_code(device)) + 1) % 10**6:06d}"
    response = login_post(client, user, otp_token=wrong)
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_ignores_another_users_device_and_unconfirmed_devices(client, require_2fa):
    user = make_staff()
    other_device = TOTPDevice.objects.create(user=make_staff(), name="phone", confirmed=True)
    unconfirmed = TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    for device in (other_device, unconfirmed):
        response = login_post(client, user, otp_token=current_code(device), otp_device=device.persistent_id)
        assert response.status_code == 200
        assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_with_several_devices_asks_which_one(client, require_2fa):
    user = make_staff()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    response = login_post(client, user, otp_token=current_code(device))
    assert response.status_code == 200
    assert b'name="otp_device"' in response.content
    response = login_post(client, user, otp_token=current_code(device), otp_device=device.persistent_id)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_refuses_verified_user_who_is_not_staff(client, require_2fa):
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login_post(client, user, otp_token=current_code(device))
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_password_login_works_without_otp_when_2fa_is_off(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False
    user = make_staff()
    response = client.get(reverse("admin:login"))
    assert b'name="otp_token"' not in response.content
    response = login_post(client, user)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_otp_enroll_creates_a_confirmed_device_and_prints_uri_and_qr(client, require_2fa):
    user = make_staff(username="secretariat")
    out = io.StringIO()
    call_command("otp_enroll", "secretariat", stdout=out)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    text = out.getvalue()
    uri = re.search(r"otpauth://\S+", text).group(0)
    assert uri == device.config_url
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert "issuer=Majlis" in uri
    qr = io.StringIO()
    segno.make(uri, error="m", micro=False).terminal(out=qr, compact=True)
    assert qr.getvalue() in text
    assert AuditEntry.objects.filter(action="otp.enrolled", object_id=str(user.pk)).exists()
    # The printed secret yields codes that open the back office.
    response = login_post(client, user, otp_token=current_code(device))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_otp_enroll_refuses_unknown_user_and_duplicate_device():
    with pytest.raises(CommandError, match="no user"):
        call_command("otp_enroll", "nobody", stdout=io.StringIO())
    user = make_staff()
    call_command("otp_enroll", user.username, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("otp_enroll", user.username, stdout=io.StringIO())
    first_key = TOTPDevice.objects.get(user=user).key
    call_command("otp_enroll", user.username, "--replace", stdout=io.StringIO())
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert TOTPDevice.objects.get(user=user).key != first_key
    call_command("otp_enroll", user.username, "--name", "spare phone", "--no-qr", stdout=io.StringIO())
    assert TOTPDevice.objects.filter(user=user).count() == 2


def test_otp_enroll_warns_when_the_user_is_not_staff():
    user = make_user()
    err = io.StringIO()
    call_command("otp_enroll", user.username, stdout=io.StringIO(), stderr=err)
    assert "not staff" in err.getvalue()
