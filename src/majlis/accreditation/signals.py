"""Accreditation's part of a new event: called by ``events.signals.event_created`` (connected in apps.py)."""

from __future__ import annotations

from typing import Any


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
