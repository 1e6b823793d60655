"""Every change to an accreditation: one transactional, audited function each, mailing the participant.

Workflow: draft → submitted → under_review → approved / waitlisted / rejected; cancelled by the
participant; withdrawn by an organiser. ``TRANSITIONS`` lists which states each action starts
from. In-person seats (event capacity, category quota) and session seats are taken in
``capacity.py`` under row locks; a freed seat promotes the waitlist in the same transaction.

Permission checks (who may call what on which object) belong to the views; these functions check
that the change itself is allowed. Passport numbers never leave this module in clear except
through ``passport_number``, which writes an audit entry.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.core import audit, crypto
from majlis.core.permissions import is_organiser
from majlis.events.models import Event, EventRole

from . import capacity, notifications, photos, session_access
from .models import (
    AccreditationSettings,
    Application,
    Category,
    Delegation,
    DelegationCategory,
    DelegationDocument,
    EventCapacity,
    InvitationCode,
    Mode,
    PrivacyNotice,
    SessionInvitation,
    SessionSeat,
    SupportingDocument,
)

Status = Application.Status

LIVE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.WAITLISTED)
CLOSED_STATUSES = (Status.REJECTED, Status.CANCELLED, Status.WITHDRAWN)

# action -> the states it may start from
TRANSITIONS: dict[str, frozenset[str]] = {
    "submit": frozenset({Status.DRAFT}),
    "start_review": frozenset({Status.SUBMITTED}),
    "approve": frozenset({Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED}),
    "waitlist": frozenset({Status.SUBMITTED, Status.UNDER_REVIEW}),
    "reject": frozenset({Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED, Status.APPROVED}),
    "cancel": frozenset({Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.WAITLISTED}),
    "withdraw": frozenset({Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.WAITLISTED}),
}

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
PASSPORT_PATTERN = re.compile(r"^[A-Z0-9]{5,20}$")


class DuplicateApplication(ValidationError):
    """The person already has a live application for the event (same e-mail or same passport)."""


def _refusal(action: str) -> str:
    """Why an action is refused in the application's current state: one whole sentence per action."""
    messages = {
        "submit": _("An application that is “%(status)s” cannot be submitted."),
        "start_review": _("An application that is “%(status)s” cannot be put under review."),
        "approve": _("An application that is “%(status)s” cannot be approved."),
        "waitlist": _("An application that is “%(status)s” cannot be put on the waiting list."),
        "reject": _("An application that is “%(status)s” cannot be rejected."),
        "cancel": _("An application that is “%(status)s” cannot be cancelled."),
        "withdraw": _("An application that is “%(status)s” cannot be withdrawn."),
    }
    return messages[action]


def _check_transition(application: Application, action: str) -> None:
    if application.status not in TRANSITIONS[action]:
        raise ValidationError(
            _refusal(action),
            params={"status": application.get_status_display()},
            code="transition_not_allowed",
        )


def _record(action: str, application: Application, *, actor: Any, request: Any, reason: str = "", **data: Any):
    return audit.record(
        f"accreditation.{action}",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        reason=reason,
        request=request,
        **data,
    )


def _mail(application: Application, template: str, entry: Any, *, session: Any = None) -> None:
    """Mail the participant about the change that ``entry`` (its audit entry) recorded; about one
    ``session``, its id is part of the key (the template reads it there)."""
    if not application.email:
        return
    about = f"{session.pk}:" if session is not None else ""
    notifications.queue(
        key=f"application:{application.pk}:{template}:{about}{entry.pk}",
        template=template,
        recipient=application.email,
        language=application.language,
        event=application.event,
        application=application,
    )


def _lock_application(event: Event, application: Application) -> tuple[EventCapacity, Application]:
    """Lock the event (always first), then the application; returns fresh copies."""
    event_capacity = capacity.lock_event(event)
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("event", "category").get(pk=application.pk)
    )
    return event_capacity, locked


def _refresh_caller_copy(application: Application, fresh: Application) -> Application:
    """Callers keep their object: copy the new state onto it."""
    for field in fresh._meta.concrete_fields:
        setattr(application, field.attname, getattr(fresh, field.attname))
    application._state = fresh._state
    return application


# --- Passport numbers -------------------------------------------------------------------------


def normalise_passport_number(number: str) -> str:
    return re.sub(r"[\s\-./]", "", number or "").upper()


def passport_digest(number: str) -> str:
    return crypto.digest("passport", normalise_passport_number(number))


def set_passport_number(application: Application, number: str) -> None:
    """Encrypt the number into the application (not saved). An empty value removes it."""
    clean = normalise_passport_number(number)
    if not clean:
        application.passport_number_encrypted = None
        application.passport_number_digest = ""
        return
    if not PASSPORT_PATTERN.match(clean):
        # The message never repeats the value.
        raise ValidationError(
            {"passport_number": _("Enter the passport number as printed: 5 to 20 Latin letters and digits.")}
        )
    application.passport_number_encrypted = crypto.encrypt(clean)
    application.passport_number_digest = crypto.digest("passport", clean)


def passport_number(application: Application, *, actor: Any, request: Any = None) -> str:
    """The passport number in clear, for someone allowed to see it; every reading is audited."""
    if not application.passport_number_encrypted:
        return ""
    value = crypto.decrypt(application.passport_number_encrypted)
    audit.record(
        "accreditation.passport_viewed",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
    )
    return value


# --- Event setup -------------------------------------------------------------------------------


def ensure_event_setup(event: Event) -> EventCapacity:
    """Default categories, the capacity row, the settings and privacy notice v1 for an event. Idempotent."""
    from . import defaults

    with transaction.atomic():
        event_capacity = capacity.ensure_capacity_row(event)
        AccreditationSettings.objects.get_or_create(event=event)
        defaults.create_default_categories(event)
        defaults.create_privacy_notice(event)
    return event_capacity


CATEGORY_COPY_FIELDS = (
    "code",
    *(f"name_{code}" for code in ("en", "ru", "uz")),
    "colour",
    "needs_approval",
    "required_document",
    "allows_in_person",
    "allows_online",
    "public_listing_allowed",
    "in_person_quota",
    "self_registration",
    "position",
)


@transaction.atomic
def setup_new_event(
    event: Event, *, source: Event | None = None, copy: Any = (), actor: Any = None, request: Any = None
) -> EventCapacity:
    """The accreditation of a new event: copied from ``source`` where asked, the defaults for the rest.

    Categories are copied without their registration dates (they belong to the earlier event's
    calendar); the privacy notice becomes version 1 with the new event's title; the settings keep
    the switch and the retention period, and the capacity comes along with them.
    """
    from . import defaults

    parts = frozenset(copy or ()) if source is not None else frozenset()
    copied: dict[str, int] = {}
    event_capacity = capacity.ensure_capacity_row(event)
    settings_row, _created = AccreditationSettings.objects.get_or_create(event=event)
    if "categories" in parts:
        categories = [
            Category(event=event, **{name: getattr(category, name) for name in CATEGORY_COPY_FIELDS})
            for category in Category.objects.filter(event=source).order_by("position", "id")
        ]
        copied["categories"] = len(Category.objects.bulk_create(categories))
    if not copied.get("categories"):
        defaults.create_default_categories(event)
    notice = current_privacy_notice(source) if "privacy_notice" in parts and source is not None else None
    if notice is not None:
        texts = {}
        for code in ("en", "ru", "uz"):
            text = getattr(notice, f"text_{code}") or ""
            old_title = getattr(source, f"title_{code}") or ""
            new_title = getattr(event, f"title_{code}") or event.title_en or ""
            texts[f"text_{code}"] = text.replace(old_title, new_title) if old_title else text
        PrivacyNotice.objects.create(event=event, version=1, **texts)
        copied["privacy_notice"] = notice.version
    if "accreditation_settings" in parts and source is not None:
        source_settings = AccreditationSettings.objects.filter(event=source).first()
        if source_settings is not None:
            settings_row.registration_open = source_settings.registration_open
            settings_row.retention_days = source_settings.retention_days
            settings_row.save(update_fields=["registration_open", "retention_days"])
        source_capacity = EventCapacity.objects.filter(event=source).first()
        if source_capacity is not None and source_capacity.in_person_capacity is not None:
            event_capacity.in_person_capacity = source_capacity.in_person_capacity
            event_capacity.save(update_fields=["in_person_capacity"])
        copied["accreditation_settings"] = 1
    defaults.create_privacy_notice(event)  # when none was copied (it uses the retention period just set)
    audit.record(
        "accreditation.event_set_up",
        actor=actor,
        obj=settings_row,
        event_slug=event.slug,
        request=request,
        source=source.slug if source is not None else None,
        copied=copied,
    )
    return event_capacity


@transaction.atomic
def create_default_privacy_notice(event: Event, *, actor: Any, request: Any = None) -> PrivacyNotice | None:
    """The standard privacy notice (version 1, three languages) for an event that has none yet."""
    from . import defaults

    notice = defaults.create_privacy_notice(event)
    if notice is not None:
        audit.record(
            "accreditation.privacy_notice_created", actor=actor, obj=notice, event_slug=event.slug, request=request
        )
    return notice


def registration_settings(event: Event) -> AccreditationSettings:
    settings_row, _created = AccreditationSettings.objects.get_or_create(event=event)
    return settings_row


SETTINGS_FIELDS = (
    "registration_open",
    "registration_opens_at",
    "registration_closes_at",
    "nomination_deadline",
    "retention_days",
)


@transaction.atomic
def update_registration_settings(
    event: Event, *, data: dict[str, Any], actor: Any, request: Any = None
) -> AccreditationSettings:
    """Change when registration opens and closes, the nomination deadline and the retention period."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not settings: {sorted(unknown)}")
    AccreditationSettings.objects.get_or_create(event=event)
    settings_row = AccreditationSettings.objects.select_for_update().get(event=event)
    changed = {}
    for name, value in data.items():
        before = getattr(settings_row, name)
        if before != value:
            changed[name] = {"from": _audit_value(before), "to": _audit_value(value)}
            setattr(settings_row, name, value)
    opens, closes = settings_row.registration_opens_at, settings_row.registration_closes_at
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationError({"registration_closes_at": _("Registration must close after it opens.")})
    if settings_row.retention_days is None or settings_row.retention_days < 1:
        raise ValidationError({"retention_days": _("Keep the data for at least one day after the event.")})
    if changed:
        settings_row.save()
        audit.record(
            "accreditation.settings_changed",
            actor=actor,
            obj=settings_row,
            event_slug=event.slug,
            request=request,
            changes=changed,
        )
    return settings_row


@transaction.atomic
def set_category_registration(
    category: Category,
    *,
    self_registration: bool,
    opens_at: Any,
    closes_at: Any,
    actor: Any,
    request: Any = None,
) -> Category:
    """Whether individuals may apply in a category, and its own opening and closing times (optional)."""
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ValidationError(
            _("Registration in the category “%(category)s” must close after it opens."),
            params={"category": category.name},
            code="category_window",
        )
    locked = Category.objects.select_for_update().get(pk=category.pk)
    changed = {}
    for name, value in (
        ("self_registration", self_registration),
        ("registration_opens_at", opens_at),
        ("registration_closes_at", closes_at),
    ):
        before = getattr(locked, name)
        if before != value:
            changed[name] = {"from": _audit_value(before), "to": _audit_value(value)}
            setattr(locked, name, value)
    if changed:
        locked.save(update_fields=list(changed))
        audit.record(
            "accreditation.category_registration_changed",
            actor=actor,
            obj=locked,
            event_slug=locked.event.slug,
            request=request,
            changes=changed,
        )
    for name in ("self_registration", "registration_opens_at", "registration_closes_at"):
        setattr(category, name, getattr(locked, name))
    return category


def _audit_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def check_registration_open(event: Event, category: Category | None, now: Any = None) -> None:
    """Refuse an individual's application outside the event's or the category's registration dates."""
    from .queries import registration_state

    now = now or timezone.now()
    state = registration_state(event, now)
    if state == "not_open":
        raise ValidationError(_("Registration for this conference has not opened yet."), code="registration_not_open")
    if state != "open":
        raise ValidationError(_("Registration for this conference is closed."), code="registration_closed")
    if category is None:
        return
    category_state = category.registration_window_state(now)
    if category_state == "not_open":
        raise ValidationError(
            {"category": _("Registration in the category “%(category)s” has not opened yet.") % {"category": category}},
            code="category_not_open",
        )
    if category_state == "closed":
        raise ValidationError(
            {"category": _("Registration in the category “%(category)s” is closed.") % {"category": category}},
            code="category_closed",
        )


def current_privacy_notice(event: Event) -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(event=event).order_by("-version").first()


@transaction.atomic
def set_capacity(event: Event, *, in_person_capacity: int | None, actor: Any, request: Any = None) -> EventCapacity:
    """Change the event's in-person capacity; a larger capacity promotes the waitlist at once."""
    if in_person_capacity is not None and in_person_capacity < 0:
        raise ValidationError({"in_person_capacity": _("The capacity cannot be negative.")})
    event_capacity = capacity.lock_event(event)
    previous = event_capacity.in_person_capacity
    event_capacity.in_person_capacity = in_person_capacity
    event_capacity.save(update_fields=["in_person_capacity"])
    audit.record(
        "accreditation.capacity_changed",
        actor=actor,
        obj=event_capacity,
        event_slug=event.slug,
        request=request,
        previous=previous,
        capacity=in_person_capacity,
    )
    _promote(event_capacity, actor=actor, request=request)
    return event_capacity


@transaction.atomic
def set_category_quota(category: Category, *, quota: int | None, actor: Any, request: Any = None) -> Category:
    """Change a category's in-person quota; a larger quota promotes the waitlist at once."""
    event_capacity = capacity.lock_event(category.event)
    previous = category.in_person_quota
    category.in_person_quota = quota
    category.save(update_fields=["in_person_quota"])
    audit.record(
        "accreditation.quota_changed",
        actor=actor,
        obj=category,
        event_slug=category.event.slug,
        request=request,
        previous=previous,
        quota=quota,
    )
    _promote(event_capacity, actor=actor, request=request)
    return category


# --- Invitation codes --------------------------------------------------------------------------

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def generate_invitation_code() -> str:
    """Twelve random characters in three groups, e.g. ``K7QM-2XHD-R9PA`` (about 60 bits)."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_GROUP_LENGTH)) for _g in range(CODE_GROUPS)]
    return "-".join(groups)


def invitation_code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


@transaction.atomic
def create_invitation_code(
    category: Category,
    *,
    label: str = "",
    max_uses: int | None = None,
    expires_at: Any = None,
    actor: Any,
    request: Any = None,
) -> tuple[InvitationCode, str]:
    """A new code for ``category``; returns it with the code in clear, which is stored only as a hash."""
    if max_uses is not None and max_uses < 1:
        raise ValidationError({"max_uses": _("A code must be usable at least once.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    code = generate_invitation_code()
    while InvitationCode.objects.filter(code_hash=invitation_code_digest(code)).exists():  # pragma: no cover
        code = generate_invitation_code()
    invitation = InvitationCode.objects.create(
        category=category,
        code_hash=invitation_code_digest(code),
        label=(label or "").strip()[:200],
        max_uses=max_uses,
        expires_at=expires_at,
    )
    audit.record(
        "accreditation.invitationcode_created",
        actor=actor,
        obj=invitation,
        event_slug=category.event.slug,
        request=request,
        category=category.code,
        max_uses=max_uses,
        expires_at=_audit_value(expires_at),
    )
    return invitation, code


@transaction.atomic
def revoke_invitation_code(invitation: InvitationCode, *, actor: Any, request: Any = None) -> InvitationCode:
    """Stop a code from being used again; applications already made with it stay as they are."""
    locked = InvitationCode.objects.select_for_update().select_related("category__event").get(pk=invitation.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This invitation code was already revoked."), code="already_revoked")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(
        "accreditation.invitationcode_revoked",
        actor=actor,
        obj=locked,
        event_slug=locked.category.event.slug,
        request=request,
        uses=locked.uses,
    )
    invitation.revoked_at = locked.revoked_at
    return locked


# --- Creating and editing applications ---------------------------------------------------------


def _normalise_email(value: str) -> str:
    return (value or "").strip()


def _check_duplicates(event: Event, application: Application) -> None:
    others = Application.objects.filter(event=event, status__in=LIVE_STATUSES)
    if application.pk:
        others = others.exclude(pk=application.pk)
    errors: dict[str, str] = {}
    if application.email and others.filter(email__iexact=application.email).exists():
        errors["email"] = _(
            "An application with this e-mail address already exists for this event. Sign in to your account to "
            "see or change it instead of applying again, or write to the organisers."
        )
    if (
        application.passport_number_digest
        and others.filter(passport_number_digest=application.passport_number_digest).exists()
    ):
        errors["passport_number"] = _(
            "An application with this passport number already exists for this event. One person can be "
            "accredited only once; if you think this is a mistake, write to the organisers."
        )
    if errors:
        raise DuplicateApplication(errors, code="duplicate")


def _validate(event: Event, application: Application, *, complete: bool = False) -> None:
    """Check the application; a draft may leave fields empty (``complete=False``), a submission may not."""
    errors: dict[str, str] = {}
    category = application.category if application.category_id else None
    if category is None:
        errors["category"] = _("Choose a category.")
    elif category.event_id != event.pk:
        errors["category"] = _("This category belongs to another event.")
    elif application.mode == Mode.IN_PERSON and not category.allows_in_person:
        errors["mode"] = _("Participants of this category take part online only.")
    elif application.mode == Mode.ONLINE and not category.allows_online:
        errors["mode"] = _("Participants of this category take part in person only.")
    if application.mode not in Mode.values:
        errors["mode"] = _("Choose in person or online.")
    if application.passport_expiry and application.passport_expiry < event.end_date:
        errors["passport_expiry"] = _("The passport expires before the event ends; a valid passport is needed.")
    if application.arrival_at and application.departure_at and application.departure_at < application.arrival_at:
        errors["departure_at"] = _("Departure cannot be before arrival.")
    if application.listed_publicly and category is not None and not category.public_listing_allowed:
        application.listed_publicly = False
    if category is not None and application.delegation_id is not None and "category" not in errors:
        problem = _delegation_category_problem(application, category)
        if problem:
            errors["category"] = problem
    if errors:
        raise ValidationError(errors)
    exclude = ["event", "category", "privacy_notice", "delegation", "user"]
    if not complete and application.status == Status.DRAFT:
        exclude += [
            field.name
            for field in Application._meta.concrete_fields
            if getattr(application, field.attname) in ("", None)
        ]
    try:
        application.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _delegation_category_problem(application: Application, category: Category) -> str:
    """Why a delegation member may not have this category ("" when they may): only the categories the
    organisers allowed the delegation, within the delegation's limit for that category."""
    delegation = application.delegation
    assert delegation is not None
    rules = {rule.category_id: rule for rule in delegation_category_rules(delegation)}
    if category.pk not in rules:
        return _("The organisers have not allowed this category for the members of this delegation.")
    limit = rules[category.pk].member_limit
    if limit is not None:
        others = Application.objects.filter(delegation=delegation, category=category, status__in=LIVE_STATUSES)
        if application.pk:
            others = others.exclude(pk=application.pk)
        if others.count() >= limit:
            return ngettext(
                "This delegation may have at most %(limit)d member in the category “%(category)s”.",
                "This delegation may have at most %(limit)d members in the category “%(category)s”.",
                limit,
            ) % {"limit": limit, "category": category.name}
    return ""


def _apply_data(application: Application, data: dict[str, Any]) -> set[str]:
    """Set the fields given in ``data``; returns the names of those whose value changed."""
    unknown = set(data) - EDITABLE_FIELDS - {"passport_number", "sessions", "consent"}
    if unknown:
        raise ValueError(f"Not editable through data: {sorted(unknown)}")
    changed: set[str] = set()
    for name, value in data.items():
        if name in {"passport_number", "sessions", "consent"}:
            continue
        if name == "email":
            value = _normalise_email(value)
        field = Application._meta.get_field(name)
        if not isinstance(field, models.Field):  # a reverse relation: never among the editable names
            raise ValueError(f"Not editable through data: {name}")
        before = getattr(application, field.attname)
        setattr(application, name, value)
        after = getattr(application, field.attname)
        if name in {"photo", "supporting_document"}:
            if value is not None and hasattr(value, "read") and not hasattr(value, "instance"):
                changed.add(name)  # a new upload
            elif str(before or "") != str(after or ""):
                changed.add(name)
        elif before != after:
            changed.add(name)
    if "passport_number" in data:
        before_digest = application.passport_number_digest
        set_passport_number(application, data["passport_number"] or "")
        if application.passport_number_digest != before_digest:
            changed.add("passport_number")
    if data.get("consent"):
        notice = current_privacy_notice(application.event)
        if notice is not None and application.privacy_notice_id != notice.pk:
            application.privacy_notice = notice
            application.consented_at = timezone.now()
            changed.add("privacy_notice")
    return changed


def _save_uploads(application: Application) -> None:
    """Store new uploads under random private names (FileField does it on save)."""
    for name in ("photo", "supporting_document"):
        file = getattr(application, name)
        if file and not file._committed:
            if name == "supporting_document" and not application.supporting_document_name:
                application.supporting_document_name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
            file.save(file.name, file.file, save=False)


@transaction.atomic
def create_application(
    event: Event,
    *,
    data: dict[str, Any],
    actor: Any,
    user: Any = None,
    delegation: Delegation | None = None,
    request: Any = None,
    self_registration: bool = False,
) -> Application:
    """A new application in draft. Raises DuplicateApplication when the person already applied.

    ``self_registration``: an individual applies on the public form, which the event's and the
    category's registration dates must allow.
    """
    capacity.lock_event(event)  # serialises creations, so that two identical submissions cannot both pass
    data = dict(data)
    if self_registration:
        check_registration_open(event, data.get("category"))
    if delegation is not None:
        if delegation.event_id != event.pk:
            raise ValidationError(_("This delegation belongs to another event."))
        if "category" not in data:
            allowed = delegation_categories(delegation)
            default = next((c for c in allowed if c.pk == delegation.default_category_id), None)
            if default is None and len(allowed) == 1:
                default = allowed[0]
            if default is not None:
                data["category"] = default
    application = Application(event=event, user=user, delegation=delegation)
    application.language = data.get("language") or getattr(request, "LANGUAGE_CODE", None) or "en"
    _apply_data(application, data)
    _validate(event, application)
    _check_duplicates(event, application)
    _save_uploads(application)
    application.save()
    _record(
        "created",
        application,
        actor=actor,
        request=request,
        delegation=delegation.pk if delegation else None,
        category=application.category.code,
    )
    sessions = data.get("sessions") or []
    if sessions:
        _set_requested_sessions(application, sessions)
    return application


def _set_requested_sessions(application: Application, sessions: Iterable[Any]) -> None:
    wanted = {session.pk: session for session in sessions}
    for session in wanted.values():
        if session.event_id != application.event_id:
            raise ValidationError({"sessions": _("A chosen session belongs to another event.")})
    existing = {seat.session_id: seat for seat in application.seats.select_related("session")}
    fresh = {s.pk: s for s in capacity.lock_sessions([*wanted.values(), *(seat.session for seat in existing.values())])}
    session_access.check_requested(application, [fresh[pk] for pk in wanted])  # the rule as it is now
    for session_id, seat in existing.items():
        if session_id not in wanted:
            _drop_seat(seat)
    new = [session for pk, session in wanted.items() if pk not in existing]
    for session in new:
        SessionSeat.objects.create(application=application, session=session, status=SessionSeat.Status.REQUESTED)
    if application.status == Status.APPROVED and new:
        _allocate_sessions(application, new)


@transaction.atomic
def update_application(
    application: Application, *, data: dict[str, Any], actor: Any, request: Any = None
) -> Application:
    """Change an application. Key data changed after a decision sends it back to review (freeing its seat)."""
    event_capacity, locked = _lock_application(application.event, application)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError(
            _("An application that is “%(status)s” can no longer be changed."),
            params={"status": locked.get_status_display()},
            code="closed",
        )
    if locked.personal_data_purged_at:
        raise ValidationError(_("The personal data of this application has been removed."), code="purged")
    data = dict(data)
    changed = _apply_data(locked, data)
    if "email" in changed or "passport_number" in changed:
        _check_duplicates(locked.event, locked)
    _validate(locked.event, locked)
    _save_uploads(locked)
    if (
        "email" in changed
        and locked.delegation_id is not None
        and locked.email
        and getattr(actor, "pk", None) != locked.user_id
    ):
        # The focal point corrected a member's address: the account at the new address is theirs.
        locked.user = user_for_email(locked.email)
    key_changed = sorted(changed & (KEY_FIELDS | {"passport_number"}))
    was = locked.status
    back_to_review = bool(key_changed) and was in {Status.APPROVED, Status.WAITLISTED}
    if back_to_review:
        locked.status = Status.UNDER_REVIEW
        locked.decided_at = None
        locked.waitlisted_at = None
    locked.save()
    entry = _record(
        "back_to_review" if back_to_review else "updated",
        locked,
        actor=actor,
        request=request,
        fields=sorted(changed),  # names only, never values
        previous_status=was,
    )
    if "category" in changed:
        _release_ineligible_seats(locked, actor=actor, request=request)
    if "sessions" in data:
        _set_requested_sessions(locked, data["sessions"] or [])
    if back_to_review:
        _release_sessions(locked, keep_requests=True)
        _mail(locked, "back_to_review", entry)
        if was == Status.APPROVED:
            _promote(event_capacity, actor=actor, request=request)
    return _refresh_caller_copy(application, locked)


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
        raise ValidationError(
            _(
                "The credentials of this person's delegation have not been approved: approve the delegation's "
                "credentials before deciding on its members."
            ),
            code="credentials_not_approved",
        )


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


@transaction.atomic
def submit_application(
    application: Application, *, actor: Any, request: Any = None, self_registration: bool = False
) -> Application:
    """draft → submitted; a category without approval goes straight to approved (or waitlisted when full).

    ``self_registration``: submitted by an individual, within the registration dates.
    """
    event_capacity, locked = _lock_application(application.event, application)
    _check_transition(locked, "submit")
    if self_registration:
        check_registration_open(locked.event, locked.category)
    _validate(locked.event, locked, complete=True)
    _check_ready_to_submit(locked)
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    entry = _record("submitted", locked, actor=actor, request=request)
    # Only individual applicants skip approval in such a category: a delegation member always waits
    # for the organisers' decision (see _check_credentials_approved).
    if locked.category.needs_approval or locked.delegation_id is not None:
        _mail(locked, "received", entry)
    else:
        _take_seat_or_waitlist(event_capacity, locked, actor=actor, reason="", request=request)
    return _refresh_caller_copy(application, locked)


@transaction.atomic
def start_review(application: Application, *, actor: Any, request: Any = None) -> Application:
    _event_capacity, locked = _lock_application(application.event, application)
    _check_transition(locked, "start_review")
    locked.status = Status.UNDER_REVIEW
    locked.save(update_fields=["status", "updated_at"])
    entry = _record("review_started", locked, actor=actor, request=request)
    _mail(locked, "under_review", entry)
    return _refresh_caller_copy(application, locked)


@transaction.atomic
def approve_application(application: Application, *, actor: Any, reason: str = "", request: Any = None) -> Application:
    """Approve, taking an in-person seat under the event lock; when no seat is free, waitlist instead."""
    event_capacity, locked = _lock_application(application.event, application)
    _check_transition(locked, "approve")
    from .services_delegation_tools import check_vetting_allows_approval

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
    _check_transition(locked, "waitlist")
    _check_credentials_approved(locked)
    now = timezone.now()
    locked.status = Status.WAITLISTED
    locked.decided_at = now
    locked.waitlisted_at = now
    locked.decision_reason = (reason or "").strip()
    locked.save(update_fields=["status", "decided_at", "waitlisted_at", "decision_reason", "updated_at"])
    entry = _record("waitlisted", locked, actor=actor, request=request, reason=locked.decision_reason)
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
    _check_transition(locked, action)
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


# --- Waitlist promotion and session seats ------------------------------------------------------


def _promote(event_capacity: EventCapacity, *, actor: Any, request: Any) -> list[Application]:
    def promoted(application: Application) -> None:
        entry = _record("promoted", application, actor=actor, request=request, from_waitlist=True)
        _allocate_sessions(application, None)
        _mail(application, "promoted", entry)

    return capacity.promote_waitlist(event_capacity, on_promoted=promoted)


def _allocate_sessions(application: Application, sessions: Iterable[Any] | None) -> None:
    """Confirm or waitlist the approved application's requested session seats (sessions locked in id order).

    A request the application is not eligible for (``session_access``) is never confirmed: it is
    dropped, on record, and the person is told."""
    requested = application.seats.select_related("session").filter(status=SessionSeat.Status.REQUESTED)
    if sessions is not None:
        requested = requested.filter(session__in=[s.pk for s in sessions])
    seats = list(requested)
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        seat.application = application
        session = locked[seat.session_id]
        if session_access.may_attend(application, session):
            capacity.allocate_session_seat(seat, session)
        else:
            _drop_ineligible_seat(seat, session, actor=None, request=None)


def _drop_ineligible_seat(seat: SessionSeat, session: Any, *, actor: Any, request: Any) -> None:
    """Release a seat (or request) the application may not hold; its session's waitlist moves up.
    The session row must be locked."""
    application = seat.application
    status = seat.status
    held = status == SessionSeat.Status.CONFIRMED
    seat.delete()
    entry = audit.record(
        "accreditation.session_seat_released_ineligible",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
        session=session.pk,
        status=status,
        category=Category.objects.filter(pk=application.category_id).values_list("code", flat=True).first(),
    )
    _mail(application, "session_seat_released", entry, session=session)
    if held:
        _promote_session(session)


def _release_ineligible_seats(application: Application, *, actor: Any, request: Any) -> None:
    """After a change of category: give up every seat and request the application is no longer eligible for."""
    seats = list(application.seats.select_related("session"))
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        session = locked[seat.session_id]
        if not session_access.may_attend(application, session):
            seat.application = application
            _drop_ineligible_seat(seat, session, actor=actor, request=request)


def _release_sessions(application: Application, *, keep_requests: bool) -> None:
    """The application no longer holds seats: give confirmed ones to the sessions' waitlists."""
    seats = list(application.seats.all())
    if not seats:
        return
    locked = {session.pk: session for session in capacity.lock_sessions(seat.session for seat in seats)}
    for seat in sorted(seats, key=lambda s: s.session_id):
        held = seat.status == SessionSeat.Status.CONFIRMED
        if keep_requests:
            seat.status = SessionSeat.Status.REQUESTED
            seat.save(update_fields=["status"])
        else:
            seat.delete()
        if held:
            _promote_session(locked[seat.session_id])


def _drop_seat(seat: SessionSeat) -> None:
    (session,) = capacity.lock_sessions([seat.session])
    held = seat.status == SessionSeat.Status.CONFIRMED
    seat.delete()
    if held:
        _promote_session(session)


def _promote_session(session: Any) -> list[SessionSeat]:
    def promoted(seat: SessionSeat) -> None:
        application = seat.application
        entry = audit.record(
            "accreditation.session_seat_promoted",
            obj=application,
            event_slug=application.event.slug,
            session=session.pk,
        )
        _mail(application, "session_seat_confirmed", entry, session=session)

    return capacity.promote_session_waitlist(session, on_promoted=promoted)


@transaction.atomic
def request_session_seats(
    application: Application, sessions: Iterable[Any], *, actor: Any, request: Any = None
) -> list[SessionSeat]:
    """Ask for seats in sessions. Approved applications get them at once (confirmed, or waitlisted when full);
    others keep a request that is allocated when the application is approved."""
    sessions = list(sessions)
    _event_capacity, locked = _lock_application(application.event, application)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError(_("This application is closed; it cannot take session seats."), code="closed")
    for session in sessions:
        if session.event_id != locked.event_id:
            raise ValidationError({"sessions": _("A chosen session belongs to another event.")})
    fresh = {s.pk: s for s in capacity.lock_sessions(sessions)}  # the access rule as it is now, not the caller's copy
    for session in sessions:
        if fresh[session.pk].is_cancelled:
            raise ValidationError({"sessions": _("“%(session)s” is cancelled.") % {"session": session.title}})
    session_access.check_requested(locked, [fresh[session.pk] for session in sessions])
    existing = set(locked.seats.values_list("session_id", flat=True))
    new = [s for s in {s.pk: s for s in sessions}.values() if s.pk not in existing]
    for session in new:
        SessionSeat.objects.create(application=locked, session=session, status=SessionSeat.Status.REQUESTED)
    if locked.status == Status.APPROVED and new:
        _allocate_sessions(locked, new)
    seats = list(locked.seats.filter(session__in=[s.pk for s in sessions]).select_related("session"))
    audit.record(
        "accreditation.session_seats_requested",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        seats={str(seat.session_id): seat.status for seat in seats},
    )
    return seats


@transaction.atomic
def release_session_seat(application: Application, session: Any, *, actor: Any, request: Any = None) -> None:
    """Give up a session seat (or a place on its waitlist); the next on the waitlist gets it."""
    _event_capacity, locked = _lock_application(application.event, application)
    seat = SessionSeat.objects.filter(application=locked, session=session).first()
    if seat is None:
        return
    status = seat.status
    _drop_seat(seat)
    audit.record(
        "accreditation.session_seat_released",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=session.pk,
        status=status,
    )


@transaction.atomic
def invite_to_session(application: Application, session: Any, *, actor: Any, request: Any = None) -> SessionSeat:
    """An organiser invites one person to one session by hand, whatever its access rule.

    The seat is taken under the same locks as every other (event, application, session): confirmed at
    once for an approved application when the session has room, waitlisted when it is full, and kept
    as a request (allocated on approval) otherwise. The invitation is audited and the person mailed."""
    _event_capacity, locked = _lock_application(application.event, application)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError(_("This application is closed; it cannot take session seats."), code="closed")
    if session.event_id != locked.event_id:
        raise ValidationError({"session": _("A chosen session belongs to another event.")})
    (locked_session,) = capacity.lock_sessions([session])
    if locked_session.is_cancelled:
        raise ValidationError({"session": _("“%(session)s” is cancelled.") % {"session": locked_session.title}})
    if SessionInvitation.objects.filter(application=locked, session=locked_session).exists():
        raise ValidationError(
            {"session": _("This person is already invited to “%(session)s”.") % {"session": locked_session.title}},
            code="already_invited",
        )
    SessionInvitation.objects.create(
        application=locked,
        session=locked_session,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    seat, _created = SessionSeat.objects.get_or_create(
        application=locked, session=locked_session, defaults={"status": SessionSeat.Status.REQUESTED}
    )
    seat.application = locked
    if locked.status == Status.APPROVED and seat.status == SessionSeat.Status.REQUESTED:
        capacity.allocate_session_seat(seat, locked_session)
    entry = audit.record(
        "accreditation.session_invited",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=locked_session.pk,
        status=seat.status,
    )
    _mail(locked, "session_invitation", entry, session=locked_session)
    return seat


@transaction.atomic
def withdraw_session_invitation(application: Application, session: Any, *, actor: Any, request: Any = None) -> None:
    """Withdraw an organiser's invitation; a seat the person is then no longer eligible for is released
    (the session's waitlist moves up) and the person is mailed."""
    _event_capacity, locked = _lock_application(application.event, application)
    (locked_session,) = capacity.lock_sessions([session])
    invitation = SessionInvitation.objects.filter(application=locked, session=locked_session).first()
    if invitation is None:
        raise ValidationError(
            {"session": _("This person is not invited to “%(session)s”.") % {"session": locked_session.title}},
            code="not_invited",
        )
    invitation.delete()
    seat = SessionSeat.objects.filter(application=locked, session=locked_session).first()
    released = None
    if seat is not None and not session_access.may_attend(locked, locked_session):
        released = seat.status
        seat.delete()
        if released == SessionSeat.Status.CONFIRMED:
            _promote_session(locked_session)
    entry = audit.record(
        "accreditation.session_invitation_withdrawn",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        session=locked_session.pk,
        released=released,
    )
    if locked.status not in CLOSED_STATUSES:
        _mail(locked, "session_invitation_withdrawn", entry, session=locked_session)


@transaction.atomic
def release_ineligible_session_seats(session: Any, *, actor: Any = None, request: Any = None) -> int:
    """After a session's access rule changed: release the seats and requests of those who may no
    longer attend it (each person is told; the waitlist moves up). Returns how many were released.

    Locks in the usual order: the event, the applications holding seats (by id), then the session."""
    capacity.lock_event(session.event)
    application_ids = sorted(set(SessionSeat.objects.filter(session=session).values_list("application_id", flat=True)))
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(pk__in=application_ids)
        .order_by("pk")
    }
    (locked_session,) = capacity.lock_sessions([session])
    released = 0
    for seat in SessionSeat.objects.filter(session=locked_session).order_by("application_id"):
        application = applications[seat.application_id]
        if not session_access.may_attend(application, locked_session):
            seat.application = application
            _drop_ineligible_seat(seat, locked_session, actor=actor, request=request)
            released += 1
    return released


# --- Delegations -------------------------------------------------------------------------------


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


def _lock_delegation(delegation: Delegation, *related: str) -> Delegation:
    return Delegation.objects.select_for_update(of=("self",)).select_related("event", *related).get(pk=delegation.pk)


def _delegation_record(action: str, delegation: Delegation, *, actor: Any, request: Any, reason: str = "", **data):
    return audit.record(
        f"accreditation.delegation_{action}",
        actor=actor,
        obj=delegation,
        event_slug=delegation.event.slug,
        reason=reason,
        request=request,
        **data,
    )


def _mail_focal_point(delegation: Delegation, template: str, entry: Any) -> None:
    notifications.queue(
        key=f"delegation:{delegation.pk}:{template}:{entry.pk}",
        template=template,
        recipient=delegation.focal_point_email,
        language=delegation.focal_point_language,
        event=delegation.event,
    )


def usual_delegation_categories(event: Event, kind: str) -> list[Category]:
    """The categories a delegation of this kind gets when the organisers choose none."""
    from .defaults import DELEGATION_CATEGORY_CODES

    return list(
        Category.objects.filter(
            event=event, for_delegations=True, code__in=DELEGATION_CATEGORY_CODES.get(kind, ())
        ).order_by("position", "id")
    )


def delegation_category_rules(delegation: Delegation) -> list[DelegationCategory]:
    """The categories the delegation's members may have, with their limits. A category that is no
    longer for delegations (the organisers changed it) is left out whatever was stored."""
    return list(
        DelegationCategory.objects.filter(delegation=delegation, category__for_delegations=True)
        .select_related("category")
        .order_by("category__position", "category_id")
    )


def delegation_categories(delegation: Delegation) -> list[Category]:
    return [rule.category for rule in delegation_category_rules(delegation)]


def _clean_category_rules(
    event: Event,
    categories: Iterable[Category],
    limits: dict[int, int | None],
    default_category: Category | None,
) -> tuple[list[Category], dict[str, str]]:
    errors: dict[str, str] = {}
    chosen = list({category.pk: category for category in categories}.values())
    for category in chosen:
        if category.event_id != event.pk:
            errors["categories"] = _("A chosen category belongs to another event.")
        elif not category.for_delegations or category.required_document == SupportingDocument.PRESS_CARD:
            errors["categories"] = _(
                "“%(category)s” cannot be given by a focal point: the organisers accredit these people themselves."
            ) % {"category": category.name}
    if not chosen and "categories" not in errors:
        errors["categories"] = _("Choose at least one category for the delegation's members.")
    for category_id, limit in limits.items():
        if limit is not None and limit < 1:
            errors["categories"] = _("A limit per category must be at least 1, or empty for no limit.")
        if category_id not in {category.pk for category in chosen}:
            errors["categories"] = _("A limit was given for a category that is not chosen.")
    if default_category is not None and default_category.pk not in {category.pk for category in chosen}:
        errors["default_category"] = _("The default category must be one of the delegation's categories.")
    return chosen, errors


def _store_category_rules(delegation: Delegation, categories: list[Category], limits: dict[int, int | None]) -> None:
    DelegationCategory.objects.filter(delegation=delegation).exclude(
        category__in=[category.pk for category in categories]
    ).delete()
    for category in categories:
        DelegationCategory.objects.update_or_create(
            delegation=delegation, category=category, defaults={"member_limit": limits.get(category.pk)}
        )


@transaction.atomic
def invite_delegation(
    event: Event,
    organisation: Any,
    *,
    kind: str,
    focal_point_email: str,
    language: str,
    actor: Any,
    default_category: Category | None = None,
    categories: Iterable[Category] | None = None,
    category_limits: dict[int, int | None] | None = None,
    member_limit: int | None = None,
    request: Any = None,
) -> Delegation:
    """Create a delegation and mail its focal point a personal log-in link.

    ``categories`` are those its members may have (default: the kind's usual ones, plus the default
    category when it may be given to delegations); never staff, interpreters, security or media.
    """
    errors: dict[str, str] = {}
    email = _normalise_email(focal_point_email)
    try:
        validate_email(email)
    except ValidationError:
        errors["focal_point_email"] = _("Enter a valid e-mail address.")
    if kind not in Delegation.Kind.values:
        errors["kind"] = _("Choose the kind of delegation.")
    if language not in {code for code, _name in Delegation._meta.get_field("focal_point_language").choices or ()}:
        errors["focal_point_language"] = _("Choose a language.")
    if default_category is not None and default_category.event_id != event.pk:
        errors["default_category"] = _("This category belongs to another event.")
    if Delegation.objects.filter(event=event, organisation=organisation).exists():
        errors["organisation"] = _("This state or organisation already has a delegation at this event.")
    limits = dict(category_limits or {})
    if categories is None:
        categories = usual_delegation_categories(event, kind)
        if default_category is not None and default_category.event_id == event.pk:
            categories = [*categories, default_category]
    chosen, category_errors = _clean_category_rules(
        event, categories, limits, default_category if "default_category" not in errors else None
    )
    errors = {**category_errors, **errors}
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        event=event,
        organisation=organisation,
        kind=kind,
        country=organisation.country or "",
        focal_point_email=email,
        focal_point_language=language,
        default_category=default_category,
        member_limit=member_limit,
    )
    _store_category_rules(delegation, chosen, limits)
    entry = _delegation_record(
        "invited",
        delegation,
        actor=actor,
        request=request,
        categories={category.code: limits.get(category.pk) for category in chosen},
    )
    _mail_focal_point(delegation, "delegation_invitation", entry)
    return delegation


@transaction.atomic
def set_delegation_categories(
    delegation: Delegation,
    *,
    categories: Iterable[Category],
    category_limits: dict[int, int | None] | None = None,
    default_category: Category | None = None,
    actor: Any,
    request: Any = None,
) -> Delegation:
    """The organisers change which categories the delegation's members may have, and the limits.

    A category still held by a live member cannot be removed, nor a limit set below their number:
    the organisers change or withdraw those members first.
    """
    locked = _lock_delegation(delegation)
    limits = dict(category_limits or {})
    chosen, errors = _clean_category_rules(locked.event, categories, limits, default_category)
    if not errors:
        chosen_ids = {category.pk for category in chosen}
        held = _live_members(locked).values_list("category_id", flat=True)
        counts: dict[int, int] = {}
        for category_id in held:
            counts[category_id] = counts.get(category_id, 0) + 1
        for category_id, count in counts.items():
            if category_id not in chosen_ids:
                name = Category.objects.get(pk=category_id).name
                errors["categories"] = ngettext(
                    "%(count)d member has the category “%(category)s”: change or withdraw them first.",
                    "%(count)d members have the category “%(category)s”: change or withdraw them first.",
                    count,
                ) % {"count": count, "category": name}
            elif limits.get(category_id) is not None and count > (limits[category_id] or 0):
                name = Category.objects.get(pk=category_id).name
                errors["categories"] = ngettext(
                    "%(count)d member already has the category “%(category)s”: the limit cannot be lower.",
                    "%(count)d members already have the category “%(category)s”: the limit cannot be lower.",
                    count,
                ) % {"count": count, "category": name}
    if errors:
        raise ValidationError(errors)
    previous = {rule.category.code: rule.member_limit for rule in delegation_category_rules(locked)}
    _store_category_rules(locked, chosen, limits)
    locked.default_category = default_category
    locked.save(update_fields=["default_category", "updated_at"])
    _delegation_record(
        "categories_changed",
        locked,
        actor=actor,
        request=request,
        previous=previous,
        categories={category.code: limits.get(category.pk) for category in chosen},
    )
    delegation.default_category = default_category
    return locked


@transaction.atomic
def resend_delegation_invitation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    """Mail the focal point a fresh log-in link (the first one expires after 20 minutes)."""
    entry = _delegation_record("invitation_resent", delegation, actor=actor, request=request)
    _mail_focal_point(delegation, "delegation_invitation", entry)
    return delegation


@transaction.atomic
def claim_delegation(delegation: Delegation, user: Any) -> Delegation:
    """The focal point's first log-in binds their account to the delegation (status: being prepared)."""
    locked = _lock_delegation(delegation, "organisation")
    if locked.focal_point_id == user.pk:
        return locked
    if locked.focal_point_id is not None:
        raise ValidationError(_("Another person is already the focal point of this delegation."), code="claimed")
    if (user.email or "").strip().lower() != locked.focal_point_email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."), code="wrong_user")
    locked.focal_point = user
    if locked.status == Delegation.Status.INVITED:
        locked.status = Delegation.Status.OPEN
    locked.save(update_fields=["focal_point", "status", "updated_at"])
    EventRole.objects.get_or_create(
        event=locked.event,
        user=user,
        role=EventRole.Role.FOCAL_POINT,
        defaults={"organisation": locked.organisation},
    )
    _delegation_record("claimed", locked, actor=user, request=None)
    delegation.focal_point = user
    delegation.status = locked.status
    return locked


EDITABLE_DELEGATION_STATUSES = (Delegation.Status.INVITED, Delegation.Status.OPEN, Delegation.Status.REJECTED)


@transaction.atomic
def add_delegation_document(
    delegation: Delegation, uploaded_file: Any, kind: str, *, actor: Any, request: Any = None
) -> DelegationDocument:
    """Store a note verbale or nomination letter under a random private name."""
    locked = _lock_delegation(delegation)
    if locked.status not in EDITABLE_DELEGATION_STATUSES:
        raise ValidationError(_("The credentials have been submitted; documents can no longer be added."))
    if kind not in {SupportingDocument.NOTE_VERBALE, SupportingDocument.NOMINATION_LETTER}:
        raise ValidationError({"kind": _("Choose a note verbale or a nomination letter.")})
    try:
        checked = photos.check_document(uploaded_file)  # a PDF, or a scan as JPEG or PNG, checked by content
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = DelegationDocument(
        delegation=locked,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(f"document.{checked.extension}", ContentFile(checked.data), save=False)
    document.save()
    _delegation_record("document_added", locked, actor=actor, request=request, document=document.pk, kind=kind)
    return document


def nomination_closed(event: Event, now: Any = None) -> bool:
    """Whether the organisers' nomination deadline for focal points has passed."""
    settings_row = AccreditationSettings.objects.filter(event=event).first()
    return settings_row is not None and settings_row.nomination_closed(now or timezone.now())


def _live_members(delegation: Delegation):
    return Application.objects.filter(delegation=delegation, status__in=LIVE_STATUSES)


@transaction.atomic
def nominate_member(
    delegation: Delegation, *, data: dict[str, Any], actor: Any, invite: bool = False, request: Any = None
) -> Application:
    """Add a member to the delegation (a draft application); ``invite`` mails them a personal link."""
    locked = _lock_delegation(delegation)
    if nomination_closed(locked.event) and not is_organiser(actor, locked.event):
        raise ValidationError(
            _("The nomination deadline has passed: ask the organisers to add a member."), code="nomination_closed"
        )
    if locked.status == Delegation.Status.SUBMITTED:
        raise ValidationError(_("The credentials are being checked; members can be added once they are decided."))
    if locked.member_limit is not None and _live_members(locked).count() >= locked.member_limit:
        raise ValidationError(
            ngettext(
                "This delegation may have at most %(limit)d member.",
                "This delegation may have at most %(limit)d members.",
                locked.member_limit,
            ),
            params={"limit": locked.member_limit},
        )
    # Every member with an e-mail address gets an account (no password: they log in by e-mailed link),
    # so that the e-mails about their accreditation lead somewhere and they can ask for a link.
    user = user_for_email(data["email"]) if data.get("email") else None
    application = create_application(
        locked.event, data=data, actor=actor, user=user, delegation=locked, request=request
    )
    if invite:
        entry = _record("member_invited", application, actor=actor, request=request)
        _mail(application, "member_invitation", entry)
    return application


@transaction.atomic
def submit_new_members(delegation: Delegation, *, actor: Any, request: Any = None) -> list[Application]:
    """After the credentials were approved: submit the members added since (late additions and
    replacements) for the organisers' decision. All of them, or none when one is incomplete."""
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.APPROVED:
        raise ValidationError(
            _("New members are submitted with the delegation's credentials until those are approved.")
        )
    if nomination_closed(locked.event) and not is_organiser(actor, locked.event):
        raise ValidationError(
            _("The nomination deadline has passed: ask the organisers to add a member."), code="nomination_closed"
        )
    drafts = list(Application.objects.filter(delegation=locked, status=Status.DRAFT).order_by("pk"))
    if not drafts:
        raise ValidationError({"members": _("There is no new member to submit.")})
    submitted = []
    for member in drafts:
        try:
            submitted.append(submit_application(member, actor=actor, request=request))
        except ValidationError as error:
            raise ValidationError(
                {
                    "members": _("The data of %(name)s is incomplete: %(problems)s")
                    % {"name": member.full_name, "problems": " ".join(error.messages)}
                }
            ) from error
    _delegation_record(
        "members_submitted", locked, actor=actor, request=request, members=[member.pk for member in submitted]
    )
    return submitted


@transaction.atomic
def set_head_of_delegation(
    delegation: Delegation, application: Application, *, actor: Any, request: Any = None
) -> Application:
    locked = _lock_delegation(delegation)
    if application.delegation_id != locked.pk:
        raise ValidationError(_("This person is not a member of the delegation."))
    if application.status not in LIVE_STATUSES:
        raise ValidationError(_("This person's application is closed."))
    Application.objects.filter(delegation=locked, is_head_of_delegation=True).exclude(pk=application.pk).update(
        is_head_of_delegation=False
    )
    Application.objects.filter(pk=application.pk).update(is_head_of_delegation=True)
    application.is_head_of_delegation = True
    _delegation_record("head_designated", locked, actor=actor, request=request, application=application.pk)
    return application


def required_delegation_document(delegation: Delegation) -> str:
    if delegation.kind == Delegation.Kind.ORGANISATION:
        return SupportingDocument.NOMINATION_LETTER
    return SupportingDocument.NOTE_VERBALE


@transaction.atomic
def submit_delegation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    """Send the credentials for checking, and submit the members' drafts."""
    locked = _lock_delegation(delegation)
    if locked.status not in {Delegation.Status.OPEN, Delegation.Status.REJECTED}:
        raise ValidationError(
            _("A delegation that is “%(status)s” cannot be submitted."), params={"status": locked.get_status_display()}
        )
    needed = required_delegation_document(locked)
    if not locked.documents.filter(kind=needed).exists():
        first: dict[str, str] = {
            SupportingDocument.NOTE_VERBALE: _("Upload the note verbale first."),
            SupportingDocument.NOMINATION_LETTER: _("Upload the nomination letter first."),
        }
        raise ValidationError({"documents": first[needed]})
    if not _live_members(locked).exists():
        raise ValidationError({"members": _("Nominate at least one member first.")})
    locked.status = Delegation.Status.SUBMITTED
    locked.decision_reason = ""
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    _delegation_record("submitted", locked, actor=actor, request=request)
    for member in Application.objects.filter(delegation=locked, status=Status.DRAFT).order_by("pk"):
        try:
            submit_application(member, actor=actor, request=request)
        except ValidationError as error:
            raise ValidationError(
                {
                    "members": _("The data of %(name)s is incomplete: %(problems)s")
                    % {"name": member.full_name, "problems": " ".join(error.messages)}
                }
            ) from error
    delegation.status = locked.status
    return locked


@transaction.atomic
def approve_delegation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.SUBMITTED:
        raise ValidationError(_("Only submitted credentials can be approved."))
    locked.status = Delegation.Status.APPROVED
    locked.save(update_fields=["status", "updated_at"])
    entry = _delegation_record("approved", locked, actor=actor, request=request)
    _mail_focal_point(locked, "delegation_approved", entry)
    delegation.status = locked.status
    return locked


@transaction.atomic
def reject_delegation(delegation: Delegation, *, actor: Any, reason: str, request: Any = None) -> Delegation:
    reason = _required_reason(reason)
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.SUBMITTED:
        raise ValidationError(_("Only submitted credentials can be rejected."))
    locked.status = Delegation.Status.REJECTED
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    entry = _delegation_record("rejected", locked, actor=actor, request=request, reason=reason)
    _mail_focal_point(locked, "delegation_rejected", entry)
    delegation.status = locked.status
    delegation.decision_reason = reason
    return locked


# --- Personal data -----------------------------------------------------------------------------


@transaction.atomic
def request_deletion(application: Application, *, actor: Any, request: Any = None) -> Application:
    """The participant asks for their data to be deleted: the application is cancelled (its seat freed)
    and marked for the purge (``majlis purge-personal-data``)."""
    _event_capacity, locked = _lock_application(application.event, application)
    if locked.status in TRANSITIONS["cancel"]:
        cancel_application(locked, actor=actor, request=request)
        locked.refresh_from_db()
    if locked.deletion_requested_at is None:
        locked.deletion_requested_at = timezone.now()
        locked.save(update_fields=["deletion_requested_at", "updated_at"])
    _record("deletion_requested", locked, actor=actor, request=request)
    return _refresh_caller_copy(application, locked)


def live_applications(event: Event):
    return Application.objects.filter(event=event, status__in=LIVE_STATUSES)


def find_duplicates(event: Event, *, email: str = "", passport: str = "") -> bool:
    """Whether a live application with this e-mail or passport number exists (for forms that check early)."""
    query = Q()
    if email:
        query |= Q(email__iexact=_normalise_email(email))
    if passport:
        query |= Q(passport_number_digest=passport_digest(passport))
    return bool(query) and live_applications(event).filter(query).exists()
