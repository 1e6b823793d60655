"""Accreditation's e-mails in the core outbox: rendering writes nothing, links are issued (and voided)
by the send pipeline, the log-in page's links go through the outbox and are retried."""

from __future__ import annotations

import importlib
import re
import socket
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accreditation import login_links, notifications, services
from majlis.accreditation.models import Application, LoginLink, MassMailing, SessionSeat
from majlis.core import outbox
from majlis.core.models import OutboxMessage
from tests.factories import make_accreditation_event, make_delegation, make_session, make_user

from .services_helpers import Mailbox, make_organiser, reviewed

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
LINK = re.compile(r"https?://[^/\s]+(/(en|ru|uz)/account/login/link/([A-Za-z0-9_\-]+)/)")


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


def unreachable(settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def live_links(user) -> int:
    return LoginLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).count()


# --- Rendering has no side effects ---------------------------------------------------------------------


def unsaved(template: str, event, **context) -> OutboxMessage:
    return OutboxMessage(
        key=f"preview:{template}",
        template=template,
        recipient="p@example.org",
        language="ru",
        event_id=event.pk,
        context=context,
    )


def test_rendering_any_accreditation_template_writes_nothing(event):
    application = reviewed(event, email="p@example.org", status=Application.Status.APPROVED)
    session = make_session(event, capacity=10)
    SessionSeat.objects.create(application=application, session=session, status=SessionSeat.Status.CONFIRMED)
    delegation = make_delegation(event, focal_point_email="nobody-yet@mfa.example.kz")
    mailing = MassMailing.objects.create(
        event=event, subject_en="Shuttle", subject_ru="Трансфер", body_en="At 8.", body_ru="В 8."
    )
    contexts = {
        "application": application.pk,
        "delegation": delegation.pk,
        "session": session.pk,
        "mailing": mailing.pk,
    }
    before = row_counts()
    for template in sorted(notifications.SUBJECTS):
        message = outbox.render(unsaved(template, event, **contexts))
        assert message.subject and message.body, template
    assert row_counts() == before
    # The focal point of a message queued before the outbox moved (no "user" in its context) has no
    # account: rendering made none, and no link.
    assert not get_user_model().objects.filter(email__iexact="nobody-yet@mfa.example.kz").exists()


def test_mass_mail_subject_is_the_organisers_own_in_the_recipients_language(event):
    application = reviewed(event, email="p@example.org", language="ru")
    mailing = MassMailing.objects.create(event=event, subject_en="Shuttle", subject_ru="Трансфер", body_en="At 8.")
    message = outbox.render(unsaved("mass_mail", event, application=application.pk, mailing=mailing.pk))
    assert message.subject.endswith(": Трансфер")


def test_queueing_stores_ids_only(event, mailbox):
    organiser = make_organiser(event)
    application = reviewed(event, email="p@example.org")
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    message = OutboxMessage.objects.get()
    assert message.context == {"application": application.pk}
    assert message.event_id == event.pk
    assert message.related == f"accreditation.application:{application.pk}"
    assert message.subject == mailbox.outbox[0].subject  # rendered when it left


# --- Invitation links: issued by the pipeline, voided when the attempt fails --------------------------------


def invite(event, organiser, mailbox):
    from tests.factories import make_organisation

    with mailbox.commit():
        return services.invite_delegation(
            event,
            make_organisation(name_en="Kazakhstan", kind="government", country="KZ"),
            kind="member_state",
            focal_point_email="focal@mfa.example.kz",
            language="en",
            actor=organiser,
        )


def test_invitation_account_is_made_by_the_service_and_named_in_the_context(event, mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    organiser = make_organiser(event)
    delegation = invite(event, organiser, mailbox)
    message = OutboxMessage.objects.get(template="delegation_invitation")
    focal = get_user_model().objects.get(email="focal@mfa.example.kz")
    assert message.context == {"delegation": delegation.pk, "user": focal.pk}
    assert not LoginLink.objects.exists()  # the link waits for the message to leave


def test_a_retried_invitation_never_leaves_two_live_links(event, mailbox, settings):
    organiser = make_organiser(event)
    unreachable(settings)
    invite(event, organiser, mailbox)
    message = OutboxMessage.objects.get(template="delegation_invitation")
    focal = get_user_model().objects.get(email="focal@mfa.example.kz")
    assert message.status == Status.FAILED
    assert LoginLink.objects.filter(user=focal).count() == 1  # issued for the attempt…
    assert live_links(focal) == 0  # …and voided when it failed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with mailbox.commit():
        notifications.retry_notification(message, actor=organiser)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert live_links(focal) == 1
    token = LINK.search(mailbox.outbox[0].body).group(3)
    assert login_links.inspect_login_link(token).valid
    assert token not in str(list(OutboxMessage.objects.values()))


# --- The log-in page's links go through the outbox ---------------------------------------------------------


def ask(client, email, capture):
    with translation.override("en"):
        url = reverse("login-link:request")
    with capture(execute=True):
        return client.post(url, {"email": email}, REMOTE_ADDR="203.0.113.7")


def test_login_page_link_is_an_outbox_message(client, mailbox, django_capture_on_commit_callbacks):
    user = make_user(email="aziza@example.org")
    ask(client, user.email, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.template == notifications.LOGIN_LINK_TEMPLATE
    assert message.status == Status.SENT and message.related == f"auth.user:{user.pk}"
    assert set(message.context) == {"user", "next", "base_url", "client"}
    (sent,) = mailbox.outbox
    token = LINK.search(sent.body).group(3)
    assert token not in str(list(OutboxMessage.objects.values()))
    assert LoginLink.objects.get().message_key == message.key


def test_login_page_link_is_retried_and_leaves_one_live_link(
    client, mailbox, settings, django_capture_on_commit_callbacks
):
    user = make_user(email="aziza@example.org")
    unreachable(settings)
    ask(client, user.email, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.status == Status.FAILED and message.attempts == 1
    assert live_links(user) == 0
    assert message in outbox.failed() and message.event_id is None  # the admin's list, no event's
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry(message, actor=None)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert live_links(user) == 1
    path = LINK.search(mail.outbox[0].body).group(1)
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_pending_login_messages_count_against_the_per_address_limit(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = make_user(email="aziza@example.org")
    for _ in range(login_links.EMAIL_LIMIT):
        assert login_links.send_login_link.call(
            user.email, page_language="en", next_url="", base_url="https://x.test", client=""
        )
    # None has left yet (their tasks wait for a commit): the fourth is refused all the same.
    assert not login_links.send_login_link.call(
        user.email, page_language="en", next_url="", base_url="https://x.test", client=""
    )
    assert OutboxMessage.objects.count() == login_links.EMAIL_LIMIT


def test_login_link_task_run_twice_queues_one_message(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = make_user(email="aziza@example.org")
    arguments = {"page_language": "en", "next_url": "", "base_url": "https://x.test", "client": "", "request_id": "r1"}
    login_links.send_login_link.call(user.email, **arguments)
    login_links.send_login_link.call(user.email, **arguments)
    assert OutboxMessage.objects.count() == 1


def test_no_link_for_an_account_that_became_an_organiser(mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = make_user(email="aziza@example.org")
    login_links.send_login_link.call(user.email, page_language="en", next_url="", base_url="", client="")
    user.is_staff = True
    user.save()
    message = OutboxMessage.objects.get()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    outbox.deliver(message.pk, lock=False)
    message.refresh_from_db()
    assert message.status == Status.GAVE_UP
    assert not LoginLink.objects.exists() and mailbox.outbox == []


# --- The migration's reading of the old rows ------------------------------------------------------------


def test_migration_rebuilds_the_context_from_old_keys():
    migration = importlib.import_module("majlis.accreditation.migrations.0009_notifications_to_core_outbox")

    def old(key, template, application_id=None):
        return SimpleNamespace(key=key, template=template, application_id=application_id)

    assert migration.context_of(old("application:5:approved:77", "approved", 5)) == {"application": 5}
    assert migration.context_of(old("application:5:session_invitation:12:77", "session_invitation", 5)) == {
        "application": 5,
        "session": 12,
    }
    assert migration.context_of(old("delegation:3:delegation_invitation:9", "delegation_invitation")) == {
        "delegation": 3
    }
    assert migration.context_of(old("mass:4:5", "mass_mail", 5)) == {"application": 5, "mailing": 4}
    delegation_row = old("delegation:3:delegation_approved:9", "delegation_approved")
    assert migration.related_of(delegation_row, {"delegation": 3}) == "accreditation.delegation:3"
