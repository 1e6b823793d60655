"""Who may see what on the public programme pages beyond the published snapshot."""

from __future__ import annotations

from typing import Any

from majlis.events.rules import is_organiser


def can_see_stream(user: Any, event: Any) -> bool:
    """Whether the user may see the stream links of an event's sessions.

    For now only the event's organisers (and superusers). The accreditation work will add the
    accredited online participants here; every page that shows a stream link asks this function.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return is_organiser(user, event)
