"""Check-in at the gates: every scan is decided and recorded here, online or synchronised from offline.

``record_scan`` is idempotent by nonce (a device retrying after a timeout, or re-sending its offline
queue, records one scan) and safe under concurrency: it locks the badge row before reading where the
badge is, so two gates of a one-entry zone scanning the same badge at once let it in once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.accreditation import session_access
from majlis.badges.models import Badge
from majlis.badges.verification import Verification, verify
from majlis.events.models import Event, EventApiToken

from .models import Direction, Gate, Presence, Scan, Zone, ZoneRefusal

NONCE_MAX_LENGTH = 64


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    verification: Verification
    repeated: bool  # the nonce was seen before: this is the earlier scan, nothing new was recorded

    @property
    def accepted(self) -> bool:
        return self.scan.result == Scan.Result.ACCEPTED


def zone_refusal(zone: Zone, badge: Badge, direction: str, at: datetime, presence: Presence | None) -> str:
    """Why the zone's rules keep this genuine badge out ('' when they let it in)."""
    if direction == Direction.EXIT:
        return ""  # nobody is kept inside
    allowed = {category.pk for category in zone.categories.all()}
    if badge.category_id not in allowed:
        return ZoneRefusal.CATEGORY
    local_day = timezone.localtime(at, badge.event.tz).date().isoformat()
    if zone.open_days and local_day not in zone.open_days:
        return ZoneRefusal.CLOSED_DAY
    if zone.entry_once and presence is not None and presence.entries > 0:
        return ZoneRefusal.ALREADY_ENTERED
    if zone.room_id is not None and not _may_attend_session_now(zone, badge, at):
        return ZoneRefusal.SESSION
    return ""


def _may_attend_session_now(zone: Zone, badge: Badge, at: datetime) -> bool:
    from majlis.programme.models import Session

    running = Session.objects.filter(event=badge.event, room=zone.room, starts_at__lte=at, ends_at__gt=at)
    invited = session_access.invited_session_ids(badge.application)
    return all(
        session_access.is_eligible(session, category=badge.category, invited=session.pk in invited)
        for session in running
    )


def _check_nonce(nonce: str) -> str:
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > NONCE_MAX_LENGTH or not nonce.isascii() or not nonce.isprintable():
        raise ValidationError(
            {
                "nonce": _("Each scan needs a nonce of 1 to %(limit)d printable characters.")
                % {"limit": NONCE_MAX_LENGTH}
            }
        )
    return nonce


def record_scan(
    event: Event,
    *,
    zone: Zone,
    text: str,
    nonce: str,
    direction: str = Direction.ENTRY,
    gate: Gate | None = None,
    officer: Any = None,
    device: EventApiToken | None = None,
    scanned_at: datetime | None = None,
    offline_result: str | None = None,
) -> ScanOutcome:
    """Decide and record one scan. ``offline_result`` is what an offline gate already decided (the
    person went through or not): it is kept as the scan's result, and a different server decision
    is recorded as the scan's conflict for the organisers."""
    nonce = _check_nonce(nonce)
    if zone.event_id != event.pk or (gate is not None and gate.zone_id != zone.pk):
        raise ValidationError(_("This gate or zone belongs to another event."))
    if direction not in Direction.values:
        raise ValidationError({"direction": _("A scan is an entry or an exit.")})
    if direction == Direction.EXIT and not zone.exit_scanning:
        raise ValidationError({"direction": _("This zone does not scan exits.")})
    if offline_result is not None and offline_result not in Scan.Result.values:
        raise ValidationError({"offline_result": _("An offline result is accepted or refused.")})
    now = timezone.now()
    at = min(scanned_at or now, now)  # a device clock ahead of ours does not make a scan happen later
    earlier = Scan.objects.filter(event=event, nonce=nonce).select_related("badge").first()
    if earlier is not None:
        return ScanOutcome(earlier, verify(event, text, at=at), repeated=True)
    try:
        with transaction.atomic():
            return _decide_and_record(event, zone, gate, text, nonce, direction, officer, device, at, offline_result)
    except IntegrityError:
        # The same nonce arrived twice at the same moment: the other request recorded it.
        earlier = Scan.objects.filter(event=event, nonce=nonce).select_related("badge").first()
        if earlier is None:
            raise
        return ScanOutcome(earlier, verify(event, text, at=at), repeated=True)


def _decide_and_record(
    event: Event,
    zone: Zone,
    gate: Gate | None,
    text: str,
    nonce: str,
    direction: str,
    officer: Any,
    device: EventApiToken | None,
    at: datetime,
    offline_result: str | None,
) -> ScanOutcome:
    verification = verify(event, text, at=at, lock=True)  # locks the badge row
    badge = verification.badge if verification.badge is not None and verification.badge.event_id == event.pk else None
    presence = None
    if verification.ok and badge is not None:
        presence, _created = Presence.objects.select_for_update().get_or_create(badge=badge, zone=zone)
        reason = zone_refusal(zone, badge, direction, at, presence)
    else:
        reason = verification.refusal.value if verification.refusal is not None else ""
    decided = Scan.Result.REFUSED if reason else Scan.Result.ACCEPTED
    result = offline_result or decided
    scan = Scan.objects.create(
        event=event,
        zone=zone,
        gate=gate,
        badge=badge,
        direction=direction,
        result=result,
        reason=reason,
        nonce=nonce,
        officer=officer if getattr(officer, "is_authenticated", False) else None,
        device=device,
        scanned_at=at,
        offline=offline_result is not None,
        conflict=(reason or "accepted") if offline_result is not None and offline_result != decided else "",
    )
    if result == Scan.Result.ACCEPTED and presence is not None:
        if direction == Direction.ENTRY:
            presence.entries += 1
            presence.inside = True
            presence.first_entry_at = presence.first_entry_at or at
        else:
            presence.inside = False
        presence.last_movement_at = at
        presence.save(update_fields=["entries", "inside", "first_entry_at", "last_movement_at"])
    return ScanOutcome(scan, verification, repeated=False)
