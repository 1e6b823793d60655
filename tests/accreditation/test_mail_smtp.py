"""E-mails through a real SMTP server (aiosmtpd on 127.0.0.1), in each participant's language.

The full approval flow runs for a Russian-speaking and an Uzbek-speaking participant with the
immediate task backend; then an SMTP server that is down: the failure is recorded, a retry succeeds
once the server is up, and running the task again never sends a second copy.
"""

from __future__ import annotations

import email
import socket
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation
from django.utils.translation import gettext

from majlis.accreditation import notifications, services
from majlis.accreditation.models import Application
from majlis.core import tasks
from majlis.core.models import OutboxMessage
from tests.factories import make_accreditation_event

from .services_helpers import PASSPORT, Mailbox, application_data, make_organiser

pytestmark = pytest.mark.django_db
S = Application.Status


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = free_port()
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    controller.start()
    recorder.controller = controller
    yield recorder
    controller.stop()


@pytest.fixture
def event(db):
    return make_accreditation_event(
        short_title_en="Tashkent 2022",
        short_title_ru="Ташкент 2022",
        short_title_uz="Toshkent 2022",
        title_ru="Конференция высокого уровня в Ташкенте",
        title_uz="Toshkentdagi yuqori darajadagi konferensiya",
    )


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def parts(message: Message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            found[part.get_content_type()] = part.get_payload(decode=True).decode(part.get_content_charset())
    return found


def expected(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def apply_and_approve(event, organiser, mailbox, *, language: str, address: str, passport: str) -> Application:
    data = application_data(event, email=address, language=language, passport_number=passport)
    with mailbox.commit():
        application = services.create_application(event, data=data, actor=None)
        services.submit_application(application, actor=None)
    with mailbox.commit():
        services.start_review(application, actor=organiser)
    with mailbox.commit():
        services.approve_application(application, actor=organiser, reason="")
    return application


def test_smtp_approval_flow_mails_each_participant_in_their_language(event, mailbox, smtp):
    organiser = make_organiser(event)
    apply_and_approve(event, organiser, mailbox, language="ru", address="ru@example.org", passport="RU7654321")
    apply_and_approve(event, organiser, mailbox, language="uz", address="uz@example.org", passport="UZ1234567")

    assert len(smtp.messages) == 6
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 6
    for language, address, short_title, title, passport in (
        ("ru", "ru@example.org", "Ташкент 2022", "Конференция высокого уровня в Ташкенте", "RU7654321"),
        ("uz", "uz@example.org", "Toshkent 2022", "Toshkentdagi yuqori darajadagi konferensiya", "UZ1234567"),
    ):
        received = [message for recipients, message in smtp.messages if recipients == [address]]
        assert [subject(m) for m in received] == [
            f"{short_title}: {expected(language, 'We have received your application')}",
            f"{short_title}: {expected(language, 'Your application is being reviewed')}",
            f"{short_title}: {expected(language, 'Your accreditation is approved')}",
        ]
        for message in received:
            assert message["To"] == address
            assert message["Content-Language"] == language
            body = parts(message)
            assert title in body["text/plain"] and title in body["text/html"]
            assert f'<html lang="{language}">' in body["text/html"]
            raw = message.as_string()
            assert passport not in raw and passport not in body["text/plain"] and passport not in body["text/html"]
        approved = parts(received[-1])["text/plain"]
        assert expected(
            language, "You will take part in person. Your badge will be ready at the accreditation desk."
        ) in (approved)


def test_smtp_down_then_up_sends_exactly_once(event, mailbox, smtp, settings):
    organiser = make_organiser(event)
    application = services.create_application(
        event,
        data=application_data(event, email="ru@example.org", language="ru", passport_number=PASSPORT),
        actor=None,
    )
    Application.objects.filter(pk=application.pk).update(status=S.UNDER_REVIEW)
    application.refresh_from_db()

    settings.EMAIL_PORT = free_port()  # nothing listens there
    with mailbox.commit():
        services.approve_application(application, actor=organiser)
    notification = OutboxMessage.objects.get()
    assert notification.status == OutboxMessage.Status.FAILED
    assert notification.attempts == 1
    assert notification.last_error and PASSPORT not in notification.last_error
    assert list(notifications.failed_notifications(event)) == [notification]
    assert smtp.messages == []

    settings.EMAIL_PORT = smtp.controller.port  # the server is up again
    with mailbox.commit():
        notifications.retry_notification(notification, actor=organiser)
    notification.refresh_from_db()
    assert notification.status == OutboxMessage.Status.SENT
    assert len(smtp.messages) == 1
    assert list(notifications.failed_notifications(event)) == []

    tasks.send_outbox_message.enqueue(notification.pk)
    tasks.send_outbox_message.call(notification.pk)
    assert len(smtp.messages) == 1
    ((recipients, message),) = smtp.messages
    assert recipients == ["ru@example.org"]
    assert subject(message).startswith("Ташкент 2022: ")
