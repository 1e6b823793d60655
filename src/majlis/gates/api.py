"""The gates API: zones, check-in (online and synchronised from offline), the offline package, the
name search and the live attendance figures.

Callers are a signed-in gate officer's browser (session cookie; writes also the ``X-CSRFToken``
header) or a gate device's API token (``Authorization: Bearer mjl_…``, scope ``gates.scan``). A
device token is bound to one zone (its ``zone`` holds the zone's id): it sees and scans that zone
only (403 ``other_zone`` for another; 403 ``device_without_zone`` for a scanning token bound to none).
Every decision is taken by ``services.record_scan``; the offline package, the name search and the
manual admissions are audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from majlis.core import audit
from majlis.core.api_support import ApiError, Error, ObjectId, not_found
from majlis.events.api_access import event_operation, request_event
from majlis.events.api_tokens import SESSION_OR_TOKEN, TokenPrincipal
from majlis.events.models import Event, EventApiToken

from . import photos, queries, services
from .models import Gate, Zone

router = Router(tags=["gates"])

ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 500: Error}
MAX_SYNC = 500
MAX_CODE_LENGTH = 500

Nonce = Annotated[
    str,
    Field(
        min_length=1,
        max_length=services.NONCE_MAX_LENGTH,
        pattern=r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$",
        description="Chosen by the scanning device, unique per scan (e.g. crypto.randomUUID()): a scan sent "
        "twice with the same nonce is recorded once.",
    ),
]
DirectionIn = Literal["entry", "exit"]
ResultValue = Literal["accepted", "refused"]


# --- Shapes --------------------------------------------------------------------------------------


class GateRef(Schema):
    id: int
    name: str


class ZoneOut(Schema):
    id: int
    name: str
    kind: str = Field(description="perimeter, plenary, meeting, bilateral, press, vip or other.")
    entry_once: bool = Field(description="A badge enters once; a second entry is refused (already_entered).")
    exit_scanning: bool = Field(description="Gates scan exits too (direction exit is accepted).")
    open_days: list[str] = Field(description="YYYY-MM-DD days the zone is open; empty: every day.")
    gates: list[GateRef]


class ZonesOut(Schema):
    zones: list[ZoneOut]


class HolderOut(Schema):
    """The holder of a genuine badge, as the gate's screen shows them. No passport, e-mail or phone."""

    badge: int
    number: str = Field(description="The number printed on the card, e.g. 0042 or 0042-2.")
    honorific: str
    name: str = Field(description="Given names and FAMILY NAME in Latin script.")
    name_native: str
    category: str
    colour: str = Field(description="The category's colour band, #rrggbb.")
    delegation: str = Field(description="The delegation's or organisation's name.")
    country: str
    photo: str | None = Field(description="A small JPEG as a data: URL, or null without a photo.")


class ScanIn(Schema):
    zone: ObjectId = Field(description="The zone the gate belongs to.")
    gate: ObjectId | None = Field(None, description="The gate, one of the zone's.")
    code: str | None = Field(None, max_length=MAX_CODE_LENGTH, description="The text read from the badge's QR code.")
    badge: ObjectId | None = Field(
        None,
        description="Instead of code: the badge id of a person found with the name search, admitted after the "
        "officer checked their identity document (recorded and audited as a manual admission).",
    )
    nonce: Nonce
    direction: DirectionIn = "entry"
    scanned_at: datetime | None = Field(
        None,
        description="When the badge was scanned (the device's clock; without an offset, the conference's local "
        "time); default now.",
    )


class ScanOut(Schema):
    result: ResultValue
    reason: str = Field(
        description="Empty when accepted, else a code: malformed, truncated, unsupported_version, unknown_key, "
        "key_withdrawn, other_event, forged, not_yet_valid, expired, unknown_badge, revoked, superseded (the "
        "badge), or category, closed_day, already_entered, session (the zone's rules)."
    )
    message: str = Field(description="A sentence for the gate's screen, in the request's language.")
    repeated: bool = Field(description="This nonce was recorded before: the earlier decision, nothing new recorded.")
    scan: int = Field(description="The recorded scan's id.")
    holder: HolderOut | None = Field(description="Only when the badge is genuine (its signature checked out).")


class SyncScanIn(Schema):
    code: str | None = Field(None, max_length=MAX_CODE_LENGTH)
    badge: ObjectId | None = None
    nonce: Nonce
    direction: DirectionIn = "entry"
    scanned_at: datetime = Field(description="The device's clock; without an offset, the conference's local time.")
    offline_result: ResultValue = Field(description="What the offline gate decided (the person went through or not).")


class SyncIn(Schema):
    zone: ObjectId
    gate: ObjectId | None = None
    scans: list[SyncScanIn] = Field(min_length=1, max_length=MAX_SYNC, description=f"At most {MAX_SYNC} per call.")


class ConflictOut(Schema):
    nonce: str
    reason: str = Field(description="What the server decided instead: a refusal code, or accepted.")
    message: str


class InvalidOut(Schema):
    nonce: str
    message: str


class SyncOut(Schema):
    recorded: int = Field(description="Scans recorded now.")
    repeated: int = Field(description="Scans whose nonce was already recorded (sent before): nothing new.")
    conflicts: list[ConflictOut] = Field(
        description="Offline decisions the server does not share (the organisers are told); the person's "
        "passage is recorded as decided offline."
    )
    invalid: list[InvalidOut] = Field(
        description="Scans that can never be recorded (e.g. an exit in a zone that does not scan exits): drop them."
    )


class PackageZone(Schema):
    id: int
    name: str
    entry_once: bool
    exit_scanning: bool
    open_days: list[str]
    category_ids: list[int]


class PackageKey(Schema):
    key_id: int = Field(description="First four bytes of SHA-256(public key), big-endian (as in the token).")
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64url without padding.")


class PackageBadge(Schema):
    id: int
    revision: int
    number: str
    honorific: str
    name: str
    name_native: str
    category: str
    category_id: int
    colour: str
    delegation: str
    country: str
    photo: str | None


class OfflinePackageOut(Schema):
    event: int
    zone: PackageZone
    keys: list[PackageKey]
    revoked: list[int] = Field(description="Ids of every revoked badge of the event: refuse them.")
    badges: list[PackageBadge] = Field(description="Issued badges whose category may enter the zone.")
    generated_at: datetime
    expires_at: datetime = Field(description="The end of the conference's last day: delete the package then.")


class SearchOut(Schema):
    results: list[HolderOut]


class ZoneFiguresOut(Schema):
    id: int
    name: str
    inside: int | None = Field(description="People inside now; null when the zone does not scan exits.")
    entered_today: int = Field(description="Different badges let in today.")
    refused_today: int


class SessionFiguresOut(Schema):
    id: int
    title: str
    zone: int
    starts_at: datetime
    ends_at: datetime
    running: bool
    entered: int = Field(description="Different badges that entered the session's zone while it ran (so far).")
    inside: int | None = Field(description="While it runs, in a zone that scans exits: people inside now.")


class GateFiguresOut(Schema):
    id: int | None = Field(description="null: scans recorded without a gate.")
    name: str
    zone: int
    per_minute: list[int] = Field(description="Scans per minute, the last 30 minutes, oldest first.")
    total: int


class RefusalOut(Schema):
    reason: str
    message: str
    count: int


class AttendanceOut(Schema):
    generated_at: datetime
    day: str
    zones: list[ZoneFiguresOut]
    sessions: list[SessionFiguresOut]
    gates: list[GateFiguresOut]
    refusals: list[RefusalOut] = Field(description="Refusals of today by reason, most frequent first.")
    conflicts: int = Field(description="Offline conflicts not yet acknowledged by the organisers.")


# --- Helpers -------------------------------------------------------------------------------------


def _device(request: HttpRequest) -> EventApiToken | None:
    user = request.user
    return user.token if isinstance(user, TokenPrincipal) else None


def _device_zone(request: HttpRequest) -> int | None:
    """The zone a calling gate device is bound to (``None`` for a person's session: every zone)."""
    device = _device(request)
    if device is None:
        return None
    zone_id = services.device_zone_id(device)
    if zone_id is None:
        raise ApiError(
            403,
            _(
                "This API token is bound to no zone, so it cannot be used at a gate: make a token for the "
                "device with its zone chosen."
            ),
            "device_without_zone",
        )
    return zone_id


def _zone(request: HttpRequest, event: Event, zone_id: int) -> Zone:
    bound = _device_zone(request)
    if bound is not None and bound != zone_id:
        raise ApiError(403, _("This gate device may only be used in its own zone."), "other_zone")
    zone = Zone.objects.filter(event=event, pk=zone_id).prefetch_related("categories").first()
    if zone is None:
        raise not_found(_("There is no zone %(id)d in this conference.") % {"id": zone_id})
    return zone


def _gate(zone: Zone, gate_id: int | None) -> Gate | None:
    if gate_id is None:
        return None
    gate = Gate.objects.filter(zone=zone, pk=gate_id).first()
    if gate is None:
        message = _("The zone “%(zone)s” has no gate %(id)d.") % {"zone": zone.name, "id": gate_id}
        raise ApiError(400, message, "invalid_data", [{"loc": ["body", "gate"], "msg": message}])
    return gate


def _invalid(error: ValidationError) -> ApiError:
    items: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            loc = ["body"] if name == NON_FIELD_ERRORS else ["body", name]
            items.extend({"loc": loc, "msg": message} for message in errors)
    else:
        items = [{"loc": ["body"], "msg": message} for message in error.messages]
    return ApiError(400, " ".join(str(item["msg"]) for item in items), "invalid_data", items)


def _one_of(code: str | None, badge: int | None) -> None:
    if (code is None) == (badge is None):
        message = _("Send either the badge's code or, after a name search, its badge id.")
        raise ApiError(400, message, "invalid_data", [{"loc": ["body", "code"], "msg": message}])


def _record(request: HttpRequest, event: Event, zone: Zone, gate: Gate | None, **scan: Any) -> services.ScanOutcome:
    device = _device(request)
    return services.record_scan(
        event,
        zone=zone,
        gate=gate,
        officer=None if device is not None else request.user,
        device=device,
        request=request,
        **scan,
    )


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/events/{slug}/gates/zones",
    response={200: ZonesOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="The zones and gates a caller may scan at",
)
@event_operation("gates.scan")
def zones(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The event's zones with their gates; a gate device's token sees its own zone only."""
    event = request_event(request)
    bound = _device_zone(request)
    found = Zone.objects.filter(event=event).prefetch_related("gates")
    if bound is not None:
        found = found.filter(pk=bound)
    return {
        "zones": [
            {
                "id": zone.pk,
                "name": str(zone.name),
                "kind": zone.kind,
                "entry_once": zone.entry_once,
                "exit_scanning": zone.exit_scanning,
                "open_days": list(zone.open_days or []),
                "gates": [{"id": gate.pk, "name": str(gate.name)} for gate in zone.gates.all()],
            }
            for zone in found
        ]
    }


@router.post(
    "/events/{slug}/gates/scans",
    response={200: ScanOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Check a badge in (or out) at a gate",
)
@event_operation("gates.scan")
def scan(request: HttpRequest, slug: str, payload: ScanIn) -> dict[str, Any]:
    """Verifies the badge's signed code (or takes the badge chosen after a name search), applies the
    zone's rules and records the scan with the gate, the officer or device and the time.

    Idempotent by ``nonce``: the same nonce again returns the first decision (``repeated``: true) and
    records nothing new. A refusal is an answer, not an error: 200 with ``result`` refused and the reason.
    """
    event = request_event(request)
    _one_of(payload.code, payload.badge)
    zone = _zone(request, event, payload.zone)
    gate = _gate(zone, payload.gate)
    try:
        outcome = _record(
            request,
            event,
            zone,
            gate,
            text=payload.code,
            badge=payload.badge,
            nonce=payload.nonce,
            direction=payload.direction,
            scanned_at=payload.scanned_at,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    except PermissionDenied as error:
        raise ApiError(403, str(error), "other_zone") from None
    badge = outcome.badge
    return {
        "result": outcome.scan.result,
        "reason": outcome.scan.reason,
        "message": outcome.message,
        "repeated": outcome.repeated,
        "scan": outcome.scan.pk,
        "holder": queries.holder(badge, photos.thumbnail(badge)) if badge is not None else None,
    }


@router.post(
    "/events/{slug}/gates/scans/sync",
    response={200: SyncOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Send the scans an offline gate made",
)
@event_operation("gates.scan")
def sync(request: HttpRequest, slug: str, payload: SyncIn) -> dict[str, Any]:
    """Records each queued scan as decided offline (``offline_result``), in the order sent.

    A scan the server would have decided otherwise (a badge revoked meanwhile, a second entry of a
    one-entry zone at another offline gate…) is a conflict: it is recorded as it happened, listed
    for the organisers, and returned here. Re-sending a queue is safe: known nonces are counted in
    ``repeated`` (with their conflicts again). Scans that can never be recorded are listed in ``invalid``.
    """
    event = request_event(request)
    zone = _zone(request, event, payload.zone)
    gate = _gate(zone, payload.gate)
    recorded = repeated = 0
    conflicts: list[dict[str, str]] = []
    invalid: list[dict[str, str]] = []
    for item in payload.scans:
        if (item.code is None) == (item.badge is None):
            invalid.append({"nonce": item.nonce, "message": _("Send either the badge's code or its badge id.")})
            continue
        try:
            outcome = _record(
                request,
                event,
                zone,
                gate,
                text=item.code,
                badge=item.badge,
                nonce=item.nonce,
                direction=item.direction,
                scanned_at=item.scanned_at,
                offline_result=item.offline_result,
            )
        except ValidationError as error:
            invalid.append({"nonce": item.nonce, "message": " ".join(error.messages)})
            continue
        if outcome.repeated:
            repeated += 1
        else:
            recorded += 1
        if outcome.scan.conflict:
            conflicts.append(
                {
                    "nonce": item.nonce,
                    "reason": outcome.scan.conflict,
                    "message": services.conflict_message(outcome.scan),
                }
            )
    return {"recorded": recorded, "repeated": repeated, "conflicts": conflicts, "invalid": invalid}


@router.get(
    "/events/{slug}/gates/zones/{int:zone_id}/offline-package",
    response={200: OfflinePackageOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Everything a gate of one zone needs to check badges offline",
)
@event_operation("gates.scan")
def offline_package(request: HttpRequest, slug: str, zone_id: ObjectId) -> dict[str, Any]:
    """The event's public keys, the ids of its revoked badges, and the allow-list of the zone: every
    issued badge whose category may enter it, with the holder's name, category and a small photo.

    It holds personal data: each download is audited; the device deletes it when the package expires
    (the end of the conference) or its token is revoked.
    """
    event = request_event(request)
    zone = _zone(request, event, zone_id)
    package = queries.offline_package(event, zone)
    audit.record(
        "gates.offline_package",
        request=request,
        obj=zone,
        event_slug=event.slug,
        zone=zone.pk,
        badges=len(package["badges"]),
        revoked=len(package["revoked"]),
    )
    return package


@router.get(
    "/events/{slug}/gates/search",
    response={200: SearchOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Find a badge holder by name or badge number",
)
@event_operation("gates.scan")
def search(
    request: HttpRequest,
    slug: str,
    zone: ObjectId = Query(..., description="The zone the search is made at."),  # noqa: B008
    q: str = Query(  # noqa: B008
        ...,
        min_length=queries.SEARCH_MIN_LENGTH,
        max_length=100,
        description="Names in any script, or the badge number (0042). At least two characters.",
    ),
) -> dict[str, Any]:
    """Issued badges whose holder's names contain every word of ``q`` (or whose number is ``q``), at
    most 20. For a person without their badge: the officer checks their identity document, then
    admits them with ``badge`` instead of ``code``. Audited (who looked up which badges)."""
    event = request_event(request)
    where = _zone(request, event, zone)
    text = q.strip()
    if len(text) < queries.SEARCH_MIN_LENGTH:
        message = _("Type at least %(count)d characters.") % {"count": queries.SEARCH_MIN_LENGTH}
        raise ApiError(400, message, "invalid_parameters", [{"loc": ["query", "q"], "msg": message}])
    badges = queries.search(event, text)
    thumbs = photos.thumbnails(badges)
    audit.record(
        "gates.holder_search",
        request=request,
        obj=where,
        event_slug=event.slug,
        zone=where.pk,
        results=[badge.number for badge in badges],
    )
    return {"results": [queries.holder(badge, thumbs.get(badge.pk)) for badge in badges]}


@router.get(
    "/events/{slug}/gates/attendance",
    response={200: AttendanceOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Live attendance: who is inside, scans per gate, refusals",
)
@event_operation("gates.manage")
def attendance(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Per zone, people inside now and badges let in today; per session of today in a zone's room,
    who came; scans per gate per minute over the last 30 minutes; today's refusals by reason; offline
    conflicts not yet acknowledged. Counts only: no names."""
    event = request_event(request)
    figures = queries.attendance(event)
    return {
        "generated_at": figures.generated_at,
        "day": figures.day,
        "zones": [
            {
                "id": row.zone.pk,
                "name": str(row.zone.name),
                "inside": row.inside,
                "entered_today": row.entered_today,
                "refused_today": row.refused_today,
            }
            for row in figures.zones
        ],
        "sessions": [
            {
                "id": row.session.pk,
                "title": str(row.session.title),
                "zone": row.zone.pk,
                "starts_at": row.session.starts_at,
                "ends_at": row.session.ends_at,
                "running": row.running,
                "entered": row.entered,
                "inside": row.inside,
            }
            for row in figures.sessions
        ],
        "gates": [
            {
                "id": row.gate.pk if row.gate is not None else None,
                "name": str(row.gate.name) if row.gate is not None else _("without a gate"),
                "zone": row.zone.pk,
                "per_minute": row.per_minute,
                "total": row.total,
            }
            for row in figures.gates
        ],
        "refusals": [{"reason": row.reason, "message": row.label, "count": row.count} for row in figures.refusals],
        "conflicts": figures.conflicts,
    }
