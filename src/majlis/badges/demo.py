"""Badges of the demo: every approved in-person participant of the demo conference (Tashkent 2022) and
of the practice conference holds one.

Approvals through the accreditation services issue badges by themselves (a signal, after the commit);
this loader brings every badge of the event in line with its accreditation anyway (``sync_badge``),
so that a database loaded before the badges existed, or an application written without the
services, gets its badge too, and a practice conference whose dates moved gets cards with the new
dates. A second run changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from majlis.accreditation.models import Application, Mode
from majlis.events.models import Event

from .models import Badge
from .services import sync_badge

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def load_demo_badges(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Issue, re-issue or revoke the badges of ``event`` that do not match the accreditations."""
    concerned = (
        Application.objects.filter(event=event)
        .filter(Q(status=Application.Status.APPROVED, mode=Mode.IN_PERSON) | Q(badges__status=Badge.Status.ISSUED))
        .distinct()
        .order_by("pk")
    )
    changed = 0
    for application in concerned:
        before = Badge.objects.filter(application=application, status=Badge.Status.ISSUED).values_list("pk", flat=True)
        was = before.first()
        badge = sync_badge(application)
        if (badge.pk if badge is not None else None) != was:
            changed += 1
    if stdout is not None:
        issued = Badge.objects.filter(event=event, status=Badge.Status.ISSUED).count()
        if changed:
            stdout.write(f"Badges of {event.slug}: {changed} issued or revoked; {issued} valid badges.\n")
        else:
            stdout.write(f"Badges of {event.slug} are already up to date: {issued} valid badges.\n")
    return bool(changed)
