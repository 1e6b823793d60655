"""E-mails: one per occurrence, in the recipient's language, retried on failure, never sent twice."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from majlis.accreditation import notifications, services
from majlis.accreditation.models import Application
from majlis.core import tasks
from majlis.core.models import AuditEntry, OutboxMessage
from tests.factories import make_accreditation_event, make_application, make_organisation

from .services_helpers import PASSPORT, Mailbox, application_data, make_organiser, reviewed

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event(
        short_title_en="Tashkent 2022",
        short_title_ru="Ташкент 2022",
        short_title_uz="Toshkent 2022",
        title_en="High-level conference on Central Asian cooperation",
        title_ru="Конференция высокого уровня о сотрудничестве в Центральной Азии",
        title_uz="Markaziy Osiyo hamkorligi boʻyicha yuqori darajadagi konferensiya",
    )


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_unreachable_smtp(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5


def expected(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


# --- Language and content ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "short_title", "title"),
    [
        ("en", "Tashkent 2022", "High-level conference on Central Asian cooperation"),
        ("ru", "Ташкент 2022", "Конференция высокого уровня о сотрудничестве в Центральной Азии"),
        ("uz", "Toshkent 2022", "Markaziy Osiyo hamkorligi boʻyicha yuqori darajadagi konferensiya"),
    ],
)
def test_approval_mail_is_in_the_participants_language(event, organiser, mailbox, language, short_title, title):
    application = reviewed(event, language=language, email=f"{language}@example.org")
    with translation.override("en"), mailbox.commit():
        services.approve_application(application, actor=organiser)
    (message,) = mailbox.to(f"{language}@example.org")
    assert message.subject == f"{short_title}: {expected(language, 'Your accreditation is approved')}"
    assert title in message.body
    assert expected(language, "You will take part in person. Your badge will be ready at the accreditation desk.") in (
        message.body
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'<html lang="{language}">' in html and title in html
    assert message.extra_headers["Content-Language"] == language


def test_mail_language_follows_the_application_not_the_organisers_page(event, organiser, mailbox):
    application = reviewed(event, language="uz", email="uz@example.org")
    with translation.override("ru"), mailbox.commit():
        services.reject_application(application, actor=organiser, reason="Hujjatlar toʻliq emas.")
    (message,) = mailbox.outbox
    assert message.subject.startswith("Toshkent 2022: ")
    assert "Hujjatlar toʻliq emas." in message.body
    assert OutboxMessage.objects.get().language == "uz"


@pytest.mark.parametrize(
    ("change", "template", "phrase"),
    [
        (lambda a, o: services.start_review(a, actor=o), "under_review", "started to review"),
        (lambda a, o: services.approve_application(a, actor=o), "approved", "is approved"),
        (lambda a, o: services.waitlist_application(a, actor=o, reason="Room is small."), "waitlisted", "waiting"),
        (lambda a, o: services.reject_application(a, actor=o, reason="Not eligible."), "rejected", "Not eligible."),
        (lambda a, o: services.cancel_application(a, actor=None), "cancelled", "is cancelled"),
        (lambda a, o: services.withdraw_application(a, actor=o, reason="On advice."), "withdrawn", "On advice."),
    ],
    ids=["review", "approve", "waitlist", "reject", "cancel", "withdraw"],
)
def test_each_transition_mails_the_participant_once(event, organiser, mailbox, change, template, phrase):
    application = make_application(event, status=S.SUBMITTED, email="p@example.org", passport_number=PASSPORT)
    with mailbox.commit():
        change(application, organiser)
    (message,) = mailbox.outbox
    assert message.to == ["p@example.org"]
    assert phrase in message.body
    notification = OutboxMessage.objects.get()
    assert notification.template == template and notification.status == OutboxMessage.Status.SENT
    assert notification.attempts == 1 and notification.sent_at
    entry = AuditEntry.objects.filter(object_type="accreditation.Application", object_id=str(application.pk)).latest(
        "id"
    )
    assert notification.key == f"application:{application.pk}:{template}:{entry.pk}"


def test_submission_mails_a_receipt(event, mailbox):
    application = services.create_application(event, data=application_data(event), actor=None)
    with mailbox.commit():
        services.submit_application(application, actor=None)
    (message,) = mailbox.outbox
    assert "received your application" in message.body


def test_cancelling_a_draft_mails_nobody(event, mailbox):
    application = make_application(event)
    with mailbox.commit():
        services.cancel_application(application, actor=None)
    assert mailbox.outbox == []


def test_edit_after_approval_mails_back_to_review(event, organiser, mailbox):
    application = reviewed(event, status=S.APPROVED, email="p@example.org")
    with mailbox.commit():
        services.update_application(application, data={"nationality": "KZ"}, actor=None)
    (message,) = mailbox.outbox
    assert "under review again" in message.body


def test_no_passport_number_in_any_message(event, organiser, mailbox):
    application = services.create_application(
        event, data=application_data(event, passport_number=PASSPORT, email="p@example.org"), actor=None
    )
    with mailbox.commit():
        services.submit_application(application, actor=None)
        services.start_review(application, actor=organiser)
        services.approve_application(application, actor=organiser)
        services.update_application(application, data={"given_names": "Dilnoza Bahodirovna"}, actor=None)
    assert len(mailbox.outbox) == 4
    for message in mailbox.outbox:
        raw = message.message().as_string()
        assert PASSPORT not in raw and "1234567" not in raw


def test_approval_mail_lists_the_session_seats(event, organiser, mailbox):
    from tests.factories import make_session

    session = make_session(event, capacity=5, title_en="Youth and prevention")
    application = reviewed(event, email="p@example.org")
    services.request_session_seats(application, [session], actor=None)
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    assert "Youth and prevention: confirmed" in mailbox.outbox[0].body


# --- Never twice, failures and retries -----------------------------------------------------------


def test_queue_with_the_same_key_sends_once(event, mailbox):
    application = make_application(event, email="p@example.org")
    with mailbox.commit():
        for _ in range(3):
            notifications.queue(
                key=f"application:{application.pk}:approved:manual",
                template="approved",
                recipient=application.email,
                language="en",
                event=event,
                application=application,
            )
    assert OutboxMessage.objects.count() == 1
    assert len(mailbox.outbox) == 1


def test_send_task_run_again_does_not_send_twice(event, organiser, mailbox):
    application = reviewed(event, email="p@example.org")
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    notification = OutboxMessage.objects.get()
    assert tasks.send_outbox_message.call(notification.pk) == OutboxMessage.Status.SENT
    tasks.send_outbox_message.enqueue(notification.pk)
    assert len(mailbox.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_failed_send_is_recorded_and_visible_to_organisers(event, organiser, mailbox, settings):
    use_unreachable_smtp(settings)
    application = reviewed(event, email="p@example.org", passport_number=PASSPORT)
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    notification = OutboxMessage.objects.get()
    assert notification.status == OutboxMessage.Status.FAILED
    assert notification.attempts == 1
    assert "Connection refused" in notification.last_error or "Errno" in notification.last_error
    assert PASSPORT not in notification.last_error
    assert list(notifications.failed_notifications(event)) == [notification]
    assert list(notifications.failed_notifications(make_accreditation_event())) == []


def test_failed_send_is_rescheduled_with_a_delay_on_the_database_queue(event, organiser, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    use_unreachable_smtp(settings)
    application = reviewed(event, email="p@example.org")
    notification = notifications.queue(
        key="application:manual:approved",
        template="approved",
        recipient=application.email,
        language="en",
        event=event,
        application=application,
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.send_outbox_message.call(notification.pk)
    notification.refresh_from_db()
    assert notification.status == OutboxMessage.Status.FAILED and notification.attempts == 1
    assert DBTaskResult.objects.count() == 2  # the first attempt, then the retry
    retry = DBTaskResult.objects.get(run_after__year__lt=9999)  # django_tasks_db stores "no delay" as 9999
    assert retry.args_kwargs["args"] == [notification.pk]
    assert retry.run_after > timezone.now() + timedelta(minutes=1)


def test_database_queue_task_is_written_in_the_same_transaction(event, organiser, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = reviewed(event, email="p@example.org")
    services.approve_application(application, actor=organiser)  # no commit: nothing runs on_commit
    notification = OutboxMessage.objects.get()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [notification.pk]
    assert task.task_path == "majlis.core.tasks.send_outbox_message"
    assert notification.status == OutboxMessage.Status.QUEUED


def test_requeue_stuck_notifications_sends_old_queued_mail_once(event, organiser, mailbox):
    application = reviewed(event, email="p@example.org")
    services.approve_application(application, actor=organiser)  # its on_commit never runs: the task is lost
    notification = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with mailbox.commit():
        assert notifications.requeue_stuck_notifications() == 1
    with mailbox.commit():
        assert notifications.requeue_stuck_notifications() == 0
    assert len(mailbox.outbox) == 1


def test_sending_gives_up_after_five_attempts(event, settings, mailbox):
    use_unreachable_smtp(settings)
    application = reviewed(event, email="p@example.org")
    with mailbox.commit():
        notification = notifications.queue(
            key="application:manual:approved",
            template="approved",
            recipient=application.email,
            language="en",
            event=event,
            application=application,
        )
    for _ in range(6):
        tasks.send_outbox_message.call(notification.pk)
    notification.refresh_from_db()
    assert notification.status == OutboxMessage.Status.GAVE_UP
    assert notification.attempts == notifications.MAX_ATTEMPTS


def test_retry_notification_sends_a_failed_mail_once_the_server_answers(event, organiser, mailbox, settings):
    use_unreachable_smtp(settings)
    application = reviewed(event, email="p@example.org")
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    notification = OutboxMessage.objects.get()
    assert notification.status == OutboxMessage.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with mailbox.commit():
        notifications.retry_notification(notification, actor=organiser)
    notification.refresh_from_db()
    assert notification.status == OutboxMessage.Status.SENT and notification.attempts == 2
    assert len(mailbox.outbox) == 1
    assert AuditEntry.objects.filter(action="mail.retried", actor=organiser).count() == 1
    with pytest.raises(ValidationError):
        notifications.retry_notification(notification, actor=organiser)
    assert len(mailbox.outbox) == 1


# --- Delegations ---------------------------------------------------------------------------------


def test_delegation_invitation_mails_a_personal_login_link_in_the_focal_points_language(event, organiser, mailbox):
    from majlis.accreditation.login_links import inspect_login_link

    with mailbox.commit():
        delegation = services.invite_delegation(
            event,
            make_organisation(name_en="Kazakhstan", kind="government", country="KZ"),
            kind="member_state",
            focal_point_email="focal@mfa.kz",
            language="ru",
            actor=organiser,
        )
    (message,) = mailbox.outbox
    assert message.to == ["focal@mfa.kz"]
    assert message.subject.startswith("Ташкент 2022: ")
    assert message.subject.endswith(expected("ru", "You are invited to register your delegation"))
    link = next(line for line in message.body.splitlines() if "/login/link/" in line).strip()
    assert link.startswith("https://majlis.example.uz/ru/account/login/link/")
    token = link.split("/login/link/")[1].split("/")[0]
    state = inspect_login_link(token)
    assert state.problem == "" and state.link.user.email == "focal@mfa.kz"
    assert token not in str(list(OutboxMessage.objects.values()))
    assert delegation.status == "invited"


def test_delegation_decisions_mail_the_focal_point(event, organiser, mailbox):
    from .test_services_delegations import submitted_delegation

    delegation = submitted_delegation(event, organiser)
    mailbox.outbox.clear()
    with mailbox.commit():
        services.reject_delegation(delegation, actor=organiser, reason="The note verbale is not signed.")
    (message,) = mailbox.outbox
    assert message.to == [delegation.focal_point_email]
    assert "The note verbale is not signed." in message.body
