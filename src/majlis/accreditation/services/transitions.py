"""Workflow transitions of an application: submit, review, approve, waitlist, reject, cancel, withdraw."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import capacity, workflow
from ..models import (
    Application,
    Delegation,
    EventCapacity,
    SupportingDocument,
)
from ._common import Status, _lock_application, _lock_application_row, _mail, _record, _refresh_caller_copy
from .applications import _validate
from .seats import _allocate_sessions, _promote, _release_sessions
from .setup import check_registration_open

# --- Workflow transitions ----------------------------------------------------------------------


def _check_ready_to_submit(application: Application) -> None:
    errors: dict[str, str] = {}
    if application.delegation_id is None and application.privacy_notice_id is None:
        errors["privacy_notice"] = _("Please read and accept the privacy notice to submit the application.")
    document = application.category.required_document
    if document and application.delegation_id is None and not application.supporting_document:
        missing: dict[str, str] = {
            SupportingDocument.NOTE_VERBALE: _("This category needs a note verbale: please upload it."),
            SupportingDocument.NOMINATION_LETTER: _("This category needs a nomination letter: please upload it."),
            SupportingDocument.PRESS_CARD: _("This category needs a press card: please upload it."),
        }
        errors["supporting_document"] = missing[document]
    if errors:
        raise ValidationError(errors)


def _check_credentials_approved(application: Application) -> None:
    """A delegation member is decided only after the organisers approved the delegation's credentials,
    whatever the category's approval rule: a focal point alone can never accredit anyone."""
    if application.delegation_id is None:
        return
    status = Delegation.objects.filter(pk=application.delegation_id).values_list("status", flat=True).get()
    if status != Delegation.Status.APPROVED:
        raise ValidationError(workflow.credentials_not_approved_message(), code="credentials_not_approved")


def _take_seat_or_waitlist(
    event_capacity: EventCapacity, application: Application, *, actor: Any, reason: str, request: Any
) -> Application:
    """Approve if a seat is free (or none is needed), otherwise waitlist. Event and application locked."""
    _check_credentials_approved(application)
    now = timezone.now()
    was = application.status
    if capacity.has_free_seat(event_capacity, application):
        application.status = Status.APPROVED
        application.decided_at = now
        application.decision_reason = reason
        application.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
        entry = _record("approved", application, actor=actor, request=request, reason=reason, previous_status=was)
        _allocate_sessions(application, None)
        _mail(application, "approved", entry)
    else:
        application.status = Status.WAITLISTED
        application.decided_at = now
        application.waitlisted_at = application.waitlisted_at or now
        application.decision_reason = reason
        application.save(update_fields=["status", "decided_at", "waitlisted_at", "decision_reason", "updated_at"])
        entry = _record(
            "waitlisted", application, actor=actor, request=request, reason=reason, previous_status=was, full=True
        )
        _mail(application, "waitlisted", entry)
    return application


def _takes_a_seat_on_submission(application: Application) -> bool:
    """Individual applicants in a category without approval are approved (or waitlisted) on submission."""
    return not application.category.needs_approval and application.delegation_id is None


@transaction.atomic
def submit_application(
    application: Application, *, actor: Any, request: Any = None, self_registration: bool = False
) -> Application:
    """draft → submitted; a category without approval goes straight to approved (or waitlisted when full).

    ``self_registration``: submitted by an individual, within the registration dates.
    """
    # Only a submission that takes a seat needs the event's capacity lock: one that waits for a decision
    # locks just its own row, so registrations do not queue behind seat allocations.
    if _takes_a_seat_on_submission(application):
        event_capacity: EventCapacity | None
        event_capacity, locked = _lock_application(application.event, application)
    else:
        event_capacity, locked = None, _lock_application_row(application)
        if _takes_a_seat_on_submission(locked):  # its category changed meanwhile: take the event lock too
            event_capacity = capacity.lock_event(locked.event)
    workflow.check("submit", locked)
    if self_registration:
        check_registration_open(locked.event, locked.category)
    _validate(locked.event, locked, complete=True)
    _check_ready_to_submit(locked)
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    entry = _record("submitted", locked, actor=actor, request=request, was=Status.DRAFT)
    # Only individual applicants skip approval in such a category: a delegation member always waits
    # for the organisers' decision (see _check_credentials_approved).
    if locked.category.needs_approval or locked.delegation_id is not None:
        _mail(locked, "received", entry)
    else:
        assert event_capacity is not None  # _takes_a_seat_on_submission(locked) held
        _take_seat_or_waitlist(event_capacity, locked, actor=actor, reason="", request=request)
    return _refresh_caller_copy(application, locked)


@transaction.atomic
def start_review(application: Application, *, actor: Any, request: Any = None) -> Application:
    _event_capacity, locked = _lock_application(application.event, application)
    workflow.check("start_review", locked)
    locked.status = Status.UNDER_REVIEW
    locked.save(update_fields=["status", "updated_at"])
    entry = _record("review_started", locked, actor=actor, request=request, was=Status.SUBMITTED)
    _mail(locked, "under_review", entry)
    return _refresh_caller_copy(application, locked)


@transaction.atomic
def approve_application(application: Application, *, actor: Any, reason: str = "", request: Any = None) -> Application:
    """Approve, taking an in-person seat under the event lock; when no seat is free, waitlist instead."""
    event_capacity, locked = _lock_application(application.event, application)
    workflow.check("approve", locked)
    from .delegation_tools import check_vetting_allows_approval

    check_vetting_allows_approval(locked)  # a member refused by the security services is never approved
    reason = (reason or "").strip()
    if locked.status == Status.WAITLISTED and not capacity.has_free_seat(event_capacity, locked):
        raise ValidationError(
            _("No in-person seat is free for this category; the application keeps its place on the waiting list."),
            code="full",
        )
    _take_seat_or_waitlist(event_capacity, locked, actor=actor, reason=reason, request=request)
    return _refresh_caller_copy(application, locked)


@transaction.atomic
def waitlist_application(application: Application, *, actor: Any, reason: str = "", request: Any = None) -> Application:
    _event_capacity, locked = _lock_application(application.event, application)
    workflow.check("waitlist", locked)
    _check_credentials_approved(locked)
    now = timezone.now()
    was = locked.status
    locked.status = Status.WAITLISTED
    locked.decided_at = now
    locked.waitlisted_at = now
    locked.decision_reason = (reason or "").strip()
    locked.save(update_fields=["status", "decided_at", "waitlisted_at", "decision_reason", "updated_at"])
    entry = _record("waitlisted", locked, actor=actor, request=request, reason=locked.decision_reason, was=was)
    _mail(locked, "waitlisted", entry)
    return _refresh_caller_copy(application, locked)


def _close(
    application: Application,
    *,
    action: str,
    status: str,
    audit_action: str,
    template: str,
    actor: Any,
    reason: str,
    request: Any,
) -> Application:
    event_capacity, locked = _lock_application(application.event, application)
    workflow.check(action, locked)
    held_seat = locked.holds_in_person_seat
    was = locked.status
    locked.status = status
    locked.decision_reason = reason
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    entry = _record(audit_action, locked, actor=actor, request=request, reason=reason, previous_status=was)
    _release_sessions(locked, keep_requests=False)
    if was != Status.DRAFT:
        _mail(locked, template, entry)
    if held_seat:
        _promote(event_capacity, actor=actor, request=request)
    return _refresh_caller_copy(application, locked)


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is sent to the participant.")})
    return reason


@transaction.atomic
def reject_application(application: Application, *, actor: Any, reason: str, request: Any = None) -> Application:
    return _close(
        application,
        action="reject",
        status=Status.REJECTED,
        audit_action="rejected",
        template="rejected",
        actor=actor,
        reason=_required_reason(reason),
        request=request,
    )


@transaction.atomic
def cancel_application(application: Application, *, actor: Any, request: Any = None) -> Application:
    """The participant (or their focal point) cancels; a seat held is given to the waitlist."""
    return _close(
        application,
        action="cancel",
        status=Status.CANCELLED,
        audit_action="cancelled",
        template="cancelled",
        actor=actor,
        reason="",
        request=request,
    )


@transaction.atomic
def withdraw_application(application: Application, *, actor: Any, reason: str, request: Any = None) -> Application:
    """An organiser withdraws an accreditation; a seat held is given to the waitlist."""
    return _close(
        application,
        action="withdraw",
        status=Status.WITHDRAWN,
        audit_action="withdrawn",
        template="withdrawn",
        actor=actor,
        reason=_required_reason(reason),
        request=request,
    )


BULK_ACTIONS: dict[str, Callable[..., Application]] = {
    "approve": approve_application,
    "reject": reject_application,
    "waitlist": waitlist_application,
    "start_review": start_review,
    "withdraw": withdraw_application,
}


def bulk_transition(
    applications: Iterable[Application], action: str, *, actor: Any, reason: str = "", request: Any = None
) -> list[tuple[Application, str | None]]:
    """Apply one action to many applications, each in its own transaction; returns per-item errors."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown bulk action {action!r}")
    if action in {"reject", "withdraw"}:
        _required_reason(reason)
    function = BULK_ACTIONS[action]
    results: list[tuple[Application, str | None]] = []
    for application in sorted(applications, key=lambda a: (a.submitted_at or a.created_at, a.pk)):
        kwargs: dict[str, Any] = {"actor": actor, "request": request}
        if action != "start_review":
            kwargs["reason"] = reason
        try:
            function(application, **kwargs)
        except ValidationError as error:
            results.append((application, " ".join(error.messages)))
        else:
            results.append((application, None))
    return results
