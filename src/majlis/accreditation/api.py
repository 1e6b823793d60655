"""The accreditation API: the participant list, one participant, statistics, decisions, session seats.

Every endpoint needs a capability in the event (``event_operation``): ``accreditation.view`` to read,
``accreditation.decide`` to decide and to seat or invite people. Callers are signed-in sessions
(cookie; writes also the ``X-CSRFToken`` header) whose roles grant it, or API tokens of the event
with that scope; anonymous callers get 401, everyone else 403. The list uses the same filters and
search as the organisers' page (``queries.participants``) and decisions go through
``services.bulk_transition``. Passport data and gender are never part of a response. Reads of the
list and of one application are audited.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum, StrEnum
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from majlis.core import audit
from majlis.core.api_support import MAX_PAGE, ApiError, Error, ObjectId, not_found, page_of
from majlis.core.countries import country_name
from majlis.events.api_access import event_operation, request_event
from majlis.events.api_tokens import SESSION_OR_TOKEN
from majlis.events.models import Event

from . import queries, services, stats, workflow
from .models import Application, Category, Mode, SessionSeat

router = Router(tags=["accreditation"])

ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 500: Error}
MAX_PAGE_SIZE = 200
MAX_BULK = 500
MAX_SESSIONS_PER_REQUEST = 50


def enum_schema(choices: type[Enum], title: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": [c.value for c in choices], "title": title})


ApplicationStatus = Annotated[Application.Status, enum_schema(Application.Status, "ApplicationStatus")]
ParticipationMode = Annotated[Mode, enum_schema(Mode, "ParticipationMode")]
SeatStatus = Annotated[SessionSeat.Status, enum_schema(SessionSeat.Status, "SeatStatus")]


class BulkAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    WAITLIST = "waitlist"
    START_REVIEW = "start_review"
    WITHDRAW = "withdraw"


# --- Shapes --------------------------------------------------------------------------------------


class CategoryRef(Schema):
    code: str
    name: str
    colour: str


class DelegationRef(Schema):
    id: int
    name: str
    country: str


class SeatOut(Schema):
    session: int = Field(description="The programme session's id.")
    guid: str
    title: str
    status: SeatStatus


class ParticipantOut(Schema):
    id: int
    status: ApplicationStatus
    status_label: str
    category: CategoryRef
    delegation: DelegationRef | None
    is_head_of_delegation: bool
    honorific: str
    family_name: str = Field(description="As in the passport (Latin script).")
    given_names: str
    name_native: str = Field(description="The name in the person's own script (Cyrillic, Chinese …).")
    nationality: str = Field(description="ISO 3166-1 alpha-2 code.")
    nationality_name: str
    organisation: str
    position: str
    email: str
    phone: str
    language: str
    mode: ParticipationMode
    sessions: list[SeatOut]
    listed_publicly: bool
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_reason: str


class ParticipantDetailOut(ParticipantOut):
    interpretation_needs: str
    accessibility_needs: str
    dietary_needs: str
    arrival_at: datetime | None
    arrival_details: str
    departure_at: datetime | None
    departure_details: str
    has_photo: bool
    has_supporting_document: bool
    privacy_notice_version: int | None
    consented_at: datetime | None
    deletion_requested_at: datetime | None
    allowed_actions: list[BulkAction] = Field(
        description="The decisions the requesting user may take on this application now (the workflow's answer); "
        "the bulk operation refuses the others."
    )


class ParticipantListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ParticipantOut]


class BreakdownRowOut(Schema):
    key: str
    label: str
    total: int
    approved: int | None


class BreakdownOut(Schema):
    key: str
    title: str
    total: int
    rows: list[BreakdownRowOut]


class QuotaOut(Schema):
    category: str
    label: str
    quota: int | None
    in_person_approved: int


class SessionFiguresOut(Schema):
    session: int
    title: str
    capacity: int | None
    requested: int
    confirmed: int
    waitlisted: int


class StatisticsOut(Schema):
    total: int = Field(description="Every application, whatever its status.")
    active: int = Field(description="Submitted, under review, approved or waitlisted.")
    approved: int
    in_person_capacity: int | None
    in_person_approved: int
    by_status: BreakdownOut
    by_category: BreakdownOut
    by_nationality: BreakdownOut
    by_mode: BreakdownOut
    by_gender: BreakdownOut = Field(description="Totals only; 'undisclosed' counts 'prefer not to say'.")
    quotas: list[QuotaOut]
    sessions: list[SessionFiguresOut]


class BulkIn(Schema):
    action: BulkAction
    applications: list[ObjectId] = Field(
        description="Application ids of this event.", min_length=1, max_length=MAX_BULK
    )
    reason: str = Field("", max_length=2000, description="Required to reject or withdraw; mailed to the person.")


class SessionsIn(Schema):
    sessions: list[ObjectId] = Field(
        description="Programme session ids of this event.", min_length=1, max_length=MAX_SESSIONS_PER_REQUEST
    )


class SessionInvitationIn(Schema):
    session: ObjectId = Field(description="The programme session's id.")


class BulkResultOut(Schema):
    id: int
    ok: bool
    status: ApplicationStatus = Field(description="The status after the action.")
    error: str | None


class BulkOut(Schema):
    done: int
    failed: int
    results: list[BulkResultOut]


# --- Helpers -------------------------------------------------------------------------------------


def _local(value: datetime | None, event: Event) -> datetime | None:
    return timezone.localtime(value, event.tz) if value else None


def _participant(application: Application, event: Event) -> dict[str, Any]:
    delegation = application.delegation
    return {
        "id": application.pk,
        "status": application.status,
        "status_label": application.get_status_display(),
        "category": {
            "code": application.category.code,
            "name": application.category.name,
            "colour": application.category.colour,
        },
        "delegation": {"id": delegation.pk, "name": str(delegation.organisation), "country": delegation.country}
        if delegation
        else None,
        "is_head_of_delegation": application.is_head_of_delegation,
        "honorific": application.honorific,
        "family_name": application.family_name,
        "given_names": application.given_names,
        "name_native": application.name_native,
        "nationality": application.nationality,
        "nationality_name": country_name(application.nationality) or application.nationality,
        "organisation": application.organisation_name,
        "position": application.position,
        "email": application.email,
        "phone": application.phone,
        "language": application.language,
        "mode": application.mode,
        "sessions": [
            {
                "session": seat.session_id,
                "guid": str(seat.session.guid),
                "title": seat.session.title,
                "status": seat.status,
            }
            for seat in application.seats.all()
        ],
        "listed_publicly": application.listed_publicly,
        "submitted_at": _local(application.submitted_at, event),
        "decided_at": _local(application.decided_at, event),
        "decision_reason": application.decision_reason,
    }


def _participant_detail(application: Application, event: Event, actor: Any) -> dict[str, Any]:
    return {
        **_participant(application, event),
        "interpretation_needs": application.interpretation_needs,
        "accessibility_needs": application.accessibility_needs,
        "dietary_needs": application.dietary_needs,
        "arrival_at": _local(application.arrival_at, event),
        "arrival_details": application.arrival_details,
        "departure_at": _local(application.departure_at, event),
        "departure_details": application.departure_details,
        "has_photo": bool(application.photo),
        "has_supporting_document": bool(application.supporting_document),
        "privacy_notice_version": application.privacy_notice.version if application.privacy_notice else None,
        "consented_at": _local(application.consented_at, event),
        "deletion_requested_at": _local(application.deletion_requested_at, event),
        "allowed_actions": [t.name for t in workflow.allowed_actions(application, actor, workflow.DECISIONS)],
    }


def _invalid_parameter(name: str, message: str) -> ApiError:
    return ApiError(
        400,
        f"Invalid query parameter “{name}”: {message}",
        "invalid_parameters",
        [{"loc": ["query", name], "msg": message}],
    )


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/events/{slug}/accreditation/participants",
    response={200: ParticipantListOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="List and search the participants of an event",
)
@event_operation("accreditation.view")
def participant_list(
    request: HttpRequest,
    slug: str,
    status: list[ApplicationStatus] | None = Query(None, description="One or more statuses."),  # noqa: B008
    category: str | None = Query(None, description="A category code of the event, e.g. media."),  # noqa: B008
    delegation: ObjectId | None = Query(None, description="A delegation id."),  # noqa: B008
    nationality: str | None = Query(None, pattern=r"^[A-Za-z]{2}$", description="ISO country code."),  # noqa: B008
    mode: ParticipationMode | None = Query(None, description="in_person or online."),  # noqa: B008
    session: ObjectId | None = Query(None, description="Only those who asked for a seat in this session (its id)."),  # noqa: B008
    q: str = Query("", max_length=200, description="Words to find in names (any script), organisation, e-mail."),  # noqa: B008
    page: int = Query(1, ge=1, le=MAX_PAGE),  # noqa: B008
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),  # noqa: B008
) -> dict[str, Any]:
    """Applications of the event sorted by family name, filtered and searched as on the organisers' page.

    No passport data or gender is returned.
    """
    event = request_event(request)
    category_id = None
    if category:
        category_id = Category.objects.filter(event=event, code=category).values_list("pk", flat=True).first()
        if category_id is None:
            raise _invalid_parameter("category", f"This event has no category “{category}”.")
    filters = queries.ParticipantFilter(
        status=[getattr(s, "value", s) for s in status or []],
        category=category_id,
        delegation=delegation,
        nationality=(nationality or "").upper(),
        mode=getattr(mode, "value", mode) or "",
        session=session,
        q=q.strip(),
    )
    queryset = queries.participants(event, filters)
    listed = page_of(queryset, page, page_size, lambda application: _participant(application, event))
    audit.record(
        "accreditation.participants_listed",
        request=request,
        event_slug=event.slug,
        filters=filters.as_dict(),
        page=page,
        rows=len(listed["items"]),
        via="api",
    )
    return listed


@router.get(
    "/events/{slug}/accreditation/participants/{int:application_id}",
    response={200: ParticipantDetailOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Get one participant's application",
)
@event_operation("accreditation.view")
def participant_detail(request: HttpRequest, slug: str, application_id: ObjectId) -> dict[str, Any]:
    """Everything the organisers' page shows about one application, except the passport number."""
    event = request_event(request)
    application = queries.participant(event, application_id)
    if application is None:
        raise not_found(_("There is no application %(id)s in this event.") % {"id": application_id})
    audit.record("accreditation.application_viewed", request=request, obj=application, event_slug=event.slug, via="api")
    return _participant_detail(application, event, request.user)


@router.get(
    "/events/{slug}/accreditation/statistics",
    response={200: StatisticsOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Accreditation figures of an event",
)
@event_operation("accreditation.view")
def statistics(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Counts by status, category, nationality, participation mode and gender (totals only), seats per session."""
    event = request_event(request)
    return stats.statistics(event).as_dict()


@router.post(
    "/events/{slug}/accreditation/participants/bulk",
    response={200: BulkOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Approve, waitlist, review, reject or withdraw several applications",
)
@event_operation("accreditation.decide")
def bulk(request: HttpRequest, slug: str, payload: BulkIn) -> dict[str, Any]:
    """Applies one decision to each application in turn; the answer says how each went.

    An application that cannot take the action (say, approving a rejected one) is left as it is and
    reported with the reason; the others are changed. Approving takes an in-person seat or puts
    the person on the waitlist when the event or the category is full. Each person is mailed.
    """
    event = request_event(request)
    ids = list(dict.fromkeys(payload.applications))
    applications = list(Application.objects.filter(event=event, pk__in=ids).select_related("category", "event"))
    missing = sorted(set(ids) - {a.pk for a in applications})
    if missing:
        message = _("No such applications in this event: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        raise ApiError(400, message, "invalid_data", [{"loc": ["body", "applications"], "msg": message}])
    action = payload.action.value
    try:
        outcome = services.bulk_transition(
            applications, action, actor=request.user, reason=payload.reason.strip(), request=request
        )
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise ApiError(400, message, "invalid_data", [{"loc": ["body", "reason"], "msg": message}]) from None
    now = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))
    results = [
        {"id": application.pk, "ok": error is None, "status": now[application.pk], "error": error}
        for application, error in outcome
    ]
    failed = sum(1 for item in results if not item["ok"])
    return {"done": len(results) - failed, "failed": failed, "results": results}


# --- Session seats and invitations ---------------------------------------------------------------


def _application(event: Event, application_id: int) -> Application:
    application = queries.participant(event, application_id)
    if application is None:
        raise not_found(_("There is no application %(id)s in this event.") % {"id": application_id})
    return application


def _event_sessions(event: Event, ids: list[int], field: str) -> list[Any]:
    from majlis.programme.models import Session

    found = Session.objects.in_bulk([*dict.fromkeys(ids)])
    missing = [pk for pk in dict.fromkeys(ids) if pk not in found or found[pk].event_id != event.pk]
    if missing:
        message = _("No such sessions in this event: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        raise ApiError(400, message, "invalid_data", [{"loc": ["body", field], "msg": message}])
    return [found[pk] for pk in dict.fromkeys(ids)]


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


def _seat(seat: SessionSeat) -> dict[str, Any]:
    session = seat.session
    return {"session": seat.session_id, "guid": str(session.guid), "title": session.title, "status": seat.status}


@router.post(
    "/events/{slug}/accreditation/participants/{int:application_id}/sessions",
    response={200: list[SeatOut], **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Ask for seats in sessions for a participant",
)
@event_operation("accreditation.decide")
def request_seats(
    request: HttpRequest, slug: str, application_id: ObjectId, payload: SessionsIn
) -> list[dict[str, Any]]:
    """Asks for seats in side events or breakouts the person may attend, as the person could in their account.

    An approved application gets the seats at once (confirmed, or waitlisted when a session is full);
    others keep a request that is allocated on approval. A session restricted to other categories, or
    by invitation when the person is not invited, is refused with 400 and nothing is changed: invite the
    person instead (``session-invitations``).
    """
    event = request_event(request)
    application = _application(event, application_id)
    sessions = _event_sessions(event, payload.sessions, "sessions")
    try:
        seats = services.request_session_seats(application, sessions, actor=request.user, request=request)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return [_seat(seat) for seat in seats]


@router.post(
    "/events/{slug}/accreditation/participants/{int:application_id}/session-invitations",
    response={201: SeatOut, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Invite a participant to a session by hand",
)
@event_operation("accreditation.decide")
def invite_to_session(
    request: HttpRequest, slug: str, application_id: ObjectId, payload: SessionInvitationIn
) -> Status[dict[str, Any]]:
    """Invites the person to one session whatever its access rule; answers the seat it gives them.

    The seat is confirmed for an approved application when the session has room, waitlisted when it is
    full, and requested (allocated on approval) otherwise. The invitation is audited and the person
    mailed in their language. Inviting twice answers 400.
    """
    event = request_event(request)
    application = _application(event, application_id)
    (session,) = _event_sessions(event, [payload.session], "session")
    try:
        seat = services.invite_to_session(application, session, actor=request.user, request=request)
    except ValidationError as exc:
        raise _invalid(exc) from None
    seat.session = session
    return Status(201, _seat(seat))


@router.delete(
    "/events/{slug}/accreditation/participants/{int:application_id}/session-invitations/{int:session_id}",
    response={204: None, **ERRORS},
    auth=SESSION_OR_TOKEN,
    summary="Withdraw a participant's invitation to a session",
)
@event_operation("accreditation.decide")
def withdraw_session_invitation(
    request: HttpRequest, slug: str, application_id: ObjectId, session_id: ObjectId
) -> Status[None]:
    """Withdraws the invitation; a seat the person is then not eligible for is released (the session's
    waitlist moves up) and the person is mailed. 404 when there is no such invitation."""
    event = request_event(request)
    application = _application(event, application_id)
    invitation = application.session_invitations.filter(session_id=session_id).select_related("session").first()
    if invitation is None:
        raise not_found(_("This person is not invited to session %(id)s.") % {"id": session_id})
    services.withdraw_session_invitation(application, invitation.session, actor=request.user, request=request)
    return Status(204, None)
