"""The outbox: every e-mail of the platform, queued in a transaction and sent by a background task.

Apps register their e-mail templates in ``AppConfig.ready`` (``register(MailTemplate(...))``) and queue
messages with ``queue``: one ``OutboxMessage`` row whose unique ``key`` names the occurrence it
announces (so the same occurrence is never mailed twice), with a JSON ``context`` of ids and plain
strings only. The row and its task are written in the same transaction (database queue) or the task
is enqueued once the transaction commits (other backends).

The sender task (``majlis.core.tasks.send_outbox_message``) runs the send pipeline, ``deliver``:

1. lock the row (PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``, so two workers never send one
   message twice); a message already sent or given up is left alone;
2. ``prepare`` — the template's side-effectful step, if it has one, run in its own (nested)
   transaction: e.g. issue the one-time log-in link the message carries. What it returns (the link)
   is handed to the rendering and never stored;
3. render, in the recipient's language and the time zone the template names: the template's
   ``build_context`` turns the stored JSON into what the templates show and has no side effects (no
   user created, no link issued, no row written), so a preview renders the same way;
4. send; record the attempt. A failure is written on the row (``last_error``, what organisers see)
   and retried after ``RETRY_DELAYS_MINUTES``; after ``MAX_ATTEMPTS`` attempts the message is given
   up (``GAVE_UP``) until an organiser sends it again (``retry``). When the sending failed,
   ``discard`` undoes what ``prepare`` made (the link that never left is voided).

``requeue_stuck`` (the scheduler's ``core.requeue_stuck_emails`` job) enqueues again the messages
still waiting long after they were queued — a lost worker or task —; sending is idempotent, so a
duplicate task sends nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import OutboxMessage

MAX_ATTEMPTS = 5
# Minutes to wait before the next attempt after the 1st, 2nd, 3rd, 4th failure.
RETRY_DELAYS_MINUTES = (2, 10, 30, 120)
STUCK_AFTER = timedelta(minutes=30)
FAILED_STATUSES = (OutboxMessage.Status.FAILED, OutboxMessage.Status.GAVE_UP)

Status = OutboxMessage.Status


class DoNotSend(Exception):
    """Raised by a template's ``prepare`` when the message must not leave at all (e.g. the account
    may no longer log in by link): the message is given up at once, with the reason as its error."""


def _no_context(message: OutboxMessage) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class MailTemplate:
    """One registered e-mail.

    - ``subject(message, context)``: the subject, in the active language (the recipient's), from the
      built context;
    - ``text_template`` / ``html_template``: template paths (the HTML alternative is optional);
    - ``build_context(message)``: what the templates show, from ``message.context``; NO side effects;
    - ``prepare(message)``: the side-effectful step run by the sender before rendering (in the
      recipient's language); returns extra context that is never stored;
    - ``discard(message)``: undoes ``prepare`` when the message did not leave;
    - ``time_zone(message)``: the time zone dates are shown in (UTC when not given).
    """

    name: str
    subject: Callable[[OutboxMessage, dict[str, Any]], str]
    text_template: str
    html_template: str = ""
    build_context: Callable[[OutboxMessage], dict[str, Any]] = _no_context
    prepare: Callable[[OutboxMessage], dict[str, Any]] | None = None
    discard: Callable[[OutboxMessage], Any] | None = None
    time_zone: Callable[[OutboxMessage], tzinfo] | None = None


_registry: dict[str, MailTemplate] = {}


def register(template: MailTemplate) -> MailTemplate:
    """Register an e-mail template (from ``AppConfig.ready``). Registering the same one again is
    harmless; another template under a taken name is an error (names are global)."""
    known = _registry.get(template.name)
    if known is not None and known != template:
        raise ValueError(f"E-mail template {template.name!r} is already registered differently.")
    _registry[template.name] = template
    return template


def registered(name: str) -> MailTemplate:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"Unknown e-mail template {name!r}") from None


def registered_templates() -> list[str]:
    return sorted(_registry)


def related_key(obj: models.Model) -> str:
    """What ``OutboxMessage.related`` holds for ``obj``: ``"accreditation.application:42"``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def messages_about(obj: models.Model) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(related=related_key(obj))


def _check_context(context: dict[str, Any]) -> dict[str, Any]:
    """Only ids, plain strings, numbers, booleans and lists or dicts of them: what JSON keeps as is."""

    def plain(value: Any) -> bool:
        if value is None or isinstance(value, str | int | float | bool):
            return True
        if isinstance(value, list):
            return all(plain(item) for item in value)
        if isinstance(value, dict):
            return all(isinstance(key, str) and plain(item) for key, item in value.items())
        return False

    if not isinstance(context, dict) or not plain(context):
        raise TypeError("An e-mail's context holds ids and plain strings only (JSON), never objects.")
    copied: dict[str, Any] = json.loads(json.dumps(context))
    return copied


def queue(
    *,
    key: str,
    template: str,
    recipient: str,
    language: str,
    context: dict[str, Any] | None = None,
    event_id: int | None = None,
    related: str = "",
) -> OutboxMessage:
    """Record an e-mail to send and send it once the current transaction commits. Idempotent per
    ``key``: queueing the same key again returns the first message and sends nothing more."""
    registered(template)
    context = _check_context(context or {})
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "template": template,
            "recipient": recipient,
            "language": language,
            "context": context,
            "event_id": event_id,
            "related": related[:100],
        },
    )
    if created:
        enqueue(message)
    return message


def enqueue(message: OutboxMessage, *, run_after: datetime | None = None) -> None:
    """Hand the message to the task queue.

    With the database queue the task row is written in the current transaction, so the e-mail and
    its task are committed (or rolled back) together: nothing is lost between the two. Other
    backends (the immediate one in tests) run the task once the transaction has committed.
    """
    from .tasks import send_outbox_message

    message_id = message.pk
    task = send_outbox_message
    backend = task.get_backend()
    if run_after is not None and backend.supports_defer:
        task = task.using(run_after=run_after)
    if type(backend).__module__.startswith("django_tasks_db"):
        task.enqueue(message_id)
    else:
        transaction.on_commit(lambda: task.enqueue(message_id))


# --- Rendering (no side effects) --------------------------------------------------------------------


def render(message: OutboxMessage, extra: dict[str, Any] | None = None) -> EmailMultiAlternatives:
    """The e-mail as it leaves: subject, text and HTML in the recipient's language. Writes nothing;
    ``extra`` is what ``prepare`` made for this attempt (a log-in link)."""
    entry = registered(message.template)
    zone = entry.time_zone(message) if entry.time_zone is not None else UTC
    with translation.override(message.language), timezone.override(zone):
        context = entry.build_context(message)
        context.update(extra or {})
        subject = " ".join(str(entry.subject(message, context)).split())[:300]
        text = render_to_string(entry.text_template, context)
        html = render_to_string(entry.html_template, context) if entry.html_template else ""
    email = EmailMultiAlternatives(subject, text, None, [message.recipient])
    if html:
        email.attach_alternative(html, "text/html")
    email.extra_headers["Content-Language"] = message.language
    return email


# --- Sending ------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    index = min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1
    return timedelta(minutes=RETRY_DELAYS_MINUTES[index])


def mark_sent(message: OutboxMessage) -> None:
    message.status = Status.SENT
    message.attempts += 1
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "sent_at", "last_error", "subject"])


def mark_failed(message: OutboxMessage, error: BaseException, *, give_up: bool = False) -> bool:
    """Record a failed attempt; returns whether another attempt should be scheduled."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    give_up = give_up or message.attempts >= MAX_ATTEMPTS
    message.status = Status.GAVE_UP if give_up else Status.FAILED
    message.save(update_fields=["status", "attempts", "last_error", "subject"])
    return not give_up


def deliver(message_id: int, *, lock: bool) -> str:
    """The send pipeline for one message (see the module's docstring); returns its status.

    ``lock``: take the row with ``SELECT … FOR UPDATE SKIP LOCKED`` (call inside a transaction)."""
    query = OutboxMessage.objects.all()
    if lock:
        # Two workers holding the same message: the second one skips it instead of sending twice.
        query = query.select_for_update(skip_locked=True)
    message = query.filter(pk=message_id).first()
    if message is None:
        return "missing or being sent"
    if message.status in {Status.SENT, Status.GAVE_UP}:
        return message.status
    entry = registered(message.template)
    prepared = False
    try:
        extra: dict[str, Any] = {}
        if entry.prepare is not None:
            # A savepoint (PostgreSQL) or a short transaction of its own (SQLite, where holding a write
            # transaction during the SMTP exchange would block the web server).
            with transaction.atomic(), translation.override(message.language):
                extra = entry.prepare(message)
            prepared = True
        email = render(message, extra)
        message.subject = str(email.subject)
        email.send()
    except Exception as error:  # noqa: BLE001 - any failure is recorded for organisers and retried
        if prepared and entry.discard is not None:
            entry.discard(message)
        again = mark_failed(message, error, give_up=isinstance(error, DoNotSend))
        from .tasks import send_outbox_message

        if again and send_outbox_message.get_backend().supports_defer:
            # Without a backend that can defer (the immediate one in tests), organisers retry by hand.
            enqueue(message, run_after=timezone.now() + retry_delay(message.attempts))
        return message.status
    mark_sent(message)
    return message.status


def retry(message: OutboxMessage, *, actor: Any, request: Any = None, event_slug: str = "") -> OutboxMessage:
    """A person sends a failed e-mail again (same row, same key: it still cannot go out twice). Audited."""
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status == Status.SENT:
            raise ValidationError(_("This e-mail has already been sent."), code="sent")
        if locked.status == Status.QUEUED:
            raise ValidationError(_("This e-mail is already waiting to be sent."), code="queued")
        if locked.status == Status.GAVE_UP:
            # A fresh series of attempts, asked for by a person.
            locked.attempts = 0
        locked.status = Status.QUEUED
        locked.save(update_fields=["status", "attempts"])
        audit.record(
            "mail.retried", actor=actor, obj=locked, event_slug=event_slug, request=request, template=locked.template
        )
        enqueue(locked)
    message.status = locked.status
    message.attempts = locked.attempts
    return locked


def requeue_stuck(older_than: timedelta = STUCK_AFTER, *, now: datetime | None = None) -> int:
    """Enqueue again the e-mails still waiting long after they were queued (a worker lost, a backend
    changed); sending is idempotent, so a duplicate task sends nothing twice. Returns how many."""
    stuck = OutboxMessage.objects.filter(
        status=Status.QUEUED, created_at__lt=(now or timezone.now()) - older_than
    ).order_by("pk")
    count = 0
    for message in stuck:
        enqueue(message)
        count += 1
    return count


def requeue_stuck_emails(*, now: datetime) -> str:
    """The scheduler's ``core.requeue_stuck_emails`` job (registered in ``apps.py``)."""
    return f"{requeue_stuck(now=now)} e-mail(s) queued again"


def failed(*, event_id: int | None = None) -> QuerySet[OutboxMessage]:
    """E-mails that could not be sent (still retrying, or given up), newest first; of one event when
    ``event_id`` is given: what its organisers must see."""
    rows = OutboxMessage.objects.filter(status__in=FAILED_STATUSES)
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    return rows.order_by("-created_at", "-pk")
