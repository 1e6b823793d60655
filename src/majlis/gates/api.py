"""The gates part of the JSON API (mounted at /api/v1/ by ``majlis.api``).

Operations 1–5 of /work/translations/CONTRACT-gates.md, written by the gate-page helper only so that
the gate page can be tested before the gates API lands: the merge prefers the gates API helper's
version of this file.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime, time, timedelta
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from majlis.badges.models import Badge
from majlis.badges.queries import face_for, issued_badges, revoked_badge_ids
from majlis.badges.services import public_keys, token_for
from majlis.core import audit
from majlis.core.api_support import ApiError, Error
from majlis.events.api_access import event_operation, request_event
from majlis.events.api_tokens import SESSION_OR_TOKEN, TokenPrincipal
from majlis.events.models import Event

from . import services
from .models import Gate, Scan, Zone

router = Router(tags=["gates"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}
PHOTO_SIZE = (72, 92)


class ScanIn(Schema):
    zone: int
    gate: int | None = None
    code: str | None = None
    badge: int | None = None
    nonce: str = Field(..., min_length=1, max_length=64)
    direction: Literal["entry", "exit"] = "entry"
    scanned_at: datetime | None = None


class SyncScanIn(Schema):
    code: str | None = None
    badge: int | None = None
    nonce: str = Field(..., min_length=1, max_length=64)
    direction: Literal["entry", "exit"] = "entry"
    scanned_at: datetime | None = None
    offline_result: Literal["accepted", "refused"]


class SyncIn(Schema):
    zone: int
    gate: int | None = None
    scans: list[SyncScanIn] = Field(..., max_length=500)


def _token_zone(request: HttpRequest) -> str | None:
    user = request.user
    return user.zone if isinstance(user, TokenPrincipal) else None


def _zones(request: HttpRequest, event: Event) -> list[Zone]:
    zones = list(Zone.objects.filter(event=event).prefetch_related("gates", "categories"))
    bound = _token_zone(request)
    if bound is not None:
        zones = [zone for zone in zones if bound in {str(zone.pk), zone.name}]
    return zones


def _zone(request: HttpRequest, event: Event, zone_id: int) -> Zone:
    zone = Zone.objects.filter(event=event, pk=zone_id).prefetch_related("categories").first()
    if zone is None:
        raise ApiError(404, _("There is no such zone in this event."), "not_found")
    bound = _token_zone(request)
    if bound is not None and bound not in {str(zone.pk), zone.name}:
        raise ApiError(403, _("This gate device may only scan in its own zone."), "forbidden")
    return zone


def _gate(zone: Zone, gate_id: int | None) -> Gate | None:
    if gate_id is None:
        return None
    gate = Gate.objects.filter(zone=zone, pk=gate_id).first()
    if gate is None:
        raise ApiError(400, _("There is no such gate in this zone."), "invalid_data")
    return gate


def _small_photo(data: bytes | None) -> str | None:
    if not data:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_SIZE)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=70)
    except OSError:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _holder(badge: Badge) -> dict[str, Any]:
    face = face_for(badge, get_language() or "en")
    return {
        "badge": badge.pk,
        "number": face.number,
        "honorific": face.honorific,
        "name": face.name_latin,
        "name_native": face.name_native,
        "category": face.category_label,
        "category_id": badge.category_id,
        "colour": face.category_colour,
        "delegation": face.organisation,
        "country": face.country,
        "photo": _small_photo(face.photo),
        "revision": badge.revision,
        "id": badge.pk,
    }


def _message(reason: str) -> str:
    from .views_scan import refusal_messages  # the words the gate page shows for its offline decisions

    return refusal_messages().get(reason, "")


def _text_for(event: Event, code: str | None, badge_id: int | None) -> str:
    if code:
        return code
    badge = Badge.objects.filter(event=event, pk=badge_id).select_related("key", "event").first()
    if badge is None:
        raise ApiError(400, _("There is no such badge in this event."), "invalid_data")
    return token_for(badge)


def _invalid(exc: ValidationError) -> ApiError:
    return ApiError(400, " ".join(exc.messages), "invalid_data")


@router.get("/events/{slug}/gates/zones", response={200: dict, **ERRORS}, auth=SESSION_OR_TOKEN)
@event_operation("gates.scan")
def zones(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The zones of the event and their gates (a gate device sees only its own zone)."""
    event = request_event(request)
    return {
        "zones": [
            {
                "id": zone.pk,
                "name": zone.name,
                "kind": zone.kind,
                "entry_once": zone.entry_once,
                "exit_scanning": zone.exit_scanning,
                "open_days": zone.open_days,
                "gates": [{"id": gate.pk, "name": gate.name} for gate in zone.gates.all()],
            }
            for zone in _zones(request, event)
        ]
    }


@router.post("/events/{slug}/gates/scans", response={200: dict, **ERRORS}, auth=SESSION_OR_TOKEN)
@event_operation("gates.scan")
def scan(request: HttpRequest, slug: str, payload: ScanIn) -> dict[str, Any]:
    """Decide and record one scan (idempotent by nonce)."""
    event = request_event(request)
    zone = _zone(request, event, payload.zone)
    gate = _gate(zone, payload.gate)
    if not payload.code and payload.badge is None:
        raise ApiError(400, _("Send the scanned code or the badge."), "invalid_data")
    text = _text_for(event, payload.code, payload.badge)
    user = request.user
    try:
        outcome = services.record_scan(
            event,
            zone=zone,
            text=text,
            nonce=payload.nonce,
            direction=payload.direction,
            gate=gate,
            officer=None if isinstance(user, TokenPrincipal) else user,
            device=user.token if isinstance(user, TokenPrincipal) else None,
            scanned_at=payload.scanned_at,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    record = outcome.scan
    genuine = outcome.verification.badge
    return {
        "result": record.result,
        "reason": record.reason,
        "message": _message(record.reason),
        "repeated": outcome.repeated,
        "scan": record.pk,
        "holder": _holder(genuine) if genuine is not None else None,
    }


@router.post("/events/{slug}/gates/scans/sync", response={200: dict, **ERRORS}, auth=SESSION_OR_TOKEN)
@event_operation("gates.scan")
def sync(request: HttpRequest, slug: str, payload: SyncIn) -> dict[str, Any]:
    """Record the scans an offline gate queued; a different server decision is a conflict."""
    event = request_event(request)
    zone = _zone(request, event, payload.zone)
    gate = _gate(zone, payload.gate)
    user = request.user
    recorded = repeated = 0
    conflicts = []
    for item in payload.scans:
        text = _text_for(event, item.code, item.badge) if (item.code or item.badge is not None) else ""
        try:
            outcome = services.record_scan(
                event,
                zone=zone,
                text=text,
                nonce=item.nonce,
                direction=item.direction,
                gate=gate,
                officer=None if isinstance(user, TokenPrincipal) else user,
                device=user.token if isinstance(user, TokenPrincipal) else None,
                scanned_at=item.scanned_at,
                offline_result=item.offline_result,
            )
        except ValidationError as exc:
            conflicts.append({"nonce": item.nonce, "reason": "invalid", "message": " ".join(exc.messages)})
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
                    "message": _message(outcome.scan.conflict) or _("accepted"),
                }
            )
    return {"recorded": recorded, "repeated": repeated, "conflicts": conflicts}


@router.get(
    "/events/{slug}/gates/zones/{int:zone_id}/offline-package", response={200: dict, **ERRORS}, auth=SESSION_OR_TOKEN
)
@event_operation("gates.scan")
def offline_package(request: HttpRequest, slug: str, zone_id: int) -> dict[str, Any]:
    """Everything a gate needs to decide offline in one zone: keys, revocations, the allow-list."""
    from django.utils import timezone

    event = request_event(request)
    zone = _zone(request, event, zone_id)
    category_ids = sorted(category.pk for category in zone.categories.all())
    badges = [_holder(badge) for badge in issued_badges(event.pk).filter(category_id__in=category_ids)]
    for holder in badges:
        holder.pop("badge")
    expires = datetime.combine(event.end_date + timedelta(days=1), time.min, tzinfo=event.tz)
    audit.record(
        "gates.offline_package", actor=request.user, obj=zone, event_slug=event.slug, request=request, badges=len(badges)
    )
    return {
        "event": event.pk,
        "zone": {
            "id": zone.pk,
            "name": zone.name,
            "entry_once": zone.entry_once,
            "exit_scanning": zone.exit_scanning,
            "open_days": zone.open_days,
            "category_ids": category_ids,
        },
        "keys": [
            {"key_id": key.key_id, "public_key": base64.urlsafe_b64encode(bytes(key.public_key)).rstrip(b"=").decode()}
            for key in public_keys(event)
            if key.verifies
        ],
        "revoked": revoked_badge_ids(event.pk),
        "badges": badges,
        "generated_at": timezone.now().isoformat(),
        "expires_at": expires.isoformat(),
    }


@router.get("/events/{slug}/gates/search", response={200: dict, **ERRORS}, auth=SESSION_OR_TOKEN)
@event_operation("gates.scan")
def search(request: HttpRequest, slug: str, zone: int, q: str) -> dict[str, Any]:
    """Issued badges by name or badge number (at least 2 characters, at most 20 results)."""
    event = request_event(request)
    zone_obj = _zone(request, event, zone)
    q = q.strip()
    if len(q) < 2:
        raise ApiError(400, _("Type at least two characters."), "invalid_data")
    serial = int(q.split("-")[0]) if q.split("-")[0].isdigit() else None
    found = issued_badges(event.pk).filter(
        Q(application__family_name__icontains=q)
        | Q(application__given_names__icontains=q)
        | Q(application__name_native__icontains=q)
        | Q(serial=serial)
    )[:20]
    audit.record("gates.search", actor=request.user, obj=zone_obj, event_slug=event.slug, request=request, q=q)
    return {"results": [_holder(badge) for badge in found]}


__all__ = ["router", "Scan"]
