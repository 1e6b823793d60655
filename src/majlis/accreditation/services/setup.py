"""Event setup: categories, privacy notice, registration settings, capacity and quotas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core import audit
from majlis.events.models import Event

from .. import capacity
from ..models import (
    AccreditationSettings,
    Category,
    EventCapacity,
    PrivacyNotice,
)
from .seats import _promote

# --- Event setup -------------------------------------------------------------------------------


def ensure_event_setup(event: Event) -> EventCapacity:
    """Default categories, the capacity row, the settings and privacy notice v1 for an event. Idempotent."""
    from .. import defaults

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
    from .. import defaults

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
    from .. import defaults

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
    from ..queries import registration_state

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
