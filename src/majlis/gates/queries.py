"""Reads of the gates: who a badge's holder is (for the gate's screen), the offline package of a zone,
the name search, the live attendance figures and the organisers' scan log.

Every function here costs a fixed number of queries, whatever the number of badges, scans or gates:
the attendance page polls every few seconds during the busiest hour of the conference.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone

from majlis.badges.models import Badge
from majlis.badges.services import public_keys, validity
from majlis.core.countries import country_name
from majlis.core.models import Honorific
from majlis.events.models import Event

from . import photos
from .models import Direction, Gate, Presence, Scan, Zone
from .services import refusal_message

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_RESULTS = 20
LIVE_MINUTES = 30


def with_holder(badges: QuerySet[Badge]) -> QuerySet[Badge]:
    return badges.select_related("category", "application", "application__delegation__organisation")


def holder(badge: Badge, photo: str | None) -> dict[str, Any]:
    """What the gate's screen shows of a badge's holder (never a passport, e-mail or phone)."""
    application = badge.application
    delegation = application.delegation
    organisation = delegation.organisation.name if delegation is not None else application.organisation_name
    country = (delegation.country if delegation is not None else "") or application.nationality
    return {
        "badge": badge.pk,
        "number": badge.number,
        "honorific": str(Honorific(application.honorific).label) if application.honorific else "",
        "name": f"{application.given_names} {application.family_name.upper()}".strip(),
        "name_native": application.name_native,
        "category": str(badge.category.name),
        "colour": badge.category.colour,
        "delegation": str(organisation or ""),
        "country": country_name(country) if country else "",
        "photo": photo,
    }


def holder_of(badge_id: int, event: Event) -> dict[str, Any] | None:
    badge = with_holder(Badge.objects.filter(pk=badge_id, event=event)).first()
    return holder(badge, photos.thumbnail(badge)) if badge is not None else None


# --- Offline package ----------------------------------------------------------------------------------


def allowed_badges(zone: Zone, category_ids: list[int]) -> QuerySet[Badge]:
    """Issued badges whose category may enter the zone."""
    return with_holder(
        Badge.objects.filter(event_id=zone.event_id, status=Badge.Status.ISSUED, category_id__in=category_ids)
    ).order_by("pk")


def offline_package(event: Event, zone: Zone) -> dict[str, Any]:
    """What a gate device needs to decide without the network: keys, revocations, its zone's allow-list."""
    import base64

    category_ids = sorted(category.pk for category in zone.categories.all())
    badges = list(allowed_badges(zone, category_ids))
    thumbs = photos.thumbnails(badges)
    revoked = list(
        Badge.objects.filter(event=event, status=Badge.Status.REVOKED).order_by("pk").values_list("pk", flat=True)
    )
    rows = []
    for badge in badges:
        row = holder(badge, thumbs.get(badge.pk))
        row["id"] = row.pop("badge")
        row["revision"] = badge.revision
        row["category_id"] = badge.category_id
        rows.append(row)
    return {
        "event": event.pk,
        "zone": {
            "id": zone.pk,
            "name": str(zone.name),
            "entry_once": zone.entry_once,
            "exit_scanning": zone.exit_scanning,
            "open_days": list(zone.open_days or []),
            "category_ids": category_ids,
        },
        "keys": [
            {
                "key_id": key.key_id,
                "public_key": base64.urlsafe_b64encode(bytes(key.public_key)).rstrip(b"=").decode("ascii"),
            }
            for key in public_keys(event)
        ],
        "revoked": revoked,
        "badges": rows,
        "generated_at": timezone.now(),
        "expires_at": validity(event)[1],
    }


# --- Name search --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^0*(\d{1,7})(?:-(\d{1,3}))?$")


def search(event: Event, text: str) -> list[Badge]:
    """Issued badges whose holder's names (any script) or badge number match every word of ``text``."""
    words = text.split()[:5]
    condition = Q()
    for word in words:
        condition &= (
            Q(application__given_names__icontains=word)
            | Q(application__family_name__icontains=word)
            | Q(application__name_native__icontains=word)
        )
    number = _NUMBER.match(text.strip())
    if number:
        condition |= Q(serial=int(number.group(1)))
    badges = with_holder(Badge.objects.filter(event=event, status=Badge.Status.ISSUED).filter(condition))
    return list(badges.order_by("application__family_name", "application__given_names", "pk")[:SEARCH_MAX_RESULTS])


# --- Live attendance ----------------------------------------------------------------------------------


@dataclass
class ZoneFigures:
    zone: Zone
    inside: int | None  # None: the zone does not scan exits, so nobody knows who left
    entered_today: int
    refused_today: int


@dataclass
class SessionFigures:
    session: Any
    zone: Zone
    running: bool
    entered: int  # different badges that entered the zone during the session (so far)
    inside: int | None  # while it runs, in a zone that scans exits


@dataclass
class GateFigures:
    gate: Gate | None
    zone: Zone
    per_minute: list[int]  # oldest first, the last LIVE_MINUTES minutes
    total: int = 0
    last_minute: int = 0
    peak: int = 0

    @property
    def last_five(self) -> int:
        return sum(self.per_minute[-5:])

    def bars(self, width: int = 4, height: int = 24) -> list[dict[str, int]]:
        """The minutes as the bars of a small chart (``x``, ``y``, ``height`` in its SVG units)."""
        top = max(self.peak, 1)
        bars = []
        for index, count in enumerate(self.per_minute):
            size = round(count * height / top) if count else 0
            bars.append({"x": index * width, "y": height - size, "height": size, "count": count})
        return bars


@dataclass
class RefusalFigures:
    reason: str
    label: str
    count: int


@dataclass
class Attendance:
    generated_at: datetime
    day: str
    zones: list[ZoneFigures] = field(default_factory=list)
    sessions: list[SessionFigures] = field(default_factory=list)
    gates: list[GateFigures] = field(default_factory=list)
    refusals: list[RefusalFigures] = field(default_factory=list)
    conflicts: int = 0


def attendance(event: Event, now: datetime | None = None) -> Attendance:
    """Who is inside each zone, who came to each session of today, scans per gate per minute, refusals."""
    from majlis.programme.models import Session

    now = now or timezone.now()
    today = timezone.localtime(now, event.tz).date()
    day_start = datetime.combine(today, time.min, tzinfo=event.tz)
    day_end = day_start + timedelta(days=1)
    zones = list(Zone.objects.filter(event=event).prefetch_related("gates"))
    by_id = {zone.pk: zone for zone in zones}
    figures = Attendance(generated_at=now, day=today.isoformat())
    if not zones:
        return figures

    inside = dict(
        Presence.objects.filter(zone__event=event, inside=True).values_list("zone").annotate(n=Count("id")).order_by()
    )
    today_scans = Scan.objects.filter(event=event, scanned_at__gte=day_start, scanned_at__lt=day_end)
    entered = dict(
        today_scans.filter(direction=Direction.ENTRY, result=Scan.Result.ACCEPTED)
        .values_list("zone")
        .annotate(n=Count("badge", distinct=True))
        .order_by()
    )
    refused = dict(
        today_scans.filter(result=Scan.Result.REFUSED).values_list("zone").annotate(n=Count("id")).order_by()
    )
    for zone in zones:
        figures.zones.append(
            ZoneFigures(
                zone=zone,
                inside=inside.get(zone.pk, 0) if zone.exit_scanning else None,
                entered_today=entered.get(zone.pk, 0),
                refused_today=refused.get(zone.pk, 0),
            )
        )

    # Sessions of today in the zones' rooms: who entered while each one ran (bucketed here, in one query).
    zones_by_room: dict[int, list[Zone]] = defaultdict(list)
    for zone in zones:
        if zone.room_id is not None:
            zones_by_room[zone.room_id].append(zone)
    if zones_by_room:
        sessions = list(
            Session.objects.filter(
                event=event,
                room_id__in=list(zones_by_room),
                starts_at__lt=day_end,
                ends_at__gt=day_start,
                is_cancelled=False,
            ).order_by("starts_at", "pk")
        )
        room_zone_ids = [zone.pk for room_zones in zones_by_room.values() for zone in room_zones]
        entries = list(
            today_scans.filter(
                zone_id__in=room_zone_ids, direction=Direction.ENTRY, result=Scan.Result.ACCEPTED, badge__isnull=False
            ).values_list("zone_id", "badge_id", "scanned_at")
        )
        for session in sessions:
            for zone in zones_by_room[session.room_id or 0]:
                came = {
                    badge
                    for zone_id, badge, at in entries
                    if zone_id == zone.pk and session.starts_at <= at < session.ends_at
                }
                running = session.starts_at <= now < session.ends_at
                figures.sessions.append(
                    SessionFigures(
                        session=session,
                        zone=zone,
                        running=running,
                        entered=len(came),
                        inside=inside.get(zone.pk, 0) if running and zone.exit_scanning else None,
                    )
                )

    # Scans per gate per minute, the last LIVE_MINUTES minutes (a scan without a gate counts for its zone).
    first_minute = now.replace(second=0, microsecond=0) - timedelta(minutes=LIVE_MINUTES - 1)
    per_gate: dict[tuple[int, int | None], list[int]] = {}
    for zone in zones:
        for gate in zone.gates.all():
            per_gate[(zone.pk, gate.pk)] = [0] * LIVE_MINUTES
    recent = (
        Scan.objects.filter(event=event, scanned_at__gte=first_minute, scanned_at__lte=now)
        .annotate(minute=TruncMinute("scanned_at"))
        .values_list("zone_id", "gate_id", "minute")
        .annotate(n=Count("id"))
        .order_by()
    )
    for zone_id, gate_id, minute, count in recent:
        index = int((minute - first_minute).total_seconds() // 60)
        if 0 <= index < LIVE_MINUTES and zone_id in by_id:
            per_gate.setdefault((zone_id, gate_id), [0] * LIVE_MINUTES)[index] += count
    gates_by_id = {gate.pk: gate for zone in zones for gate in zone.gates.all()}
    for (zone_id, gate_id), counts in per_gate.items():
        figures.gates.append(
            GateFigures(
                gate=gates_by_id.get(gate_id) if gate_id is not None else None,
                zone=by_id[zone_id],
                per_minute=counts,
                total=sum(counts),
                last_minute=counts[-1],
                peak=max(counts),
            )
        )

    refusals = today_scans.filter(result=Scan.Result.REFUSED).values_list("reason").annotate(n=Count("id"))
    figures.refusals = sorted(
        (RefusalFigures(reason=reason, label=refusal_message(reason), count=count) for reason, count in refusals),
        key=lambda row: (-row.count, row.reason),
    )
    figures.conflicts = unacknowledged_conflicts(event).count()
    return figures


# --- The organisers' lists ----------------------------------------------------------------------------


def scan_log(event: Event) -> QuerySet[Scan]:
    return Scan.objects.filter(event=event).select_related(
        "zone", "gate", "badge__application", "officer", "device", "conflict_acknowledged_by"
    )


def conflicts(event: Event) -> QuerySet[Scan]:
    return scan_log(event).exclude(conflict="")


def unacknowledged_conflicts(event: Event) -> QuerySet[Scan]:
    return Scan.objects.filter(event=event, conflict_acknowledged_at__isnull=True).exclude(conflict="")
