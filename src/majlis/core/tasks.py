"""Background tasks, run by ``majlis worker`` (or the worker ``majlis serve`` starts beside the web server)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django_tasks import task


@task()
def send_mail_task(
    subject: str,
    body: str,
    recipients: list[str],
    *,
    from_email: str | None = None,
    html_body: str | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """Send one e-mail through Django's mail backend; returns the number of messages sent (0 or 1)."""
    message = EmailMultiAlternatives(subject, body, from_email, recipients, reply_to=reply_to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


@task()
def send_outbox_message(message_id: int) -> str:
    """Send one e-mail of the outbox; idempotent (a sent message is never sent again), retried on failure."""
    from . import outbox

    if connection.vendor == "postgresql":
        with transaction.atomic():
            return outbox.deliver(message_id, lock=True)
    # SQLite has a single writer: holding a write transaction during an SMTP exchange would block the
    # web server, and there is only one worker, so no lock is needed.
    return outbox.deliver(message_id, lock=False)
