"""What a person may ask about their data: all of it (JSON), or its deletion; and removal after the event.

``export_personal_data(user)`` gathers everything held about one account across events, including
the decrypted passport numbers (each decryption is written to the audit log).

``purge_event(event, now=...)`` removes the personal data of the event's applications once the
event's end date plus ``AccreditationSettings.retention_days`` has passed, and earlier for applications whose
owner asked for deletion (at once, unless they are approved for an event that has not ended yet:
then the day after it ends). What stays is what anonymous statistics need: category, status,
nationality, gender, participation mode, language, delegation and the session seats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from majlis.core import audit, crypto, outbox
from majlis.core.models import AuditEntry, OutboxMessage
from majlis.events.models import Event

from .models import (
    DEFAULT_RETENTION_DAYS,
    AccreditationSettings,
    Application,
    Delegation,
    DelegationDocument,
    DelegationMembership,
    LoginLink,
    SessionSeat,
    Vetting,
    VisaLetter,
)
from .services.passports import passport_number

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
APPLICATION_LABEL = Application._meta.label
PURGED_REPR = "personal data removed"

# Fields of an application that identify or describe the person, and the value each gets on purge.
PERSONAL_FIELDS: dict[str, Any] = {
    "honorific": "",
    "family_name": "",
    "given_names": "",
    "name_native": "",
    "organisation_name": "",
    "position": "",
    "email": "",
    "phone": "",
    "supporting_document_name": "",
    "interpretation_needs": "",
    "accessibility_needs": "",
    "dietary_needs": "",
    "passport_number_encrypted": None,
    "passport_number_digest": "",
    "passport_expiry": None,
    "passport_country": "",
    "arrival_at": None,
    "arrival_details": "",
    "departure_at": None,
    "departure_details": "",
    "decision_reason": "",
    "invitation_token_hash": "",
    "listed_publicly": False,
    "user": None,
}
FILE_FIELDS = ("photo", "supporting_document")
SENT_OR_ABANDONED = (OutboxMessage.Status.SENT, OutboxMessage.Status.GAVE_UP)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# --- Export ------------------------------------------------------------------------------------------


def export_personal_data(user: Any, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything held about ``user``, across events. Writes the export and each passport decryption
    to the audit log."""
    applications = list(
        Application.objects.filter(user=user)
        .select_related("event", "category", "delegation__organisation", "privacy_notice")
        .order_by("event__start_date", "pk")
    )
    seats = SessionSeat.objects.filter(application__in=applications).select_related("session").order_by("pk")
    seats_by_application: dict[int, list[SessionSeat]] = {}
    for seat in seats:
        seats_by_application.setdefault(seat.application_id, []).append(seat)

    notification_filter = Q(related__in=[outbox.related_key(application) for application in applications])
    if user.email:
        notification_filter |= Q(recipient__iexact=user.email)
    notifications = OutboxMessage.objects.filter(notification_filter).order_by("created_at", "pk")

    about = Q(object_type=user._meta.label, object_id=str(user.pk)) | Q(
        object_type=APPLICATION_LABEL, object_id__in=[str(a.pk) for a in applications]
    )
    audit_entries = list(AuditEntry.objects.filter(about).order_by("at", "pk"))

    data: dict[str, Any] = {
        "format": "majlis-personal-data",
        "version": EXPORT_FORMAT_VERSION,
        "generated_at": _iso(timezone.now()),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "roles": [
            {
                "event": role.event.slug,
                "role": role.role,
                "on_behalf_of": str(role.organisation) if role.organisation else None,
            }
            for role in user.event_roles.select_related("event", "organisation").order_by("pk")
        ],
        "delegations_as_focal_point": [
            {
                "event": delegation.event.slug,
                "organisation": str(delegation.organisation),
                "status": delegation.status,
                "focal_point_email": delegation.focal_point_email,
                "focal_point_language": delegation.focal_point_language,
            }
            for delegation in Delegation.objects.filter(memberships__user=user, memberships__role="focal_point")
            .select_related("event", "organisation")
            .order_by("pk")
        ],
        "applications": [
            _application_data(application, seats_by_application.get(application.pk, []), user, request)
            for application in applications
        ],
        "notifications": [
            {
                "subject": notification.subject,
                "recipient": notification.recipient,
                "language": notification.language,
                "status": notification.status,
                "created_at": _iso(notification.created_at),
                "sent_at": _iso(notification.sent_at),
            }
            for notification in notifications
        ],
        "login_links": [
            {
                "created_at": _iso(link.created_at),
                "expires_at": _iso(link.expires_at),
                "used_at": _iso(link.used_at),
                "requested_from": link.requested_from,
            }
            for link in LoginLink.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "audit_log": [
            {
                "at": _iso(entry.at),
                "action": entry.action,
                "by_you": entry.actor_id == user.pk,
                "object": entry.object_type,
                "reason": entry.reason,
                "ip_address": entry.ip_address if entry.actor_id == user.pk else None,
            }
            for entry in audit_entries
        ],
    }
    audit.record(
        "accreditation.personal_data_exported",
        actor=user,
        obj=user,
        request=request,
        applications=[a.pk for a in applications],
    )
    return data


def _application_data(
    application: Application, seats: list[SessionSeat], user: Any, request: HttpRequest | None
) -> dict[str, Any]:
    passport: str | None = None
    if application.passport_number_encrypted is not None:
        try:
            passport = passport_number(application, actor=user, request=request, purpose="personal data export")
        except crypto.DecryptionError:
            logger.error("Passport number of application %s cannot be decrypted for an export.", application.pk)
    return {
        "id": application.pk,
        "event": {
            "slug": application.event.slug,
            "title": str(application.event.title),
            "start_date": _iso(application.event.start_date),
            "end_date": _iso(application.event.end_date),
        },
        "category": {"code": application.category.code, "name": str(application.category.name)},
        "delegation": str(application.delegation.organisation) if application.delegation else None,
        "is_head_of_delegation": application.is_head_of_delegation,
        "status": application.status,
        "mode": application.mode,
        "honorific": application.honorific,
        "family_name": application.family_name,
        "given_names": application.given_names,
        "name_native": application.name_native,
        "gender": application.gender,
        "nationality": application.nationality,
        "organisation": application.organisation_name,
        "position": application.position,
        "email": application.email,
        "phone": application.phone,
        "language": application.language,
        "photo": _file_data(application.photo, "accreditation-files:photo", application.pk),
        "supporting_document": _file_data(
            application.supporting_document,
            "accreditation-files:document",
            application.pk,
            application.supporting_document_name,
        ),
        "sessions": [
            {
                "session": str(seat.session.title),
                "starts_at": _iso(seat.session.starts_at),
                "seat": seat.status,
                "requested_at": _iso(seat.created_at),
            }
            for seat in seats
        ],
        "interpretation_needs": application.interpretation_needs,
        "accessibility_needs": application.accessibility_needs,
        "dietary_needs": application.dietary_needs,
        "passport_number": passport,
        "passport_expiry": _iso(application.passport_expiry),
        "passport_country": application.passport_country,
        "arrival_at": _iso(application.arrival_at),
        "arrival_details": application.arrival_details,
        "departure_at": _iso(application.departure_at),
        "departure_details": application.departure_details,
        "privacy_notice_version": application.privacy_notice.version if application.privacy_notice else None,
        "consented_at": _iso(application.consented_at),
        "listed_publicly": application.listed_publicly,
        "created_at": _iso(application.created_at),
        "submitted_at": _iso(application.submitted_at),
        "decided_at": _iso(application.decided_at),
        "decision_reason": application.decision_reason,
        "waitlisted_at": _iso(application.waitlisted_at),
        "reference": application.reference,
        "visa_letter": _visa_letter_data(application),
        "deletion_requested_at": _iso(application.deletion_requested_at),
        "personal_data_purged_at": _iso(application.personal_data_purged_at),
    }


def _visa_letter_data(application: Application) -> dict[str, Any] | None:
    letter = VisaLetter.objects.filter(application=application).first()
    if letter is None:
        return None
    return {
        "reference": letter.reference,
        "embassy": letter.embassy,
        "passport_number_in_the_letter": letter.include_passport,
        "requested_at": _iso(letter.requested_at),
        "issued_at": _iso(letter.issued_at),
    }


def _file_data(file: Any, url_name: str, pk: int, original_name: str = "") -> dict[str, Any] | None:
    if not file:
        return None
    try:
        size: int | None = file.size
    except (FileNotFoundError, OSError):
        size = None
    return {
        "name": original_name or file.name.rsplit("/", 1)[-1],
        "size": size,
        "download": _url(url_name, **{"application": pk}),
    }


# --- Deletion requests ----------------------------------------------------------------------------------


def deletion_due(application: Application, now: datetime) -> bool:
    """A requested deletion happens at once, unless the person is approved for an event not over yet."""
    if application.deletion_requested_at is None or application.personal_data_purged_at is not None:
        return False
    if application.status == Application.Status.APPROVED:
        return timezone.localdate(now) > application.event.end_date
    return True


def deletion_date(application: Application) -> date | None:
    """The day a requested deletion will happen, if it is postponed until after the event."""
    if application.status == Application.Status.APPROVED:
        return application.event.end_date + timedelta(days=1)
    return None


def request_deletion(user: Any, *, request: HttpRequest | None = None, now: datetime | None = None) -> dict[str, int]:
    """The person asks for the deletion of their data: every application of theirs goes through
    ``services.request_deletion`` (cancelled if live, marked), then the ones that may go at once are
    purged. Returns counts: marked, purged, postponed."""
    from . import services

    now = now or timezone.now()
    counts = {"marked": 0, "purged": 0, "postponed": 0}
    pending = Application.objects.filter(user=user, personal_data_purged_at__isnull=True).select_related("event")
    for application in pending:
        if application.deletion_requested_at is None:
            # Cancels a live application (freeing its seats for the waitlist) and marks it.
            services.request_deletion(application, actor=user, request=request)
            application.refresh_from_db()
            counts["marked"] += 1
        if deletion_due(application, now):
            with transaction.atomic():
                locked = Application.objects.select_for_update().select_related("event").get(pk=application.pk)
                if deletion_due(locked, now):
                    purge_application(locked, now=now, reason="deletion requested", actor=user, request=request)
                    counts["purged"] += 1
        else:
            counts["postponed"] += 1
    return counts


# --- Purge ----------------------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    event: str
    retention_ends: date
    retention_passed: bool
    applications: int = 0
    deletion_requests: int = 0
    files: int = 0
    delegation_documents: int = 0
    delegations: int = 0
    dry_run: bool = False
    application_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "retention_ends": self.retention_ends.isoformat(),
            "retention_passed": self.retention_passed,
            "applications": self.applications,
            "deletion_requests": self.deletion_requests,
            "files": self.files,
            "delegation_documents": self.delegation_documents,
            "delegations": self.delegations,
            "dry_run": self.dry_run,
        }


def retention_days(event: Event) -> int:
    days = AccreditationSettings.objects.filter(event=event).values_list("retention_days", flat=True).first()
    return days if days is not None else DEFAULT_RETENTION_DAYS


def retention_ends(event: Event) -> date:
    """The last day personal data of the event is kept; it goes on the day after."""
    return event.end_date + timedelta(days=retention_days(event))


def purge_application(
    application: Application,
    *,
    now: datetime,
    reason: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> int:
    """Blank the person's data on one application (call with the row locked) and delete its files.

    Returns the number of files deleted. The audit entries about the application stop naming the
    person; the e-mail records keep their subject and times but lose the address.
    """
    files = [getattr(application, name) for name in FILE_FIELDS if getattr(application, name)]
    stored = [(file.storage, file.name) for file in files]
    for name, value in PERSONAL_FIELDS.items():
        setattr(application, name, value)
    for name in FILE_FIELDS:
        setattr(application, name, "")
    application.personal_data_purged_at = now
    application.save()
    Vetting.objects.filter(application=application).delete()  # the security services' assessment goes too
    # An e-mail still to be sent (the "cancelled" one a deletion request causes) keeps its address
    # until it leaves; ``purge_event`` clears it afterwards.
    outbox.messages_about(application).filter(status__in=SENT_OR_ABANDONED).update(recipient="")
    VisaLetter.objects.filter(application=application).update(embassy="", include_passport=False)
    audit.redact(
        AuditEntry.objects.filter(object_type=APPLICATION_LABEL, object_id=str(application.pk)),
        f"#{application.pk} ({PURGED_REPR})",
    )
    deleted = 0
    for storage, name in stored:
        if storage.exists(name):
            storage.delete(name)
            deleted += 1
    audit.record(
        "accreditation.personal_data_purged",
        actor=actor or "purge",
        obj=application,
        event_slug=application.event.slug,
        reason=reason,
        request=request,
        files=deleted,
    )
    audit.redact(
        AuditEntry.objects.filter(
            object_type=APPLICATION_LABEL, object_id=str(application.pk), action="accreditation.personal_data_purged"
        ),
        f"#{application.pk} ({PURGED_REPR})",
    )
    return deleted


def purge_event(event: Event, *, now: datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Remove personal data of the event that is due: everything after the retention period, and the
    applications whose owners asked for deletion. ``dry_run`` counts without changing anything."""
    now = now or timezone.now()
    ends = retention_ends(event)
    passed = timezone.localdate(now) > ends
    result = PurgeResult(event=event.slug, retention_ends=ends, retention_passed=passed, dry_run=dry_run)
    candidates = Application.objects.filter(event=event, personal_data_purged_at__isnull=True).select_related("event")
    for application in candidates.order_by("pk"):
        requested = deletion_due(application, now)
        if not (passed or requested):
            continue
        result.applications += 1
        result.deletion_requests += int(requested and not passed)
        result.application_ids.append(application.pk)
        if dry_run:
            result.files += sum(1 for name in FILE_FIELDS if getattr(application, name))
            continue
        with transaction.atomic():
            locked = Application.objects.select_for_update().select_related("event").get(pk=application.pk)
            if locked.personal_data_purged_at is not None:
                continue
            result.files += purge_application(
                locked, now=now, reason="retention period over" if passed else "deletion requested"
            )
    if not dry_run:
        purged = Application.objects.filter(event=event, personal_data_purged_at__isnull=False).annotate(
            about=Concat(Value(f"{APPLICATION_LABEL.lower()}:"), Cast("pk", CharField()))
        )
        OutboxMessage.objects.filter(related__in=purged.values("about"), status__in=SENT_OR_ABANDONED).exclude(
            recipient=""
        ).update(recipient="")
    if passed:
        _purge_delegations(event, result, dry_run=dry_run)
    return result


def _purge_delegations(event: Event, result: PurgeResult, *, dry_run: bool) -> None:
    """Notes verbales and nomination letters name the delegates: they go too, with the focal point's address."""
    documents = DelegationDocument.objects.filter(delegation__event=event).order_by("pk")
    delegations = Delegation.objects.filter(
        Q(pk__in=DelegationMembership.objects.values("delegation_id")) | ~Q(focal_point_email=""), event=event
    )
    result.delegation_documents = documents.count()
    result.delegations = delegations.count()
    if dry_run:
        result.files += sum(1 for document in documents if document.file)
        return
    for document in documents:
        storage, name = document.file.storage, document.file.name
        with transaction.atomic():
            document.delete()
        if name and storage.exists(name):
            storage.delete(name)
            result.files += 1
    for delegation in delegations:
        with transaction.atomic():
            delegation.focal_point_email = ""
            delegation.save(update_fields=["focal_point_email", "updated_at"])
            delegation.memberships.all().delete()
            audit.record(
                "accreditation.personal_data_purged",
                actor="purge",
                obj=delegation,
                event_slug=event.slug,
                reason="retention period over",
            )
