"""Who may see what on the public programme pages beyond the published snapshot."""

from __future__ import annotations

from typing import Any

from majlis.core import capabilities


def can_see_stream(user: Any, event: Any) -> bool:
    """Whether the user may see the stream links of an event's sessions (``programme.view_streams``).

    Roles grant it (organisers, side-event organisers, journalists); accreditation extends the rule
    to the event's approved online participants (``accreditation.rules``), so the programme never
    asks accreditation directly. Every page that shows a stream link asks this function.
    """
    return capabilities.has(user, "programme.view_streams", event)
