"""Changes to events: creating a conference from the organisers' pages (optionally from an earlier one).

Who may create an event: a superuser, a holder of ``events.add_event``, or an organiser of an event
of the same series (``may_create_in_series``). The creator becomes the new event's organiser. The
apps above events (accreditation) add their defaults or copies through ``signals.event_created``:
events never imports them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from majlis.core import audit
from majlis.core.permissions import needs_second_factor
from majlis.events.rules import organised_event_ids

from .models import Event, EventRole, Organisation, Series
from .signals import event_created

# What a new event may take over from an earlier one of its series.
COPY_PARTS = (
    ("categories", gettext_lazy("participant categories (colours, rules, quotas)")),
    ("privacy_notice", gettext_lazy("privacy notice")),
    ("venue", gettext_lazy("venue and rooms")),
    ("accreditation_settings", gettext_lazy("accreditation settings (capacity, data retention)")),
)
COPY_CODES = frozenset(code for code, _label in COPY_PARTS)

# First parts of URLs that an event's short name would hide (/<lang>/<slug>/...).
RESERVED_SLUGS = frozenset({"manage", "account", "admin", "api", "static", "media", "healthz", "favicon.ico"})

EVENT_FIELDS = frozenset(
    {
        "slug",
        "series",
        "start_date",
        "end_date",
        "time_zone",
        "country",
        "format",
        "expected_participants",
        "website",
        *(f"{name}_{code}" for name in ("title", "short_title", "summary", "city") for code in ("en", "ru", "uz")),
    }
)


def may_create_any_event(user: Any) -> bool:
    """Superusers and holders of ``events.add_event`` create events in any series, or in none."""
    if not getattr(user, "is_authenticated", False) or needs_second_factor(user):
        return False
    return bool(user.is_superuser or user.has_perm("events.add_event"))


def series_for_new_events(user: Any) -> QuerySet[Series]:
    """The series in which the user may create an event."""
    if may_create_any_event(user):
        return Series.objects.order_by("name")
    organised = organised_event_ids(user) or set()
    return Series.objects.filter(events__in=organised).distinct().order_by("name")


def may_create_event(user: Any) -> bool:
    return may_create_any_event(user) or series_for_new_events(user).exists()


def may_create_in_series(user: Any, series: Series | None) -> bool:
    if may_create_any_event(user):
        return True
    return series is not None and series_for_new_events(user).filter(pk=series.pk).exists()


def copy_sources(user: Any) -> QuerySet[Event]:
    """The earlier events the user may copy from: those they organise that belong to a series."""
    events = Event.objects.filter(series__isnull=False).select_related("series").order_by("-start_date", "pk")
    organised = organised_event_ids(user)
    return events if organised is None else events.filter(pk__in=organised)


@transaction.atomic
def create_event(
    *,
    data: dict[str, Any],
    actor: Any,
    copy_from: Event | None = None,
    copy: Any = (),
    request: Any = None,
) -> Event:
    """A new draft event, its creator as organiser, and (through ``event_created``) its accreditation setup.

    ``copy_from`` must belong to the same series; ``copy`` names the parts of it to take over.
    """
    unknown = set(data) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"Not event fields: {sorted(unknown)}")
    parts = frozenset(copy or ())
    if parts - COPY_CODES:
        raise ValueError(f"Unknown parts to copy: {sorted(parts - COPY_CODES)}")
    event = Event(**data, status=Event.Status.DRAFT)
    errors: dict[str, list[str]] = {}
    if event.slug in RESERVED_SLUGS:
        errors["slug"] = [_("This short name is reserved for the site's own pages; choose another.")]
    if copy_from is not None:
        if copy_from.series_id is None or copy_from.series_id != event.series_id:
            errors["copy_from"] = [_("An event can only be copied from an earlier event of the same series.")]
        elif "venue" in parts:
            event.venue = copy_from.venue
    elif parts:
        errors["copy_from"] = [_("Choose the earlier event to copy from.")]
    try:
        event.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    event.save()
    if getattr(actor, "is_authenticated", False):
        EventRole.objects.get_or_create(event=event, user=actor, role=EventRole.Role.ORGANISER_ADMIN)
    audit.record(
        "event.created",
        actor=actor,
        obj=event,
        event_slug=event.slug,
        request=request,
        copied_from=copy_from.slug if copy_from else None,
        copied=sorted(parts) if copy_from else [],
    )
    set_up_new_event(event, source=copy_from, copy=parts, actor=actor, request=request)
    return event


def set_up_new_event(
    event: Event, *, source: Event | None = None, copy: Any = (), actor: Any = None, request: Any = None
) -> None:
    """Let the apps above events set up their part of a new event (however it was created)."""
    event_created.send(
        sender=Event,
        event=event,
        source=source,
        copy=frozenset(copy or ()) if source is not None else frozenset(),
        actor=actor,
        request=request,
    )


@transaction.atomic
def publish_event(event: Event, *, actor: Any, request: Any = None) -> Event:
    """Draft → published: the event's pages (and its registration form) become public."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    locked.status = Event.Status.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    audit.record("event.published", actor=actor, obj=locked, event_slug=locked.slug, request=request)
    event.status = locked.status
    return event


@transaction.atomic
def set_event_status(event: Event, status: str, *, actor: Any, request: Any = None, via: str = "") -> bool:
    """Publish, unpublish (back to draft) or archive an event; returns whether it changed.

    Used by the back office (its actions and its form): ``publish_event`` is the organisers' stricter
    form (drafts only). Audited as ``event.<status>`` with the previous status.
    """
    if status not in Event.Status.values:
        raise ValidationError(_("Unknown event status."), code="invalid_status")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status == status:
        event.status = locked.status
        return False
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        f"event.{status}",
        actor=actor,
        obj=locked,
        event_slug=locked.slug,
        request=request,
        previous_status=previous,
        status=status,
        **({"via": via} if via else {}),
    )
    event.status = locked.status
    return True


def unpublish_event(event: Event, *, actor: Any, request: Any = None) -> Event:
    """Published → draft: only its organisers see it again."""
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Only a published event can be unpublished."), code="not_published")
    set_event_status(event, Event.Status.DRAFT, actor=actor, request=request)
    return event


ORGANISATION_FIELDS = frozenset({"name_en", "name_ru", "name_uz", "acronym_en", "kind", "country"})


@transaction.atomic
def create_organisation(
    data: dict[str, Any], *, actor: Any, event: Event | None = None, request: Any = None
) -> Organisation:
    """A new state or organisation (e.g. named by an organiser inviting its delegation); audited."""
    unknown = set(data) - ORGANISATION_FIELDS
    if unknown:
        raise ValueError(f"Not organisation fields: {sorted(unknown)}")
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
    if cleaned.get("name_en") and Organisation.objects.filter(name_en__iexact=cleaned["name_en"]).exists():
        raise ValidationError(
            {"name_en": _("“%(name)s” is already known: choose it in the list above.") % {"name": cleaned["name_en"]}}
        )
    organisation = Organisation(**cleaned)
    organisation.full_clean()
    organisation.save()
    audit.record(
        "events.organisation_created",
        actor=actor,
        obj=organisation,
        event_slug=event.slug if event is not None else "",
        request=request,
    )
    return organisation
