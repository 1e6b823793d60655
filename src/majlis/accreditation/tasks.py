"""Background work of accreditation: sending the e-mails that ``notifications.queue`` recorded."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from . import notifications
from .models import Notification


def _send(notification_id: int, *, lock: bool) -> str:
    query = Notification.objects.select_related("application", "event")
    if lock:
        # Two workers holding the same notification: the second one skips it instead of sending twice.
        query = query.select_for_update(skip_locked=True, of=("self",))
    notification = query.filter(pk=notification_id).first()
    if notification is None:
        return "missing or being sent"
    if notification.status in {Notification.Status.SENT, Notification.Status.GAVE_UP}:
        return notification.status
    try:
        notifications.build_message(notification).send()
    except Exception as error:  # noqa: BLE001 - any failure is recorded for organisers and retried
        again = notifications.mark_failed(notification, error)
        if again and send_notification.get_backend().supports_defer:
            # Without a backend that can defer (the immediate one in tests), organisers retry by hand.
            notifications.enqueue(
                notification, run_after=timezone.now() + notifications.retry_delay(notification.attempts)
            )
        return notification.status
    notifications.mark_sent(notification)
    return notification.status


@task()
def send_notification(notification_id: int) -> str:
    """Send one recorded e-mail; idempotent (a sent message is never sent again), retried on failure."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            return _send(notification_id, lock=True)
    # SQLite has a single writer: holding a write transaction during an SMTP exchange would block the
    # web server, and there is only one worker, so no lock is needed.
    return _send(notification_id, lock=False)
