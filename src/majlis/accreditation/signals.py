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


def release_ineligible_seats(
    sender: Any, *, session: Any, actor: Any = None, request: Any = None, **kwargs: Any
) -> None:
    """``programme.signals.session_access_changed``: seats of people the new rule leaves out are released."""
    from .services import release_ineligible_session_seats

    release_ineligible_session_seats(session, actor=actor, request=request)
