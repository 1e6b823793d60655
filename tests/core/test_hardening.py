"""Platform hardening: headers, shorter organiser sessions, private var/ files, the server as `majlis serve` runs it."""

from __future__ import annotations

import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from majlis.core.middleware import LOGGED_IN_AT_KEY, SEEN_AT_KEY, SHORT_SESSION_KEY
from majlis.core.models import AuditEntry
from tests.core.test_cli import command_env, free_port, migrated_var, start_serve, wait_for  # noqa: F401 - fixture
from tests.factories import PASSWORD, make_event, make_role, make_user

TOKEN = "U2VjcmV0LWxvZy1pbi10b2tlbi1mb3ItdGhlLWFjY2Vzcy1sb2c"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- Headers ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_permissions_policy_switches_off_unused_browser_features(client):
    policy = client.get("/healthz")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


@pytest.mark.django_db
def test_permissions_policy_on_pages_and_errors(client):
    assert "camera=()" in client.get(reverse("account:login"))["Permissions-Policy"]
    assert "camera=()" in client.get("/en/no-such-page/")["Permissions-Policy"]


# --- Organiser sessions ------------------------------------------------------------------------------


def password_login(client, user):
    response = client.post(reverse("account:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def shift_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


@pytest.fixture
def organiser(db):
    user = make_user(username="organiser.short")
    make_role(make_event(), "organiser_admin", user=user)
    return user


@pytest.mark.django_db
def test_organiser_session_is_short_and_idle_for_an_hour_ends_it(client, organiser, settings):
    password_login(client, organiser)
    assert client.session[SHORT_SESSION_KEY] is True
    assert client.session.get_expiry_age() == settings.MAJLIS_ORGANISER_SESSION_IDLE == 3600
    assert client.get(reverse("account:home")).status_code == 200
    shift_session(client, **{SEEN_AT_KEY: 3601})
    response = client.get(reverse("account:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))
    assert "_auth_user_id" not in client.session
    expired = AuditEntry.objects.get(action="account.session_expired")
    assert expired.reason == "idle"
    assert expired.actor == organiser


@pytest.mark.django_db
def test_organiser_session_ends_ten_hours_after_log_in_even_when_active(client, organiser):
    password_login(client, organiser)
    shift_session(client, **{LOGGED_IN_AT_KEY: 10 * 3600 + 1, SEEN_AT_KEY: 30})
    assert client.get(reverse("account:home")).status_code == 302
    assert AuditEntry.objects.get(action="account.session_expired").reason == "maximum length"


@pytest.mark.django_db
def test_organiser_session_activity_keeps_it_alive(client, organiser):
    password_login(client, organiser)
    shift_session(client, **{SEEN_AT_KEY: 3000, LOGGED_IN_AT_KEY: 5 * 3600})
    assert client.get(reverse("account:home")).status_code == 200
    assert int(time.time()) - client.session[SEEN_AT_KEY] < 60
    assert client.get(reverse("account:home")).status_code == 200


@pytest.mark.django_db
def test_staff_session_is_short_too(client, settings):
    staff = make_user(username="back.office", is_staff=True)
    password_login(client, staff)
    assert client.session[SHORT_SESSION_KEY] is True


@pytest.mark.django_db
def test_participant_keeps_the_normal_session(client, settings):
    from majlis.accreditation.login_links import issue_login_link

    participant = make_user(password=None)
    make_role(make_event(), "participant", user=participant)
    assert client.post(issue_login_link(participant)).status_code == 302
    assert SHORT_SESSION_KEY not in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    session = client.session
    session["_majlis_probe"] = 1
    session.save()
    shift_session(client, **{SEEN_AT_KEY: 5 * 3600})  # irrelevant for participants
    assert client.get(reverse("account:home")).status_code == 200


# --- var/ files -----------------------------------------------------------------------------------

CREATE_EVERYTHING = (
    "import django; django.setup(); "
    "from django.db import connection; connection.ensure_connection(); "
    "connection.cursor().execute('CREATE TABLE IF NOT EXISTS t (x int)'); "
    "from django.core.mail import send_mail; send_mail('Log-in link', 'body', 'a@example.org', ['b@example.org']); "
    "from majlis.core import crypto; crypto.encrypt('FA1234567'); "
    "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage; "
    "print(default_storage.save('private/photos/a.jpg', ContentFile(b'x')))"
)


def test_var_files_are_private_even_with_a_permissive_umask(tmp_path):
    var_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022); exec({CREATE_EVERYTHING!r})"],
        env=command_env(var_dir, DJANGO_SETTINGS_MODULE="majlis.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert mode(var_dir) == 0o700
    for name in ("majlis.sqlite3", "secret_key", "data_keys"):
        assert mode(var_dir / name) == 0o600, name
    for extra in ("majlis.sqlite3-wal", "majlis.sqlite3-shm"):
        if (var_dir / extra).exists():
            assert mode(var_dir / extra) == 0o600, extra
    assert mode(var_dir / "outbox") == 0o700
    (message,) = (var_dir / "outbox").glob("*.eml")
    assert mode(message) == 0o600
    stored = var_dir / "files" / result.stdout.strip().splitlines()[-1]
    assert mode(stored) == 0o600
    for folder in (var_dir / "files", var_dir / "files" / "private", stored.parent):
        assert mode(folder) == 0o700, folder
    assert mode(var_dir / "static") == 0o700


# --- The server as `majlis serve` runs it ----------------------------------------------------------


def test_serve_sends_no_server_header_and_logs_no_login_token(migrated_var, tmp_path):  # noqa: F811 - fixture
    port = free_port()
    log = tmp_path / "serve.log"
    server = start_serve(migrated_var, port, log, MAJLIS_INLINE_WORKER="0", MAJLIS_WEB_WORKERS="1")
    base = f"http://127.0.0.1:{port}"
    try:

        def fetch(path, **headers):
            request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - local test server
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    return response.status, response.headers
            except urllib.error.HTTPError as error:
                return error.code, error.headers
            except OSError:
                return None, None

        wait_for(lambda: fetch("/healthz")[0] == 200, 60, f"/healthz:\n{log.read_text()}")
        status, headers = fetch("/healthz")
        assert "Server" not in headers
        assert "camera=()" in headers["Permissions-Policy"]
        status, _headers = fetch(f"/en/account/login/link/{TOKEN}/", Referer=f"{base}/en/account/login/link/{TOKEN}/")
        assert status == 404
        wait_for(lambda: "/en/account/login/link/[token]/" in log.read_text(), 10, "the access log line")
    finally:
        server.terminate()
        server.wait(timeout=40)
    text = log.read_text()
    assert TOKEN not in text
    assert '"GET /en/account/login/link/[token]/ HTTP/1.1" 404' in text
