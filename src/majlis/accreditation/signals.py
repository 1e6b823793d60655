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
