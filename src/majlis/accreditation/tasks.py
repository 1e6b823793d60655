"""Tasks queued before accreditation's e-mails moved to the core outbox.

E-mails are sent by ``majlis.core.tasks.send_outbox_message`` now. The rows moved to
``core.OutboxMessage`` kept their ids, so a task already waiting in the database queue at the
upgrade (with this path) still sends its message, once.
"""

from __future__ import annotations

from django_tasks import task

from majlis.core.tasks import send_outbox_message


@task()
def send_notification(notification_id: int) -> str:
    return send_outbox_message.call(notification_id)
