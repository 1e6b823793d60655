"""Check-in at the gates, and the organisers' changes to zones and gates.

``record_scan`` decides and records every scan, online or synchronised from offline. It is
idempotent by nonce (a device retrying after a timeout, or re-sending its offline queue, records one
scan) and safe under concurrency: it locks the badge row before reading where the badge is, so two
gates of a one-entry zone scanning the same badge at once let it in once. A scan is made from a badge
code (``text``) or, after a name search, from a badge id (``badge``: a manual admission, flagged on
the scan and audited).

Zones, gates and the acknowledgement of offline conflicts change only here: one transactional,
audited function each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from majlis.accreditation import session_access
from majlis.accreditation.models import Category
from majlis.badges.models import Badge
from majlis.badges.services import VALID_BEFORE_OPENING
from majlis.badges.tokens import Refusal
from majlis.badges.verification import Verification, verify
from majlis.core import audit
from majlis.events.models import Event, EventApiToken, Room

from .models import Direction, Gate, Presence, Scan, Zone, ZoneRefusal

NONCE_MAX_LENGTH = 64

# What the gate officer reads when a genuine badge is kept out by the zone's rules.
ZONE_REFUSAL_MESSAGES = {
    ZoneRefusal.CATEGORY: gettext_lazy("This badge's category may not enter this zone."),
    ZoneRefusal.CLOSED_DAY: gettext_lazy("This badge is not valid in this zone today."),
    ZoneRefusal.ALREADY_ENTERED: gettext_lazy("This badge has already entered this zone: one entry per badge."),
    ZoneRefusal.SESSION: gettext_lazy("The session now in this room is not open to this badge holder."),
}


def refusal_message(reason: str) -> str:
    """The sentence for a refusal code (``badges.tokens.Refusal`` or ``ZoneRefusal``); '' for none."""
    from majlis.badges.verification import REFUSAL_LABELS

    if not reason:
        return ""
    if reason in ZoneRefusal.values:
        return str(ZONE_REFUSAL_MESSAGES[ZoneRefusal(reason)])
    if reason in Refusal.__members__.values():
        return str(REFUSAL_LABELS[Refusal(reason)])
    return reason


def scan_message(scan: Scan) -> str:
    """What the gate's screen says about a recorded scan."""
    if scan.result == Scan.Result.REFUSED:
        return refusal_message(scan.reason) or _("Refused.")
    if scan.direction == Direction.EXIT:
        return _("Exit recorded.")
    if scan.manual:
        return _("Admitted after a name search: entry recorded.")
    return _("Entry accepted.")


def conflict_message(scan: Scan) -> str:
    """What the organisers (and the syncing device) are told about an offline decision the server does not share."""
    if not scan.conflict:
        return ""
    if scan.conflict == Scan.Result.ACCEPTED:
        return _("Refused offline, but the badge would have been let in.")
    return _("Let in offline, but the badge should have been refused: %(reason)s") % {
        "reason": refusal_message(scan.conflict)
    }


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    verification: Verification
    repeated: bool  # the nonce was seen before: this is the earlier scan, nothing new was recorded

    @property
    def accepted(self) -> bool:
        return self.scan.result == Scan.Result.ACCEPTED

    @property
    def message(self) -> str:
        return scan_message(self.scan)

    @property
    def badge(self) -> Badge | None:
        """The genuine badge shown (its signature checked out, or chosen by name), even when refused."""
        return self.verification.badge


# --- Device tokens bound to one zone ---------------------------------------------------------------


def device_zone_id(device: EventApiToken | None) -> int | None:
    """The zone a gate device's token is bound to (its ``zone`` holds the zone's id as text)."""
    value = ((device.zone if device is not None else "") or "").strip()
    return int(value) if value.isdigit() else None


def token_zone_choices(event: Any) -> list[tuple[str, str]]:
    """The zones a new API token of ``event`` may be bound to (registered with the events app)."""
    return [(str(zone.pk), str(zone.name)) for zone in Zone.objects.filter(event=event)]


# --- Deciding a scan ---------------------------------------------------------------------------------


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

    running = list(
        Session.objects.filter(
            event_id=badge.event_id, room=zone.room_id, starts_at__lte=at, ends_at__gt=at, is_cancelled=False
        )
    )
    if not running:
        return True
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


def verify_badge_id(event: Event, badge_id: int, *, at: datetime, lock: bool = False) -> Verification:
    """A badge chosen by name (no code to check): is it the person's current badge, valid now?"""
    badges = Badge.objects.select_related("application", "category", "application__delegation")
    if lock:
        badges = badges.select_for_update(of=("self",))
    badge = badges.filter(pk=badge_id, event=event).first()
    if badge is None:
        return Verification(Refusal.UNKNOWN_BADGE)
    if badge.status != Badge.Status.ISSUED:
        newer = Badge.objects.filter(application_id=badge.application_id, status=Badge.Status.ISSUED).exists()
        return Verification(Refusal.SUPERSEDED if newer else Refusal.REVOKED, badge=badge)
    if at < badge.valid_from:
        return Verification(Refusal.NOT_YET_VALID, badge=badge)
    if at >= badge.valid_until:
        return Verification(Refusal.EXPIRED, badge=badge)
    return Verification(None, badge=badge)


def _verification(event: Event, text: str | None, badge_id: int | None, at: datetime, lock: bool) -> Verification:
    if badge_id is not None:
        return verify_badge_id(event, badge_id, at=at, lock=lock)
    return verify(event, text or "", at=at, lock=lock)


def record_scan(
    event: Event,
    *,
    zone: Zone,
    text: str | None = None,
    badge: Badge | int | None = None,
    nonce: str,
    direction: str = Direction.ENTRY,
    gate: Gate | None = None,
    officer: Any = None,
    device: EventApiToken | None = None,
    scanned_at: datetime | None = None,
    offline_result: str | None = None,
    request: HttpRequest | None = None,
) -> ScanOutcome:
    """Decide and record one scan of a badge code (``text``) or of a badge chosen by name (``badge``).

    ``offline_result`` is what an offline gate already decided (the person went through or not): it
    is kept as the scan's result, and a different server decision is recorded as the scan's conflict
    for the organisers. A gate device (``device``) may scan only at the zone its token is bound to.
    """
    nonce = _check_nonce(nonce)
    if (text is None) == (badge is None):
        raise ValidationError(_("A scan is of a badge code or, after a name search, of a badge: one of the two."))
    badge_id = badge.pk if isinstance(badge, Badge) else badge
    if zone.event_id != event.pk or (gate is not None and gate.zone_id != zone.pk):
        raise ValidationError(_("This gate or zone belongs to another event."))
    if device is not None and (device.event_id != event.pk or device_zone_id(device) != zone.pk):
        raise PermissionDenied(_("This gate device may scan only in the zone its token is bound to."))
    if direction not in Direction.values:
        raise ValidationError({"direction": _("A scan is an entry or an exit.")})
    if direction == Direction.EXIT and not zone.exit_scanning:
        raise ValidationError({"direction": _("This zone does not scan exits.")})
    if offline_result is not None and offline_result not in Scan.Result.values:
        raise ValidationError({"offline_result": _("An offline result is accepted or refused.")})
    now = timezone.now()
    if scanned_at is not None and timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, event.tz)  # a device clock without an offset: local time
    at = min(scanned_at or now, now)  # a device clock ahead of ours does not make a scan happen later
    earlier = Scan.objects.filter(event=event, nonce=nonce).first()
    if earlier is not None:
        return ScanOutcome(earlier, _verification(event, text, badge_id, at, lock=False), repeated=True)
    try:
        with transaction.atomic():
            return _decide_and_record(
                event, zone, gate, text, badge_id, nonce, direction, officer, device, at, offline_result, request
            )
    except IntegrityError:
        # The same nonce arrived twice at the same moment: the other request recorded it.
        earlier = Scan.objects.filter(event=event, nonce=nonce).first()
        if earlier is None:
            raise
        return ScanOutcome(earlier, _verification(event, text, badge_id, at, lock=False), repeated=True)


def _decide_and_record(
    event: Event,
    zone: Zone,
    gate: Gate | None,
    text: str | None,
    badge_id: int | None,
    nonce: str,
    direction: str,
    officer: Any,
    device: EventApiToken | None,
    at: datetime,
    offline_result: str | None,
    request: HttpRequest | None,
) -> ScanOutcome:
    verification = _verification(event, text, badge_id, at, lock=True)  # locks the badge row
    badge = verification.badge if verification.badge is not None and verification.badge.event_id == event.pk else None
    if badge is not None:
        badge.event = event  # the same row: spares a query for its time zone
    presence = None
    if verification.ok and badge is not None:
        presence, _created = Presence.objects.select_for_update().get_or_create(badge=badge, zone=zone)
        reason = zone_refusal(zone, badge, direction, at, presence)
    else:
        reason = verification.refusal.value if verification.refusal is not None else ""
    decided = Scan.Result.REFUSED if reason else Scan.Result.ACCEPTED
    result = offline_result or decided
    person = officer if getattr(officer, "is_authenticated", False) else None
    scan = Scan.objects.create(
        event=event,
        zone=zone,
        gate=gate,
        badge=badge,
        direction=direction,
        result=result,
        reason=reason,
        nonce=nonce,
        officer=person,
        device=device,
        scanned_at=at,
        offline=offline_result is not None,
        conflict=(reason or Scan.Result.ACCEPTED) if offline_result is not None and offline_result != decided else "",
        manual=badge_id is not None,
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
    if scan.manual:
        # No code was checked: the officer's judgement is on record, with who made it.
        audit.record(
            "gates.manual_admission",
            actor=person or (f"API token {device.name} ({device.prefix}…, #{device.pk})" if device else None),
            obj=scan,
            event_slug=event.slug,
            request=request,
            zone=zone.pk,
            gate=gate.pk if gate is not None else None,
            number=verification.badge.number if verification.badge is not None else "",
            direction=direction,
            result=result,
            why=reason,
            offline=scan.offline,
        )
    return ScanOutcome(scan, verification, repeated=False)


# --- Zones and gates -----------------------------------------------------------------------------------


def days_offered(event: Event) -> list[date]:
    """The days a zone may be open: from when badges become valid to the last day of the conference."""
    first = event.start_date - VALID_BEFORE_OPENING
    return [first + timedelta(days=n) for n in range((event.end_date - first).days + 1)]


def _check_zone(zone: Zone, categories: Iterable[Category]) -> list[Category]:
    event = zone.event
    errors: dict[str, list[str]] = {}
    if not (zone.name_en or "").strip():  # type: ignore[attr-defined]
        errors["name_en"] = [_("Give the zone a name in English (the other languages fall back to it).")]
    if zone.kind not in Zone.Kind.values:
        errors["kind"] = [_("Choose what kind of area the zone is.")]
    chosen = list(categories)
    if any(category.event_id != event.pk for category in chosen):
        errors["categories"] = [_("Choose categories of this conference only.")]
    if zone.room_id is not None:
        room = Room.objects.filter(pk=zone.room_id).first()
        if room is None or event.venue_id is None or room.venue_id != event.venue_id:
            errors["room"] = [_("Choose a room of the conference's venue.")]
    offered = {day.isoformat() for day in days_offered(event)}
    days = zone.open_days if isinstance(zone.open_days, list) else None
    if days is None or any(not isinstance(day, str) or day not in offered for day in days):
        errors["open_days"] = [
            _("Choose days from %(first)s to %(last)s (badges are valid from three days before the opening).")
            % {"first": min(offered), "last": max(offered)}
        ]
    else:
        zone.open_days = sorted(set(days))
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def save_zone(
    zone: Zone,
    *,
    categories: Iterable[Category],
    actor: Any,
    request: HttpRequest | None = None,
    changed: Iterable[str] = (),
) -> Zone:
    """Create or change a zone (``zone.event`` set), with the categories that may enter it."""
    chosen = _check_zone(zone, categories)
    created = zone.pk is None
    zone.save()
    before = set(zone.categories.values_list("pk", flat=True)) if not created else set()
    zone.categories.set(chosen)
    after = {category.pk for category in chosen}
    audit.record(
        "gates.zone_created" if created else "gates.zone_changed",
        actor=actor,
        obj=zone,
        event_slug=zone.event.slug,
        request=request,
        changed=sorted(set(changed) | ({"categories"} if before != after and not created else set())),
        categories=sorted(after),
        entry_once=zone.entry_once,
        exit_scanning=zone.exit_scanning,
        open_days=zone.open_days,
    )
    return zone


def zone_deletion_refusal(zone: Zone) -> str:
    """Why the zone cannot be deleted ('' when it can): scans are the record, devices are bound to it."""
    scans = Scan.objects.filter(zone=zone).count()
    if scans:
        return ngettext(
            "The zone has %(count)d recorded scan: it stays on record, so the zone cannot be deleted. "
            "Rename it or stop using its gates instead.",
            "The zone has %(count)d recorded scans: they stay on record, so the zone cannot be deleted. "
            "Rename it or stop using its gates instead.",
            scans,
        ) % {"count": scans}
    now = timezone.now()
    tokens = [
        token.name
        for token in EventApiToken.objects.filter(event_id=zone.event_id, zone=str(zone.pk), revoked_at__isnull=True)
        if token.state_at(now) == EventApiToken.State.ACTIVE
    ]
    if tokens:
        return _("Gate devices are bound to this zone: revoke their API tokens first (%(names)s).") % {
            "names": ", ".join(tokens)
        }
    return ""


@transaction.atomic
def delete_zone(zone: Zone, *, actor: Any, request: HttpRequest | None = None) -> None:
    locked = Zone.objects.select_for_update().select_related("event").get(pk=zone.pk)
    refusal = zone_deletion_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    audit.record(
        "gates.zone_deleted", actor=actor, obj=locked, event_slug=locked.event.slug, request=request, name=locked.name
    )
    locked.delete()


@transaction.atomic
def save_gate(gate: Gate, *, actor: Any, request: HttpRequest | None = None, changed: Iterable[str] = ()) -> Gate:
    """Create or change a gate (``gate.zone`` set)."""
    if not (gate.name_en or "").strip():  # type: ignore[attr-defined]
        raise ValidationError({"name_en": _("Give the gate a name in English, e.g. “North entrance”.")})
    created = gate.pk is None
    gate.save()
    audit.record(
        "gates.gate_created" if created else "gates.gate_changed",
        actor=actor,
        obj=gate,
        event_slug=gate.zone.event.slug,
        request=request,
        zone=gate.zone_id,
        changed=sorted(changed),
    )
    return gate


@transaction.atomic
def delete_gate(gate: Gate, *, actor: Any, request: HttpRequest | None = None) -> None:
    locked = Gate.objects.select_for_update().select_related("zone__event").get(pk=gate.pk)
    scans = Scan.objects.filter(gate=locked).count()
    if scans:
        raise ValidationError(
            ngettext(
                "The gate has %(count)d recorded scan: it stays on record, so the gate cannot be deleted.",
                "The gate has %(count)d recorded scans: they stay on record, so the gate cannot be deleted.",
                scans,
            )
            % {"count": scans}
        )
    audit.record(
        "gates.gate_deleted",
        actor=actor,
        obj=locked,
        event_slug=locked.zone.event.slug,
        request=request,
        zone=locked.zone_id,
        name=locked.name,
    )
    locked.delete()


@transaction.atomic
def acknowledge_conflict(scan: Scan, *, actor: Any, request: HttpRequest | None = None, note: str = "") -> Scan:
    """An organiser has seen an offline scan the server would have decided otherwise."""
    locked = Scan.objects.select_for_update(of=("self",)).select_related("event").get(pk=scan.pk)
    if not locked.conflict:
        raise ValidationError(_("This scan is not a conflict."))
    if locked.conflict_acknowledged_at is not None:
        return locked  # acknowledging twice changes nothing
    locked.conflict_acknowledged_at = timezone.now()
    locked.conflict_acknowledged_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(update_fields=["conflict_acknowledged_at", "conflict_acknowledged_by"])
    audit.record(
        "gates.conflict_acknowledged",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        reason=(note or "").strip()[:500],
        conflict=locked.conflict,
        badge=locked.badge_id,
    )
    return locked
