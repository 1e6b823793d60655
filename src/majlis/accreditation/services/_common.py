"""Shared pieces of the accreditation services: audit and mail helpers, row locks (transitions: ``workflow``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from majlis.core import audit
from majlis.core.models import AuditEntry
from majlis.core.signals import send_on_commit
from majlis.events.models import Event

from .. import capacity, notifications, signals
from ..models import (
    Application,
    Delegation,
    EventCapacity,
)

Status = Application.Status

# Changing any of these after a decision sends the application back to review.
KEY_FIELDS = frozenset(
    {
        "honorific",
        "position",
        "supporting_document",
        "family_name",
        "given_names",
        "name_native",
        "nationality",
        "category",
        "mode",
        "organisation_name",
        "photo",
        "passport_country",
        "passport_expiry",
    }
)
# Fields a caller may set through ``data``; everything else (status, dates of decisions, …) is the services'.
EDITABLE_FIELDS = frozenset(
    {
        "honorific",
        "family_name",
        "given_names",
        "name_native",
        "gender",
        "nationality",
        "organisation_name",
        "position",
        "email",
        "phone",
        "language",
        "category",
        "mode",
        "photo",
        "supporting_document",
        "supporting_document_name",
        "interpretation_needs",
        "accessibility_needs",
        "dietary_needs",
        "passport_expiry",
        "passport_country",
        "arrival_at",
        "arrival_details",
        "departure_at",
        "departure_details",
        "privacy_notice",
        "consented_at",
        "listed_publicly",
    }
)


class DuplicateApplication(ValidationError):
    """The person already has a live application for the event (same e-mail or same passport)."""


def acting_for(delegation: Delegation | None, actor: Any) -> dict[str, str]:
    """The audit data saying that ``actor`` acted on behalf of ``delegation``: empty unless they are
    one of its people (an organiser acting on a delegation acts for the organisers, not for it)."""
    if delegation is None or not delegation.roles_of(actor):
        return {}
    return {"on_behalf_of": f"accreditation.delegation:{delegation.pk}", "on_behalf_of_name": str(delegation)}


def _record(
    action: str,
    application: Application,
    *,
    actor: Any,
    request: Any,
    reason: str = "",
    was: str | None = None,
    **data: Any,
) -> AuditEntry:
    """Audit a change of ``application`` and announce it to other apps once the transaction commits.

    ``was`` is the status before the change (``previous_status`` when the audit entry records it;
    the current status when neither is given: the change kept the status)."""
    applicant_acting = application.user_id is not None and application.user_id == getattr(actor, "pk", None)
    if not applicant_acting and "on_behalf_of" not in data:
        data.update(acting_for(application.delegation if application.delegation_id else None, actor))
    entry = audit.record(
        f"accreditation.{action}",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        reason=reason,
        request=request,
        **data,
    )
    old_status = was or data.get("previous_status") or application.status
    announcement = {"application": application, "old_status": old_status, "new_status": application.status}
    send_on_commit(signals.application_changed, Application, action=action, actor=actor, **announcement)
    if application.status != old_status and application.status in signals.DECIDED_STATUSES:
        send_on_commit(signals.application_decided, Application, actor=actor, **announcement)
    return entry


def _mail(application: Application, template: str, entry: Any, *, session: Any = None) -> None:
    """Mail the participant about the change that ``entry`` (its audit entry) recorded, or about one
    ``session``. A member's invitation carries a link to the member's account, made here if need be."""
    if not application.email:
        return
    about = f"{session.pk}:" if session is not None else ""
    user = None
    if template == "member_invitation":
        user = application.user or user_for_email(application.email)
    notifications.queue(
        key=f"application:{application.pk}:{template}:{about}{entry.pk}",
        template=template,
        recipient=application.email,
        language=application.language,
        event=application.event,
        application=application,
        session=session,
        user=user,
    )


def _lock_application(event: Event, application: Application) -> tuple[EventCapacity, Application]:
    """Lock the event (always first), then the application; returns fresh copies."""
    event_capacity = capacity.lock_event(event)
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("event", "category").get(pk=application.pk)
    )
    return event_capacity, locked


def _lock_application_row(application: Application) -> Application:
    """Lock only the application (no seat moves): a fresh copy."""
    return (
        Application.objects.select_for_update(of=("self",)).select_related("event", "category").get(pk=application.pk)
    )


def _refresh_caller_copy(application: Application, fresh: Application) -> Application:
    """Callers keep their object: copy the new state onto it."""
    for field in fresh._meta.concrete_fields:
        setattr(application, field.attname, getattr(fresh, field.attname))
    application._state = fresh._state
    return application


def user_for_email(email: str) -> Any:
    """The account for an e-mail address, created (without a password: they log in by e-mail link) if new."""
    user_model = get_user_model()
    email = _normalise_email(email)
    user = user_model.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is not None:
        return user
    user, created = user_model.objects.get_or_create(username=email.lower()[:150], defaults={"email": email})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _normalise_email(value: str) -> str:
    return (value or "").strip()
