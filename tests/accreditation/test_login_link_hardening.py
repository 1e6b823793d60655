"""Log-in links behind the reverse proxy: limits per real client, no account enumeration by timing."""

from __future__ import annotations

import io
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from majlis.accreditation import login_links
from majlis.accreditation.models import LoginLink
from majlis.core.models import AuditEntry
from tests.accreditation.personal_data_helpers import immediate_tasks  # noqa: F401 - fixture
from tests.accreditation.test_login_links import SENT_MESSAGE, link_in, request_url
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def ask(client, email, *, capture, forwarded=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with capture(execute=True):
        return client.post(request_url(), {"email": email}, **meta)


@pytest.mark.usefixtures("immediate_tasks")
def test_login_link_requests_for_made_up_addresses_do_not_block_others_behind_the_proxy(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """As found: 50 requests for made-up addresses, all through the proxy, blocked every link for an hour."""
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    for number in range(50):
        ask(
            client,
            f"made-up-{number}@example.org",
            capture=django_capture_on_commit_callbacks,
            forwarded="198.51.100.66",
        )
    delegate = make_user(email="delegate@mfa.example.kz")
    response = ask(client, delegate.email, capture=django_capture_on_commit_callbacks, forwarded="203.0.113.20")
    assert SENT_MESSAGE in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [delegate.email]


@pytest.mark.usefixtures("immediate_tasks")
def test_login_link_limit_applies_to_the_real_client_behind_the_proxy(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAJLIS_TRUSTED_PROXIES = [PROXY]
    users = [make_user() for _ in range(21)]
    for user in users:
        # The client may write anything left of the proxy's entry: it changes nothing.
        forwarded = f"192.0.2.{users.index(user)}, 198.51.100.66"
        ask(client, user.email, capture=django_capture_on_commit_callbacks, forwarded=forwarded)
    assert len(mailoutbox) == login_links.IP_LIMIT
    assert not LoginLink.objects.filter(user=users[-1]).exists()
    refused = AuditEntry.objects.filter(action="account.login_link_refused")
    assert refused.count() == 1
    assert refused.get().ip_address == "198.51.100.66"


@pytest.mark.usefixtures("immediate_tasks")
def test_login_link_audit_records_the_real_client_address(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAJLIS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = make_user(email="aziza@example.org")
    ask(client, user.email, capture=django_capture_on_commit_callbacks, forwarded="203.0.113.99")
    sent = AuditEntry.objects.get(action="account.login_link_sent")
    assert sent.ip_address == "203.0.113.99"
    assert LoginLink.objects.get(user=user).requested_from == "203.0.113.99"
    token = link_in(mailoutbox[0]).group(3)
    client.post(link_in(mailoutbox[0]).group(1), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert AuditEntry.objects.get(action="account.login_link_used").ip_address == "203.0.113.99"
    assert not AuditEntry.objects.filter(data__icontains=token).exists()


@pytest.mark.usefixtures("immediate_tasks")
def test_login_link_per_email_limit_blocks_nobody_else(client, mailoutbox, django_capture_on_commit_callbacks):
    victim = make_user(email="minister@mfa.example.uz")
    other = make_user(email="adviser@mfa.example.uz")
    responses = [
        ask(client, victim.email, capture=django_capture_on_commit_callbacks, remote="198.51.100.5") for _ in range(6)
    ]
    assert len(mailoutbox) == login_links.EMAIL_LIMIT
    assert len({response.content for response in responses}) == 1
    ask(client, other.email, capture=django_capture_on_commit_callbacks, remote="198.51.100.5")
    assert mailoutbox[-1].to == [other.email]
    # The victim can still ask from elsewhere once the window has passed; the limit held only their mail.
    assert LoginLink.objects.filter(user=victim).count() == login_links.EMAIL_LIMIT


def test_login_link_request_runs_the_same_queries_for_known_and_unknown_addresses(
    client, django_capture_on_commit_callbacks
):
    """The lookup and the mail happen in the queued task: the request itself cannot tell them apart."""
    known = make_user(email="registered@example.org")

    def queries_for(email):
        with CaptureQueriesContext(connection) as queries:
            ask(client, email, capture=django_capture_on_commit_callbacks, remote="198.51.100.40")
        return [query["sql"].split(" ")[0] for query in queries.captured_queries]

    known_queries = queries_for(known.email)
    unknown_queries = queries_for("nobody@example.org")
    assert known_queries == unknown_queries
    assert not LoginLink.objects.exists()  # nothing issued in the request: the task (not run here) does it


@pytest.fixture
def console_log():
    """What the configured console handler (as on the server) writes."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_login_link_token_is_not_in_django_request_log(client, console_log):
    token = "Qk9HVVMtVE9LRU4tZm9yLXRoZS1sb2ctdGVzdA-abcdef"
    path = f"/en/account/login/link/{token}/"
    assert client.get(path).status_code == 404
    logged = console_log.getvalue()
    assert "/en/account/login/link/[token]/" in logged
    assert token not in logged
