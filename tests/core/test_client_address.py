"""The client's real address behind trusted proxies, and throttle counters shared by processes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.test import RequestFactory

from majlis.core import audit
from majlis.core.models import AuditEntry
from majlis.core.throttle import Throttle, address_bucket, client_address
from tests.conftest import require
from tests.core.test_cli import majlis

PROXY = "10.0.0.5"


def request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_address_without_trusted_proxies_is_remote_addr(settings):
    settings.MAJLIS_TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_client_address_ignores_forwarded_for_from_an_untrusted_peer(settings):
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_client_address_behind_a_trusted_proxy_is_the_forwarded_client(settings):
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_client_address_takes_the_right_most_untrusted_entry(settings):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    settings.MAJLIS_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    forwarded = "1.2.3.4, 198.51.100.23, 192.0.2.10, 10.1.2.3"
    assert client_address(request(PROXY, forwarded)) == "198.51.100.23"


def test_client_address_skips_invalid_forwarded_values(settings):
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY, "198.51.100.9, unknown, not-an-ip")) == "198.51.100.9"
    assert client_address(request(PROXY, "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_address(request(PROXY, "garbage")) == PROXY


def test_client_address_invalid_trusted_entries_are_ignored(settings):
    settings.MAJLIS_TRUSTED_PROXIES = ["not a network", "10.0.0.5", "999.1.1.1/8"]
    assert client_address(request(PROXY, "198.51.100.4")) == "198.51.100.4"
    settings.MAJLIS_TRUSTED_PROXIES = ["nonsense"]
    assert client_address(request(PROXY, "198.51.100.4")) == PROXY


def test_client_address_comma_separated_setting_and_cidr(settings):
    settings.MAJLIS_TRUSTED_PROXIES = ["10.0.0.0/8,2001:db8:1::/48"]
    assert client_address(request("2001:db8:1::5", "203.0.113.50")) == "203.0.113.50"
    assert client_address(request("10.9.9.9", "203.0.113.51")) == "203.0.113.51"


def test_client_address_invalid_remote_addr_is_none(settings):
    assert client_address(request("")) is None
    assert client_address(None) is None


def test_client_address_ipv6_addresses_share_their_64_for_limits():
    assert address_bucket("2001:db8:1:2:aaaa::1") == address_bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address_bucket("203.0.113.7") == "203.0.113.7"
    assert address_bucket(None) == "unknown"


@pytest.mark.django_db
def test_audit_records_the_real_client_address_behind_the_proxy(settings):
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    from django.contrib.auth.models import AnonymousUser

    forwarded = request(PROXY, "198.51.100.77")
    forwarded.user = AnonymousUser()
    entry = audit.record("test.action", request=forwarded)
    assert AuditEntry.objects.get(pk=entry.pk).ip_address == "198.51.100.77"


def test_throttle_counts_within_the_window_and_resets():
    throttle = Throttle("test-window", limit=3, window=60)
    assert [throttle.allow("k") for _ in range(4)] == [True, True, True, False]
    assert throttle.exceeded("k")
    assert not throttle.exceeded("other")
    assert 0 < throttle.seconds_left("k") <= 61
    throttle.reset("k")
    assert throttle.count("k") == 0


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    require(server is not None, "redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - a local test server
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


HIT_TEN_TIMES = (
    "from majlis.core.throttle import Throttle; t = Throttle('login-link-address', 20, 3600); "
    "print([t.hit('198.51.100.1') for _ in range(10)][-1])"
)


def test_throttle_counters_are_shared_by_processes_through_redis(tmp_path, redis_url):
    """Two separate processes (as two gunicorn workers) count into the same Redis counter."""
    counts = []
    for _ in range(2):
        result = majlis("shell", "-c", HIT_TEN_TIMES, var_dir=tmp_path, MAJLIS_REDIS_URL=redis_url)
        assert result.returncode == 0, result.stderr
        counts.append(int(result.stdout.split()[-1]))
    assert counts == [10, 20]
