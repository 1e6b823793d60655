"""Signals of the events app: the layers above it (accreditation, programme) set up their part of an event.

``event_created`` is sent by ``services.create_event`` inside its transaction, with the new
``event``, the earlier event it copies from (``source``, or None), the parts chosen for copying
(``copy``: a frozenset of ``services.COPY_PARTS`` codes), the ``actor`` and the ``request``.
A receiver that raises rolls the creation back.
"""

from typing import Any

from django.dispatch import Signal

event_created = Signal()


def delete_event_mail(sender: Any, *, instance: Any, **kwargs: Any) -> None:
    """An event's e-mails go with it (``core.OutboxMessage`` names its event by id, without a foreign key)."""
    from majlis.core.models import OutboxMessage

    OutboxMessage.objects.filter(event_id=instance.pk).delete()
