"""One-time e-mail log-in links: single use, 20 minutes, rate-limited, never revealing who is registered."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accreditation import login_links
from majlis.accreditation.models import LoginLink
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.personal_data_helpers import (  # noqa: F401 - fixtures
    application,
    delegation,
    immediate_tasks,
)
from tests.factories import make_event, make_role, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

SENT_MESSAGE = "If this address is registered, a log-in link is on its way"
LINK_PATTERN = re.compile(r"https?://[^/\s]+(/(en|ru|uz)/account/login/link/([A-Za-z0-9_\-]+)/)(\?\S*)?")


def request_url(language="en"):
    with translation.override(language):
        return reverse("login-link:request")


def ask(client, email, *, language="en", capture=None, ip="203.0.113.7", **meta):
    data = {"email": email}
    if capture is None:
        return client.post(request_url(language), data, REMOTE_ADDR=ip, **meta)
    with capture(execute=True):
        return client.post(request_url(language), data, REMOTE_ADDR=ip, **meta)


def link_in(message):
    match = LINK_PATTERN.search(message.body)
    assert match, message.body
    return match


@pytest.fixture
def participant():
    return make_user(email="dilnoza.karimova@example.org")


def test_login_link_request_page_is_public(client):
    response = client.get(request_url())
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_login_link_works_once(client, participant, mailoutbox, django_capture_on_commit_callbacks):
    response = ask(client, participant.email, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert SENT_MESSAGE in response.content.decode()
    (message,) = mailoutbox
    assert message.to == [participant.email]
    path = link_in(message).group(1)

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")
    assert client.session["_auth_user_id"] == str(participant.pk)
    assert AuditEntry.objects.filter(action="account.login_link_used", actor=participant).count() == 1

    client.logout()
    again = client.post(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_link_get_shows_a_button_and_does_not_log_in(client, participant):
    path = login_links.issue_login_link(participant)
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="post"' in content and "Log me in" in content
    assert "_auth_user_id" not in client.session
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    # Fetching it again (a mail scanner, then the person) still works.
    assert client.get(path).status_code == 200
    assert LoginLink.objects.get().used_at is None
    assert client.post(path).status_code == 302


def test_login_link_expires_after_20_minutes(client, participant):
    path = login_links.issue_login_link(participant)
    link = LoginLink.objects.get()
    assert timedelta(minutes=19, seconds=59) < link.expires_at - link.created_at <= timedelta(minutes=20, seconds=1)
    now = timezone.now()
    LoginLink.objects.filter(pk=link.pk).update(
        created_at=now - timedelta(minutes=20, seconds=1), expires_at=now - timedelta(seconds=1)
    )
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_link_still_valid_after_19_minutes(client, participant):
    path = login_links.issue_login_link(participant)
    now = timezone.now()
    LoginLink.objects.update(created_at=now - timedelta(minutes=19), expires_at=now + timedelta(minutes=1))
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)


def test_login_link_unknown_token_is_a_clear_404(client):
    with translation.override("en"):
        path = reverse("login-link:confirm", kwargs={"token": "not-a-real-token-at-all"})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


def test_login_link_rate_limited_per_email(client, participant, mailoutbox, django_capture_on_commit_callbacks):
    responses = [ask(client, participant.email, capture=django_capture_on_commit_callbacks) for _ in range(4)]
    assert len(mailoutbox) == 3
    assert LoginLink.objects.filter(user=participant).count() == 3
    assert {r.status_code for r in responses} == {200}
    assert SENT_MESSAGE in responses[3].content.decode()
    assert responses[3].content == responses[0].content
    assert AuditEntry.objects.filter(action="account.login_link_refused").count() == 1


def test_login_link_email_limit_frees_up_after_15_minutes(
    client, participant, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        ask(client, participant.email, capture=django_capture_on_commit_callbacks)
    LoginLink.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    ask(client, participant.email, capture=django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4


def test_login_link_rate_limited_per_ip(client, mailoutbox, django_capture_on_commit_callbacks):
    users = [make_user() for _ in range(21)]
    for user in users:
        response = ask(client, user.email, capture=django_capture_on_commit_callbacks, ip="198.51.100.9")
        assert SENT_MESSAGE in response.content.decode()
    assert len(mailoutbox) == 20
    assert not LoginLink.objects.filter(user=users[-1]).exists()
    # Another address is not held back.
    ask(client, users[-1].email, capture=django_capture_on_commit_callbacks, ip="198.51.100.10")
    assert len(mailoutbox) == 21


def test_login_link_unknown_email_gets_the_same_response(
    client, participant, mailoutbox, django_capture_on_commit_callbacks
):
    known = ask(client, participant.email, capture=django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.org", capture=django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200
    assert len(mailoutbox) == 1
    normalise = re.compile(r"csrfmiddlewaretoken\" value=\"[^\"]+\"")

    def page(response, email):
        return normalise.sub("", response.content.decode().replace(email, "ADDRESS"))

    assert page(known, participant.email) == page(unknown, "nobody@example.org")
    assert not LoginLink.objects.exclude(user=participant).exists()


def test_login_link_invalid_address_keeps_what_was_typed(client):
    response = client.post(request_url(), {"email": "not an address"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="not an address"' in content
    assert 'aria-invalid="true"' in content


def test_login_link_token_not_stored_in_clear(client, participant, mailoutbox, django_capture_on_commit_callbacks):
    ask(client, participant.email, capture=django_capture_on_commit_callbacks)
    token = link_in(mailoutbox[0]).group(3)
    link = LoginLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {LoginLink._meta.db_table}")  # noqa: S608 - table name from the model
        rows = cursor.fetchall()
    assert token not in repr(rows)
    assert not AuditEntry.objects.filter(data__icontains=token).exists()


def test_login_link_mail_uses_the_applicants_language(client, mailoutbox, django_capture_on_commit_callbacks):
    event = make_event()
    user = make_user(email="aziz@example.org")
    application(event, user=user, language="ru")
    ask(client, user.email, language="en", capture=django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert link_in(message).group(2) == "ru"
    with translation.override("ru"):
        assert login_links.render_login_link_mail("https://x.test/")[0] == message.subject


def test_login_link_mail_uses_the_focal_points_language(client, mailoutbox, django_capture_on_commit_callbacks):
    user = make_user(email="focal@example.org")
    delegation(make_event(), focal_point=user, focal_point_language="uz")
    ask(client, user.email, language="en", capture=django_capture_on_commit_callbacks)
    assert link_in(mailoutbox[0]).group(2) == "uz"


def test_login_link_mail_without_application_uses_the_page_language(
    client, participant, mailoutbox, django_capture_on_commit_callbacks
):
    ask(client, participant.email, language="uz", capture=django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert link_in(message).group(2) == "uz"
    assert "20" in message.body


def test_login_link_email_match_ignores_case(client, participant, mailoutbox, django_capture_on_commit_callbacks):
    ask(client, participant.email.upper(), capture=django_capture_on_commit_callbacks)
    assert mailoutbox[0].to == [participant.email]


@pytest.mark.parametrize("kind", ["staff", "superuser", "organiser", "inactive"])
def test_login_link_refused_for_password_accounts(client, kind, mailoutbox, django_capture_on_commit_callbacks):
    user = make_user(is_staff=kind == "staff", is_superuser=kind == "superuser", is_active=kind != "inactive")
    if kind == "organiser":
        make_role(make_event(), EventRole.Role.ORGANISER_ADMIN, user=user)
    response = ask(client, user.email, capture=django_capture_on_commit_callbacks)
    assert SENT_MESSAGE in response.content.decode()
    assert mailoutbox == []
    # A link issued earlier (say, before the person became an organiser) no longer works either.
    path = login_links.issue_login_link(user)
    assert client.post(path).status_code == 410
    assert "_auth_user_id" not in client.session


def test_login_link_next_url_is_followed_only_on_this_site(client, participant):
    path = login_links.issue_login_link(participant, next_url="/en/account/my-data/")
    response = client.get(path)
    assert 'name="next" value="/en/account/my-data/"' in response.content.decode()
    response = client.post(path, {"next": "/en/account/my-data/"})
    assert response["Location"] == "/en/account/my-data/"

    other = login_links.issue_login_link(participant)
    response = client.post(other, {"next": "https://evil.example/steal"})
    assert response["Location"] == reverse("account:home")


def test_login_link_request_uses_the_public_url_when_configured(
    client, participant, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAJLIS_PUBLIC_URL = "https://accreditation.example.uz"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # a host list wider than it should be
    ask(client, participant.email, capture=django_capture_on_commit_callbacks, HTTP_HOST="evil.example")
    assert "https://accreditation.example.uz/en/account/login/link/" in mailoutbox[0].body
    assert "evil.example" not in mailoutbox[0].body


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_login_link_pages_in_every_language(client, participant, language):
    assert client.get(request_url(language)).status_code == 200
    assert client.post(request_url(language), {"email": "x@example.org"}).status_code == 200
    with translation.override(language):
        path = login_links.issue_login_link(participant)
    assert path.startswith(f"/{language}/")
    assert client.get(path).status_code == 200
    LoginLink.objects.update(used_at=timezone.now())
    assert client.get(path).status_code == 410


def test_login_link_views_declare_their_access():
    from majlis.accreditation import views_login

    assert views_login.request_link.majlis_access == "public"
    assert views_login.confirm.majlis_access == "public"


@pytest.mark.django_db(transaction=True)
def test_login_link_used_once_under_concurrency(on_postgresql):
    """Eight simultaneous POSTs of one link: exactly one logs in (the row is locked while it is checked)."""
    import threading

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections
    from django.test import RequestFactory

    user = make_user(password=None)
    path = login_links.issue_login_link(user)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    barrier = threading.Barrier(8)
    results = []

    def attempt():
        request = RequestFactory().post(path)
        request.session = SessionStore()
        try:
            barrier.wait()
            results.append(login_links.consume_login_link(token, request=request))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.pk for r in results if r is not None] == [user.pk]
    assert results.count(None) == 7
    assert AuditEntry.objects.filter(action="account.login_link_used").count() == 1
