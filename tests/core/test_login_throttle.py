"""Failed password log-ins are throttled per account and per client address (site and /admin/)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from majlis.core.models import AuditEntry
from tests.core.test_otp import current_code
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

THROTTLED = "Too many failed log-in attempts"


def site_login(client, username, password, *, language="en", ip="198.51.100.20"):
    with translation.override(language):
        url = reverse("account:login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, username, password, *, ip="198.51.100.20", **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index"), **extra}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_throttle_right_password_refused_after_five_failures(client):
    """As found: 30 wrong passwords, then the right one worked."""
    user = make_user(username="organiser.karimov")
    for _ in range(5):
        response = site_login(client, user.username, "wrong password")
        assert response.status_code == 200
        assert THROTTLED not in response.content.decode()
    response = site_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    content = response.content.decode()
    assert THROTTLED in content
    assert "try again in 15 minutes" in content
    assert 'value="organiser.karimov"' in content  # what was typed stays
    assert not logged_in(client)
    assert AuditEntry.objects.filter(action="account.login_failed").count() == 5
    throttled = AuditEntry.objects.get(action="account.login_throttled")
    assert throttled.ip_address == "198.51.100.20"
    assert throttled.data["username"] == "organiser.karimov"


def test_login_throttle_per_account_holds_from_another_address(client):
    user = make_user(username="co.organiser")
    for number in range(5):
        site_login(client, user.username, "wrong", ip=f"203.0.113.{number}")
    response = site_login(client, user.username, PASSWORD, ip="192.0.2.200")
    assert THROTTLED in response.content.decode()
    assert not logged_in(client)


def test_login_throttle_counts_unknown_user_names_too(client):
    """The refusal must not tell whether an account exists."""
    for _ in range(5):
        site_login(client, "no.such.person", "wrong")
    assert THROTTLED in site_login(client, "no.such.person", "whatever").content.decode()


def test_login_throttle_per_address_stops_guessing_many_accounts(client, settings):
    settings.MAJLIS_LOGIN_FAILURES_PER_ADDRESS = 8
    for number in range(8):
        site_login(client, f"guess{number}", "wrong", ip="198.51.100.99")
    user = make_user(username="another.user")
    assert THROTTLED in site_login(client, user.username, PASSWORD, ip="198.51.100.99").content.decode()
    # Someone else, from another address, logs in normally.
    response = site_login(client, user.username, PASSWORD, ip="198.51.100.100")
    assert response.status_code == 302
    assert logged_in(client)


def test_login_throttle_success_within_the_limit_clears_the_account_count(client):
    user = make_user(username="focal.point")
    for _ in range(4):
        site_login(client, user.username, "wrong")
    assert site_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        site_login(client, user.username, "wrong", ip="203.0.113.77")
    assert site_login(client, user.username, PASSWORD, ip="203.0.113.77").status_code == 302


def test_login_throttle_ends_with_its_window(client, settings):
    from django.test import RequestFactory

    from majlis.core.login_throttle import record_failure

    settings.MAJLIS_LOGIN_FAILURE_WINDOW = 2
    user = make_user(username="patient.user")
    failed = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    failed.user = user
    started = time.monotonic()
    for _ in range(5):
        record_failure(user.username, failed)  # as the form does (without five slow password hashes)
    assert THROTTLED in site_login(client, user.username, PASSWORD).content.decode()
    assert time.monotonic() - started < 2, "too slow to test a 2-second window"
    time.sleep(max(0.0, started + 2.3 - time.monotonic()))
    assert site_login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Слишком много неудачных попыток входа"),
        ("uz", "Tizimga kirish uchun muvaffaqiyatsiz urinishlar soni juda koʻp"),
    ],
)
def test_login_throttle_message_in_the_page_language(client, language, expected):
    user = make_user()
    for _ in range(5):
        site_login(client, user.username, "wrong", language=language)
    assert expected in site_login(client, user.username, PASSWORD, language=language).content.decode()


def test_login_throttle_applies_to_the_admin_login(client):
    staff = make_user(username="staff.member", is_staff=True, is_superuser=True)
    for _ in range(5):
        assert admin_login(client, staff.username, "wrong").status_code == 200
    response = admin_login(client, staff.username, PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert not logged_in(client)


def test_login_throttle_admin_with_totp_counts_wrong_codes(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = True
    staff = make_user(username="staff.totp", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    right = current_code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        admin_login(client, staff.username, PASSWORD, otp_token=wrong)
    response = admin_login(client, staff.username, PASSWORD, otp_token=current_code(device))
    assert THROTTLED in response.content.decode()
    assert not logged_in(client)
