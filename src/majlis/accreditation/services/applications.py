"""Creating and editing applications, with the one validator forms and services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.events.models import Event

from .. import capacity, session_access, validators, workflow
from ..models import (
    Application,
    Category,
    Delegation,
    DelegationCategory,
    Mode,
    SessionSeat,
)
from ._common import (
    EDITABLE_FIELDS,
    KEY_FIELDS,
    DuplicateApplication,
    Status,
    _lock_application,
    _mail,
    _normalise_email,
    _record,
    _refresh_caller_copy,
    user_for_email,
)
from .passports import set_passport_number, stored_passport_digest_candidates
from .seats import _allocate_sessions, _drop_seat, _promote, _release_ineligible_seats, _release_sessions
from .setup import check_registration_open, current_privacy_notice

# --- Creating and editing applications ---------------------------------------------------------


def _check_duplicates(event: Event, application: Application) -> None:
    # The same person registering twice at once: the second waits here until the first commits.
    capacity.lock_applicant(event, email=application.email, passport_digest=application.passport_number_digest)
    others = Application.objects.filter(event=event).live()
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
        and others.filter(passport_number_digest__in=stored_passport_digest_candidates(application)).exists()
    ):
        errors["passport_number"] = _(
            "An application with this passport number already exists for this event. One person can be "
            "accredited only once; if you think this is a mistake, write to the organisers."
        )
    if errors:
        raise DuplicateApplication(errors, code="duplicate")


def _validate(event: Event, application: Application, *, complete: bool = False) -> None:
    """Check the application; a draft may leave fields empty (``complete=False``), a submission may not."""
    errors: dict[str, str | ValidationError] = {}
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
    for name, error in validators.travel_errors(
        event,
        passport_expiry=application.passport_expiry,
        arrival_at=application.arrival_at,
        departure_at=application.departure_at,
    ).items():
        errors[name] = error
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
        others = Application.objects.filter(delegation=delegation, category=category).live()
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
    data = dict(data)
    if data.get("sessions"):
        # Session rows are locked below, and the lock order puts the event first (capacity.py). Without
        # sessions a new draft takes no event lock: the duplicate check locks only this person.
        capacity.lock_event(event)
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
    workflow.check("edit", locked)
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
    back_to_review = bool(key_changed) and was in Status.decided()
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
