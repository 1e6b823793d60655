"""Every change to a programme: one transactional, audited function each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core import audit
from majlis.events.models import Event

from .models import ProgrammeVersion, SessionSpeaker
from .snapshot import build_snapshot


@transaction.atomic
def publish_programme(event: Event, *, actor: Any, note: str, request: Any = None) -> ProgrammeVersion:
    """Freeze the current draft as the next immutable version."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words what changed in this version.")})
    # Lock the event row so that two organisers publishing at once get consecutive numbers.
    Event.objects.select_for_update().get(pk=event.pk)
    last = ProgrammeVersion.objects.filter(event=event).aggregate(last=Max("number"))["last"] or 0
    version = ProgrammeVersion.objects.create(
        event=event,
        number=last + 1,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:500],
        snapshot=build_snapshot(event),
    )
    audit.record(
        "programme.published", actor=actor, obj=version, event_slug=event.slug, reason=note, request=request,
        version=version.number, sessions=len(version.snapshot["sessions"]),
    )
    return version


@transaction.atomic
def set_manual_position(
    appearance: SessionSpeaker, position: int | None, *, actor: Any, reason: str, request: Any = None
) -> SessionSpeaker:
    """Place a speaker by hand (1 = first), or give the place back to protocol order (None)."""
    appearance = SessionSpeaker.objects.select_for_update().get(pk=appearance.pk)
    reason = (reason or "").strip()
    if position is not None:
        if position < 1:
            raise ValidationError({"manual_position": _("Positions start at 1.")})
        if not reason:
            raise ValidationError({"override_reason": _("Give a reason for departing from protocol order.")})
    previous = appearance.manual_position
    appearance.manual_position = position
    appearance.override_reason = reason if position is not None else ""
    appearance.override_by = actor if position is not None and getattr(actor, "is_authenticated", False) else None
    appearance.override_at = timezone.now() if position is not None else None
    appearance.save(update_fields=["manual_position", "override_reason", "override_by", "override_at"])
    audit.record(
        "programme.speaker_order_overridden" if position is not None else "programme.speaker_order_restored",
        actor=actor, obj=appearance, event_slug=appearance.session.event.slug, reason=reason, request=request,
        previous=previous, position=position,
    )
    return appearance
