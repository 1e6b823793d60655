"""The core outbox: registry, JSON context, idempotency, the send pipeline, retries and giving up."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from majlis.core import outbox, tasks
from majlis.core.models import AuditEntry, OutboxMessage
from tests.factories import make_event, make_user

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailer(settings, django_capture_on_commit_callbacks):
    """Immediate tasks, locmem mail, in-memory templates for a test template ``test.greeting``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "test/greeting.txt": "Hello {{ name }}, code {{ code }}.",
                            "test/greeting.html": "<p>Hello {{ name }}</p>",
                        },
                    )
                ]
            },
        }
    ]
    mail.outbox = []
    calls: dict[str, int] = {"prepare": 0, "discard": 0}

    def prepare(message: OutboxMessage) -> dict:
        calls["prepare"] += 1
        if message.context.get("refuse"):
            raise outbox.DoNotSend("no longer allowed")
        return {"code": f"attempt-{calls['prepare']}"}

    def discard(message: OutboxMessage) -> None:
        calls["discard"] += 1

    outbox.register(
        outbox.MailTemplate(
            name="test.greeting",
            subject=lambda message, context: f"Greeting for {context['name']}",
            text_template="test/greeting.txt",
            html_template="test/greeting.html",
            build_context=lambda message: {"name": message.context.get("name", "")},
            prepare=prepare,
            discard=discard,
        )
    )
    yield {"capture": django_capture_on_commit_callbacks, "calls": calls}
    outbox._registry.pop("test.greeting", None)


def unreachable(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5


def queue(mailer, key="greeting:1", **context):
    with mailer["capture"](execute=True):
        return outbox.queue(
            key=key,
            template="test.greeting",
            recipient="p@example.org",
            language="ru",
            context={"name": "Dilnoza", **context},
        )


# --- Registry ------------------------------------------------------------------------------------------


def test_registry_knows_every_accreditation_template():
    from majlis.accreditation.notifications import LOGIN_LINK_TEMPLATE, SUBJECTS

    assert set(SUBJECTS) | {LOGIN_LINK_TEMPLATE} <= set(outbox.registered_templates())
    entry = outbox.registered("delegation_invitation")
    assert entry.prepare is not None and entry.discard is not None  # the link is issued before rendering
    assert outbox.registered("approved").prepare is None  # nothing to prepare: no link


def test_registering_again_is_harmless_but_another_template_under_a_taken_name_is_refused(mailer):
    entry = outbox.registered("test.greeting")
    outbox.register(entry)
    with pytest.raises(ValueError, match="already registered"):
        outbox.register(outbox.MailTemplate(name="test.greeting", subject=entry.subject, text_template="x.txt"))


def test_queue_refuses_an_unknown_template():
    with pytest.raises(LookupError):
        outbox.queue(key="k", template="no.such.mail", recipient="p@example.org", language="en")
    assert not OutboxMessage.objects.exists()


# --- JSON context and idempotency -------------------------------------------------------------------------


def test_context_round_trips_through_json(mailer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    context = {"name": "Dilnoza", "application": 42, "flags": [True, None], "nested": {"session": 7}}
    message = outbox.queue(
        key="k1", template="test.greeting", recipient="p@example.org", language="uz", context=context
    )
    message = OutboxMessage.objects.get(pk=message.pk)
    assert message.context == context
    assert message.language == "uz"
    assert message.subject == ""  # rendered when it leaves


def test_context_refuses_objects(mailer):
    with pytest.raises(TypeError, match="ids and plain strings"):
        outbox.queue(
            key="k2", template="test.greeting", recipient="p@example.org", language="en", context={"user": make_user()}
        )
    assert not OutboxMessage.objects.exists()


def test_the_same_key_queues_and_sends_once(mailer):
    first = queue(mailer)
    second = queue(mailer)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Greeting for Dilnoza"
    assert sent.body == "Hello Dilnoza, code attempt-1."
    assert sent.extra_headers["Content-Language"] == "ru"
    first.refresh_from_db()
    assert first.status == Status.SENT and first.attempts == 1 and first.subject == "Greeting for Dilnoza"
    # The task run again sends nothing more.
    assert tasks.send_outbox_message.call(first.pk) == Status.SENT
    assert len(mail.outbox) == 1


def test_an_unknown_language_falls_back_to_the_default(mailer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = outbox.queue(key="k3", template="test.greeting", recipient="p@example.org", language="xx")
    assert message.language == settings.LANGUAGE_CODE


# --- Failures, retries, giving up -------------------------------------------------------------------------


def test_a_failed_attempt_is_recorded_and_what_prepare_made_is_discarded(mailer, settings):
    unreachable(settings)
    message = queue(mailer)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert message.last_error
    assert mailer["calls"] == {"prepare": 1, "discard": 1}
    assert list(outbox.failed()) == [message]


def test_gives_up_after_max_attempts_and_then_stops(mailer, settings):
    unreachable(settings)
    message = queue(mailer)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        tasks.send_outbox_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == Status.GAVE_UP
    assert message.attempts == outbox.MAX_ATTEMPTS
    assert mailer["calls"]["prepare"] == outbox.MAX_ATTEMPTS  # nothing tried once given up


def test_retry_by_a_person_sends_once_and_is_audited(mailer, settings):
    unreachable(settings)
    message = queue(mailer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    organiser = make_user()
    with mailer["capture"](execute=True):
        outbox.retry(message, actor=organiser, event_slug="tashkent-2022")
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert mail.outbox[0].body == "Hello Dilnoza, code attempt-2."  # prepared again for this attempt
    entry = AuditEntry.objects.get(action="mail.retried")
    assert entry.actor == organiser and entry.event_slug == "tashkent-2022"
    with pytest.raises(ValidationError):
        outbox.retry(message, actor=organiser)
    assert len(mail.outbox) == 1


def test_retry_of_a_given_up_message_starts_a_fresh_series(mailer, settings):
    unreachable(settings)
    message = queue(mailer)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.GAVE_UP, attempts=outbox.MAX_ATTEMPTS)
    outbox.retry(message, actor=None)  # not run: the test's transaction never commits
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 0


def test_failed_retry_is_deferred_with_the_retry_delays(mailer, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    unreachable(settings)
    message = outbox.queue(key="k4", template="test.greeting", recipient="p@example.org", language="en")
    tasks.send_outbox_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    retry = DBTaskResult.objects.get(run_after__year__lt=9999)  # django_tasks_db stores "no delay" as 9999
    assert retry.task_path == "majlis.core.tasks.send_outbox_message"
    assert retry.run_after > timezone.now() + timedelta(minutes=1)
    assert [outbox.retry_delay(n) for n in range(1, 6)] == [timedelta(minutes=m) for m in (2, 10, 30, 120, 120)]


def test_prepare_may_refuse_the_message_which_is_given_up_at_once(mailer):
    message = queue(mailer, refuse=True)
    message.refresh_from_db()
    assert message.status == Status.GAVE_UP and message.attempts == 1
    assert "no longer allowed" in message.last_error
    assert mail.outbox == []
    assert mailer["calls"]["discard"] == 0  # prepare made nothing


def test_requeue_stuck_sends_old_queued_mail_once(mailer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = outbox.queue(key="k5", template="test.greeting", recipient="p@example.org", language="en")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert outbox.requeue_stuck() == 0  # recent: its task may still come
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with mailer["capture"](execute=True):
        assert outbox.requeue_stuck_emails(now=timezone.now()) == "1 e-mail(s) queued again"
    with mailer["capture"](execute=True):
        assert outbox.requeue_stuck() == 0
    assert len(mail.outbox) == 1


def test_failed_is_filtered_by_event_id(mailer, settings):
    unreachable(settings)
    mine, other = make_event(), make_event()
    with mailer["capture"](execute=True):
        for event in (mine, other):
            outbox.queue(
                key=f"k-{event.pk}",
                template="test.greeting",
                recipient="p@example.org",
                language="en",
                event_id=event.pk,
            )
    assert [m.event_id for m in outbox.failed(event_id=mine.pk)] == [mine.pk]


def test_an_events_mail_goes_with_the_event(mailer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    event, other = make_event(), make_event()
    outbox.queue(key="mine", template="test.greeting", recipient="p@example.org", language="en", event_id=event.pk)
    outbox.queue(key="other", template="test.greeting", recipient="p@example.org", language="en", event_id=other.pk)
    event.delete()
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["other"]


def test_related_key_and_its_parts():
    user = make_user()
    message = OutboxMessage(related=outbox.related_key(user))
    assert message.related == f"auth.user:{user.pk}"
    assert (message.related_label, message.related_pk) == ("auth.user", user.pk)
    assert OutboxMessage(related="").related_pk is None
