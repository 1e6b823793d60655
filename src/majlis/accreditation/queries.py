"""Reads of the participant list shared by the organisers' pages, the exports and the API.

``participants(event, filters)`` is the one place that decides what a filter or a search means, so
that a CSV export holds exactly the rows the organiser saw on the page. Its cost does not depend on
the number of rows: one query for the page (or the export) and a fixed number of prefetches.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from majlis.core import outbox
from majlis.core.models import OutboxMessage
from majlis.events.models import Event

from .models import (
    AccreditationSettings,
    Application,
    Category,
    Delegation,
    DelegationMembership,
    EventCapacity,
    Mode,
    PrivacyNotice,
    SessionSeat,
)

# Fields searched by the free-text box: names in the passport and in the person's own script, the
# organisation, the e-mail address and the delegation's state or organisation.
SEARCH_FIELDS = (
    "family_name",
    "given_names",
    "name_native",
    "organisation_name",
    "email",
    *(f"delegation__organisation__{name}_{code}" for name in ("name", "acronym") for code, _name in settings.LANGUAGES),
)
MAX_SEARCH_TERMS = 6

FAILED_NOTIFICATION_STATUSES = outbox.FAILED_STATUSES


@dataclass
class ParticipantFilter:
    """What the organiser asked for. Empty values do not filter."""

    status: list[str] = field(default_factory=list)
    category: int | None = None
    delegation: int | None = None
    nationality: str = ""
    mode: str = ""
    session: int | None = None
    visa_letter: str = ""  # "yes": a visa-support letter was asked for or issued; "no": none
    q: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The filters actually set (for the audit log and for links that keep them)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, "", [])}

    @property
    def is_empty(self) -> bool:
        return not self.as_dict()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_variants(term: str) -> list[str]:
    """Spellings of one search term that catch other cases and accents.

    SQLite's LIKE ignores case for ASCII letters only, so "иванов" would miss "Иванов" there: the
    lower, upper, title and case-folded forms are searched as well (on PostgreSQL they cost nothing
    more than an OR). Without its accents, "Yılmaz" also finds a "Yilmaz" typed on a plain keyboard.
    """
    term = unicodedata.normalize("NFC", term)
    candidates = [term, term.lower(), term.upper(), term.title(), term.capitalize(), term.casefold()]
    plain = _strip_accents(term)
    candidates += [plain, plain.lower(), plain.title()]
    return list(dict.fromkeys(c for c in candidates if c))


def search_q(text: str) -> Q:
    """Every word must appear in one of the searched fields, in any script."""
    query = Q()
    for term in text.split()[:MAX_SEARCH_TERMS]:
        any_field = Q()
        for variant in search_variants(term):
            for name in SEARCH_FIELDS:
                any_field |= Q(**{f"{name}__icontains": variant})
        query &= any_field
    return query


def base_participants(event: Event) -> QuerySet[Application]:
    return Application.objects.filter(event=event)


def participants(event: Event, filters: ParticipantFilter | None = None) -> QuerySet[Application]:
    """The applications of ``event`` matching ``filters``, ready to show: related rows joined or prefetched."""
    filters = filters or ParticipantFilter()
    queryset = base_participants(event)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.category:
        queryset = queryset.filter(category_id=filters.category)
    if filters.delegation:
        queryset = queryset.filter(delegation_id=filters.delegation)
    if filters.nationality:
        queryset = queryset.filter(nationality=filters.nationality.upper())
    if filters.mode:
        queryset = queryset.filter(mode=filters.mode)
    if filters.session:
        # (application, session) is unique: the join cannot repeat a row.
        queryset = queryset.filter(seats__session_id=filters.session)
    if filters.visa_letter in {"yes", "no"}:
        queryset = queryset.filter(visa_letter__isnull=filters.visa_letter == "no")
    if filters.q.strip():
        queryset = queryset.filter(search_q(filters.q))  # joins along foreign keys only: no repeated rows
    seats = SessionSeat.objects.select_related("session").order_by("session__starts_at", "session_id")
    return (
        queryset.select_related("category", "delegation__organisation", "user", "vetting", "visa_letter")
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("family_name", "given_names", "pk")
    )


def participant(event: Event, pk: int) -> Application | None:
    seats = SessionSeat.objects.select_related("session").order_by("session__starts_at", "session_id")
    return (
        base_participants(event)
        .filter(pk=pk)
        .select_related(
            "event", "category", "delegation__organisation", "user", "privacy_notice", "vetting__set_by", "visa_letter"
        )
        .prefetch_related(Prefetch("seats", queryset=seats))
        .first()
    )


def categories(event: Event) -> QuerySet[Category]:
    return Category.objects.filter(event=event).order_by("position", "id")


def delegations(event: Event) -> QuerySet[Delegation]:
    return Delegation.objects.filter(event=event).select_related("organisation").order_by("organisation__name")


def nationalities(event: Event) -> list[str]:
    """The nationalities present among the event's applications (ISO codes)."""
    return sorted(set(base_participants(event).values_list("nationality", flat=True)))


def sessions_with_seats(event: Event) -> QuerySet[Any]:
    """The event's sessions that have a capacity of their own or seats asked for."""
    from majlis.programme.models import Session

    return (
        Session.objects.filter(event=event)
        .filter(Q(capacity__isnull=False) | Q(seats__isnull=False))
        .distinct()
        .order_by("starts_at", "id")
    )


def sessions_to_invite_to(application: Application) -> QuerySet[Any]:
    """Sessions an organiser may invite this person to: side events, breakouts and every session with an
    access rule or a capacity of its own, not cancelled, not yet invited to."""
    from majlis.programme.models import Session, SessionKind

    return (
        Session.objects.filter(event_id=application.event_id, is_cancelled=False)
        .filter(
            Q(kind__in=[SessionKind.SIDE_EVENT, SessionKind.BREAKOUT])
            | ~Q(access=Session.Access.OPEN)
            | Q(capacity__isnull=False)
        )
        .exclude(invitations__application=application)
        .order_by("starts_at", "id")
    )


def failed_notifications(event: Event) -> QuerySet[OutboxMessage]:
    """E-mails of this event that could not be sent (yet): organisers must see every one."""
    return outbox.failed(event_id=event.pk)


def mode_values() -> list[str]:
    return [choice.value for choice in Mode]


def status_values() -> list[str]:
    return [choice.value for choice in Application.Status]


def registration_state(event: Event, now: datetime | None = None) -> str:
    """'open', or why the form is not shown: 'past', 'closed' or 'not_open'.

    The organiser's switch and dates are in the event's ``AccreditationSettings``; an event without
    them has not opened registration yet.
    """
    if event.phase() == "past":
        return "past"
    settings_row = AccreditationSettings.objects.filter(event=event).first()
    if settings_row is None:
        return "not_open"
    return settings_row.window_state(now or timezone.now())


def open_categories(event: Event, now: datetime | None = None) -> list[Category]:
    """The categories open to individual applicants at ``now`` (their own dates allowing)."""
    now = now or timezone.now()
    candidates = Category.objects.filter(event=event, self_registration=True).order_by("position", "id")
    return [category for category in candidates if category.registration_window_state(now) == "open"]


# What keeps registration from opening, in the order an organiser fixes it. Blocking problems keep
# the form closed; the others only limit it (no category for individuals: only invitation codes).
REGISTRATION_BLOCKERS = (
    "past",
    "not_published",
    "no_settings",
    "switched_off",
    "not_open_yet",
    "closed_by_date",
    "no_privacy_notice",
)
REGISTRATION_WARNINGS = ("no_open_category", "no_capacity")


def registration_problems(event: Event, now: datetime | None = None) -> list[str]:
    """Every reason (codes of REGISTRATION_BLOCKERS and REGISTRATION_WARNINGS) the public cannot register yet."""
    now = now or timezone.now()
    problems: list[str] = []
    if event.phase() == "past":
        problems.append("past")
    if not event.is_public:
        problems.append("not_published")
    settings_row = AccreditationSettings.objects.filter(event=event).first()
    if settings_row is None:
        problems.append("no_settings")
    else:
        if not settings_row.registration_open:
            problems.append("switched_off")
        if settings_row.registration_opens_at is not None and now < settings_row.registration_opens_at:
            problems.append("not_open_yet")
        if settings_row.registration_closes_at is not None and now >= settings_row.registration_closes_at:
            problems.append("closed_by_date")
    if not PrivacyNotice.objects.filter(event=event).exists():
        problems.append("no_privacy_notice")
    if not open_categories(event, now):
        problems.append("no_open_category")
    if event.format != Event.Format.ONLINE:
        in_person = EventCapacity.objects.filter(event=event).values_list("in_person_capacity", flat=True).first()
        if in_person is None:
            problems.append("no_capacity")
    return problems


def account_links_section(user: Any) -> dict[str, Any]:
    """The account page's links to the person's applications and personal data (``core.account``)."""
    return {}


def delegations_of(user: Any, role: str | None = None, *, event: Event | None = None) -> QuerySet[Delegation]:
    """The delegations ``user`` acts for (in ``role`` when given; in ``event`` when given)."""
    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    memberships = DelegationMembership.objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    delegations = Delegation.objects.filter(pk__in=memberships.values("delegation_id"))
    return delegations.filter(event=event) if event is not None else delegations


def focal_points(delegation: Delegation) -> QuerySet[Any]:
    """The accounts of the delegation's focal points (none until the invitation is accepted)."""
    return delegation.focal_points()


def account_delegations_section(user: Any) -> dict[str, Any] | None:
    """The delegations the person acts for, with their role(s) in each, on their account page; none: no section."""
    memberships = list(
        DelegationMembership.objects.filter(user=user)
        .select_related("delegation__event", "delegation__organisation")
        .order_by("-delegation__event__start_date", "delegation__organisation__name", "delegation_id", "role")
    )
    rows: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        row = rows.setdefault(membership.delegation_id, {"delegation": membership.delegation, "roles": []})
        row["roles"].append(membership.get_role_display())
        row["focal_point"] = row.get("focal_point", False) or membership.role == DelegationMembership.Role.FOCAL_POINT
    return {"delegations": list(rows.values())} if rows else None


def home_context(event: Event) -> dict[str, Any]:
    """What the event's home page shows about accreditation (``events.extensions.home_context``)."""
    return {"registration_open": registration_state(event) == "open"}
