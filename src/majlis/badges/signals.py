"""Badges' signals and its receivers of accreditation's.

Sent after commit (``core.signals.send_on_commit``), for the gates to drop a revoked badge from
their allow-lists at once:

- ``badge_issued``: arguments ``badge``, ``actor``.
- ``badge_revoked``: arguments ``badge``, ``reason``, ``actor``.

``sync_on_application_change`` is the receiver of ``accreditation.signals.application_changed``
(approval, withdrawal, a changed category or name, a refused vetting…): it brings the person's
badge in line with their accreditation (``services.sync_badge``).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

badge_issued = Signal()
badge_revoked = Signal()


def sync_on_application_change(sender: Any, *, application: Any, actor: Any = None, **kwargs: Any) -> None:
    from .services import sync_badge

    sync_badge(application, actor=actor)
