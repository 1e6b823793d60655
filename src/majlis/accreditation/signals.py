"""Accreditation's signals, and its part of a new event.

Signals sent by the services once their transaction commits (``majlis.core.signals.send_on_commit``),
for the apps above accreditation (badges, hybrid access, negotiations) to react without being
imported by it. Each is sent once per change, never for a change that was rolled back; the
``application`` or ``delegation`` is the instance as the service left it (re-read it to lock it).

- ``application_changed``: any recorded change of an application (submission, review, decision,
  promotion from the waiting list, edited data, …). Arguments: ``application``, ``action`` (the audit
  action without its ``accreditation.`` prefix, e.g. ``"approved"``, ``"updated"``), ``old_status``,
  ``new_status``, ``actor``.
- ``application_decided``: the status became a decided one (``DECIDED_STATUSES``: approved,
  waitlisted, rejected, cancelled, withdrawn), including a promotion from the waiting list. Sent
  after ``application_changed`` for the same change. Arguments: ``application``, ``old_status``,
  ``new_status``, ``actor``.
- ``delegation_decided``: the organisers approved or rejected a delegation's credentials.
  Arguments: ``delegation``, ``old_status``, ``new_status``, ``actor``.

``set_up_new_event`` is accreditation's receiver of ``events.signals.event_created`` (connected in
apps.py).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

application_changed = Signal()
application_decided = Signal()
delegation_decided = Signal()

DECIDED_STATUSES = frozenset({"approved", "waitlisted", "rejected", "cancelled", "withdrawn"})


def set_up_new_event(
    sender: Any,
    *,
    event: Any,
    source: Any = None,
    copy: Any = (),
    actor: Any = None,
    request: Any = None,
    **kwargs: Any,
) -> None:
    from . import services

    services.setup_new_event(event, source=source, copy=copy, actor=actor, request=request)


def release_ineligible_seats(
    sender: Any, *, session: Any, actor: Any = None, request: Any = None, **kwargs: Any
) -> None:
    """``programme.signals.session_access_changed``: seats of people the new rule leaves out are released."""
    from .services import release_ineligible_session_seats

    release_ineligible_session_seats(session, actor=actor, request=request)


def refuse_deleting_a_session_in_use(sender: Any, *, session: Any, **kwargs: Any) -> None:
    """Refuse deleting a session in which people hold a seat, wait for one, asked for one or are invited
    (deleting it would drop their seats without telling them): cancel it instead."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import SessionInvitation, SessionSeat

    if (
        SessionSeat.objects.filter(session=session).exists()
        or SessionInvitation.objects.filter(session=session).exists()
    ):
        raise ValidationError(
            _(
                "People hold seats in “%(session)s”, wait for one or are invited to it: cancel the session "
                "instead (it stays in the programme, marked cancelled), or release their seats first."
            ),
            params={"session": session.title},
            code="session_in_use",
        )


def promote_session_waitlist(sender: Any, *, session: Any, **kwargs: Any) -> None:
    """``programme.signals.session_capacity_grew``: the session's waitlist moves up into the new room."""
    from .services import promote_session_waitlist as promote

    promote(session)
