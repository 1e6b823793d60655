"""The badges part of the JSON API (mounted at /api/v1/ by ``majlis.api``): the badge desk.

Every operation needs ``badges.issue`` in the event (``event_operation``): signed-in sessions
(writes also send the ``X-CSRFToken`` header) whose roles grant it, or API tokens of the event with
that scope. The list takes the desk's filters (``queries_desk.badges``); re-issuing, revoking and
handing over go through ``services``; one badge's PDF through ``services_printing.badge_pdf`` (noted
as printed and audited). Reads of the list and of one badge are audited. No passport data, e-mail
address or QR token is ever part of a response.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from majlis.accreditation.models import Category
from majlis.core import audit
from majlis.core.api_support import MAX_PAGE, ApiError, Error, ObjectId, not_found, page_of
from majlis.core.files import content_disposition
from majlis.events.api_access import event_operation, request_event
from majlis.events.api_tokens import SESSION_OR_TOKEN
from majlis.events.models import Event

from . import queries_desk, services, services_printing
from .models import Badge, IdentityDocument, PrintFormat, RevokeReason

router = Router(tags=["badges"])

ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 500: Error}
MAX_PAGE_SIZE = 200


def enum_schema(choices: type[Enum], title: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": [c.value for c in choices], "title": title})


BadgeStatus = Annotated[Badge.Status, enum_schema(Badge.Status, "BadgeStatus")]
BadgeRevokeReason = Annotated[RevokeReason, enum_schema(RevokeReason, "BadgeRevokeReason")]
CheckedDocument = Annotated[IdentityDocument, enum_schema(IdentityDocument, "IdentityDocument")]
PdfFormat = Annotated[PrintFormat, enum_schema(PrintFormat, "BadgeFormat")]


# --- Shapes --------------------------------------------------------------------------------------


class CategoryRef(Schema):
    code: str
    name: str
    colour: str


class DelegationRef(Schema):
    id: int
    name: str
    country: str


class BadgeOut(Schema):
    id: int
    number: str = Field(description="As printed on the card: 0042, or 0042-2 for the second badge of that number.")
    serial: int
    revision: int
    status: BadgeStatus
    status_label: str
    revoke_reason: BadgeRevokeReason | None
    application: int = Field(description="The accreditation application's id.")
    category: CategoryRef
    delegation: DelegationRef | None
    honorific: str
    family_name: str = Field(description="As in the passport (Latin script).")
    given_names: str
    name_native: str = Field(description="The name in the person's own script.")
    organisation: str
    has_photo: bool
    key_id: str = Field(description="The signing key's id, 8 hexadecimal digits.")
    valid_from: datetime
    valid_until: datetime
    issued_at: datetime
    revoked_at: datetime | None
    printed_at: datetime | None
    collected_at: datetime | None
    collector_document: CheckedDocument | None = Field(description="The identity document checked at hand-over.")
    collector_name: str = Field(description="Who collected the badge, when not the holder.")


class BadgeListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[BadgeOut]


class ReissueIn(Schema):
    note: str = Field("", max_length=1000, description="Kept in the audit log, e.g. where the badge was lost.")


class RevokeIn(Schema):
    note: str = Field(max_length=1000, description="Why the badge is revoked (required; kept in the audit log).")


class CollectedIn(Schema):
    document: CheckedDocument = Field(description="The photo identity document the desk checked.")
    collector_name: str = Field(
        "", max_length=200, description="Who collected the badge when not the holder (e.g. the focal point)."
    )


# --- Helpers -------------------------------------------------------------------------------------


def _local(value: datetime | None, event: Event) -> datetime | None:
    return timezone.localtime(value, event.tz) if value else None


def _badge_out(badge: Badge) -> dict[str, Any]:
    event = badge.event
    application = badge.application
    delegation = application.delegation
    return {
        "id": badge.pk,
        "number": badge.number,
        "serial": badge.serial,
        "revision": badge.revision,
        "status": badge.status,
        "status_label": badge.get_status_display(),
        "revoke_reason": badge.revoke_reason or None,
        "application": application.pk,
        "category": {"code": badge.category.code, "name": badge.category.name, "colour": badge.category.colour},
        "delegation": {"id": delegation.pk, "name": str(delegation.organisation), "country": delegation.country}
        if delegation
        else None,
        "honorific": application.honorific,
        "family_name": application.family_name,
        "given_names": application.given_names,
        "name_native": application.name_native,
        "organisation": str(delegation.organisation) if delegation else application.organisation_name,
        "has_photo": bool(application.photo),
        "key_id": badge.key.key_id_hex,
        "valid_from": _local(badge.valid_from, event),
        "valid_until": _local(badge.valid_until, event),
        "issued_at": _local(badge.issued_at, event),
        "revoked_at": _local(badge.revoked_at, event),
        "printed_at": _local(badge.printed_at, event),
        "collected_at": _local(badge.collected_at, event),
        "collector_document": badge.collector_document or None,
        "collector_name": badge.collector_name,
    }


def _invalid_parameter(name: str, message: str) -> ApiError:
    return ApiError(
        400,
        f"Invalid query parameter “{name}”: {message}",
        "invalid_parameters",
        [{"loc": ["query", name], "msg": message}],
    )


def _invalid(exc: ValidationError) -> ApiError:
    """A service's refusal as a 400 with the messages in the request's language, by field."""
    items: list[dict[str, Any]]
    if hasattr(exc, "error_dict"):
        items = [
            {"loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        items = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return ApiError(400, " ".join(item["msg"] for item in items), "invalid_data", items)


def _badge(event: Event, badge_id: int) -> Badge:
    badge = queries_desk.badge(event, badge_id)
    if badge is None:
        raise not_found(_("There is no badge %(id)s in this event.") % {"id": badge_id})
    return badge


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/events/{slug}/badges",
    response={200: BadgeListOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="List and search the badges of an event",
)
@event_operation("badges.issue")
def badge_list(
    request: HttpRequest,
    slug: str,
    status: BadgeStatus | None = Query(None, description="issued or revoked."),  # noqa: B008
    category: str | None = Query(None, description="A category code of the event, e.g. media."),  # noqa: B008
    delegation: ObjectId | None = Query(None, description="A delegation id."),  # noqa: B008
    printed: bool | None = Query(None, description="Printed (or downloaded) at least once, or never."),  # noqa: B008
    collected: bool | None = Query(None, description="Handed over at the desk, or not yet."),  # noqa: B008
    q: str = Query("", max_length=200, description="Names (any script), organisation, e-mail, or a badge number."),  # noqa: B008
    page: int = Query(1, ge=1, le=MAX_PAGE),  # noqa: B008
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),  # noqa: B008
) -> dict[str, Any]:
    """Badges of the event by number (each re-issue is a badge of its own), filtered as on the desk's page."""
    event = request_event(request)
    category_id = None
    if category:
        category_id = Category.objects.filter(event=event, code=category).values_list("pk", flat=True).first()
        if category_id is None:
            raise _invalid_parameter("category", f"This event has no category “{category}”.")
    filters = queries_desk.BadgeFilter(
        status=getattr(status, "value", status) or "",
        category=category_id,
        delegation=delegation,
        printed=_yes_no(printed),
        collected=_yes_no(collected),
        q=q.strip(),
    )
    queryset = queries_desk.badges(event, filters)
    listed = page_of(queryset, page, page_size, _badge_out)
    audit.record(
        "badges.listed",
        request=request,
        event_slug=event.slug,
        filters=filters.as_dict(),
        page=page,
        rows=len(listed["items"]),
        via="api",
    )
    return listed


@router.get(
    "/events/{slug}/badges/{int:badge_id}",
    response={200: BadgeOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Get one badge",
)
@event_operation("badges.issue")
def badge_detail(request: HttpRequest, slug: str, badge_id: ObjectId) -> dict[str, Any]:
    """One badge: its holder's names, category, status, and whether it was printed and handed over."""
    event = request_event(request)
    badge = _badge(event, badge_id)
    audit.record("badges.viewed", request=request, obj=badge, event_slug=event.slug, number=badge.number, via="api")
    return _badge_out(badge)


@router.get(
    "/events/{slug}/badges/{int:badge_id}/pdf",
    response=ERRORS,
    auth=SESSION_OR_TOKEN,
    summary="Download one badge as PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "The badge, ready to print (application/pdf).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@event_operation("badges.issue")
def badge_pdf(
    request: HttpRequest,
    slug: str,
    badge_id: ObjectId,
    format: PdfFormat = Query(PrintFormat.ID1, description="id1 (card printer), a6 or a4."),  # noqa: A002, B008
) -> HttpResponse:
    """The badge in the request's language (``?lang``), noted as printed and recorded in the audit log.
    A revoked badge is never printed (400)."""
    event = request_event(request)
    badge = _badge(event, badge_id)
    fmt = getattr(format, "value", format)
    try:
        data = services_printing.badge_pdf(
            badge, fmt, language=translation.get_language() or "en", actor=request.user, request=request
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"badge-{event.slug}-{badge.number}-{fmt}.pdf", "attachment")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/events/{slug}/badges/{int:badge_id}/reissue",
    response={201: BadgeOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Re-issue a lost badge",
)
@event_operation("badges.issue")
def badge_reissue(request: HttpRequest, slug: str, badge_id: ObjectId, payload: ReissueIn) -> Status[dict[str, Any]]:
    """The badge was reported lost: it is revoked (refused at every gate) and a new one with the next
    revision of the same number is issued; answers the new badge. A revoked badge answers 400."""
    event = request_event(request)
    badge = _badge(event, badge_id)
    try:
        new = services.reissue_lost(badge, actor=request.user, request=request, note=payload.note.strip())
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _badge_out(_badge(event, new.pk)))


@router.post(
    "/events/{slug}/badges/{int:badge_id}/revoke",
    response={200: BadgeOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Revoke a badge",
)
@event_operation("badges.issue")
def badge_revoke(request: HttpRequest, slug: str, badge_id: ObjectId, payload: RevokeIn) -> dict[str, Any]:
    """Takes the badge away without issuing another; ``note`` (why) is required. The accreditation itself
    is unchanged. A revoked badge answers 400."""
    event = request_event(request)
    badge = _badge(event, badge_id)
    try:
        services.revoke_badge(badge, actor=request.user, request=request, note=payload.note)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _badge_out(_badge(event, badge.pk))


@router.post(
    "/events/{slug}/badges/{int:badge_id}/collected",
    response={200: BadgeOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Record that a badge was handed over",
)
@event_operation("badges.issue")
def badge_collected(request: HttpRequest, slug: str, badge_id: ObjectId, payload: CollectedIn) -> dict[str, Any]:
    """The desk checked a photo identity document (``document``) and handed the badge over, to its
    holder or to ``collector_name``. A revoked badge, or one already handed over, answers 400."""
    event = request_event(request)
    badge = _badge(event, badge_id)
    try:
        services.mark_collected(
            badge,
            actor=request.user,
            request=request,
            document=getattr(payload.document, "value", payload.document),
            collector_name=payload.collector_name,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _badge_out(_badge(event, badge.pk))
