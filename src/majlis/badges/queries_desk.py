"""Reads of the badge desk: the filtered list of an event's badges, shared by the pages, the API and
the print jobs (which keep the filters as JSON and read them again when the worker runs)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet

from majlis.accreditation.queries import MAX_SEARCH_TERMS, SEARCH_FIELDS, search_variants
from majlis.events.models import Event

from .models import Badge, PrintJob

# "0042", "42", "0042-2": a badge number as printed on the card or said at the desk.
NUMBER = re.compile(r"^#?0*(\d{1,9})(?:-(\d{1,4}))?$")
YES_NO = ("yes", "no")


@dataclass
class BadgeFilter:
    """What the desk asked for. Empty values do not filter."""

    status: str = ""  # "issued" or "revoked"
    category: int | None = None
    delegation: int | None = None
    printed: str = ""  # "yes" or "no"
    collected: str = ""  # "yes" or "no"
    q: str = ""  # names in any script, organisation, e-mail, or a badge number

    def as_dict(self) -> dict[str, Any]:
        """The filters actually set (for the audit log, print jobs and links that keep them)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BadgeFilter:
        """The filters a print job stored; unknown keys (from an older version) are ignored."""
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        return cls(**known)


def search_q(text: str) -> Q:
    """A badge number finds that badge (every revision unless one is named); words find names."""
    text = text.strip()
    number = NUMBER.match(text)
    if number is not None:
        by_number = Q(serial=int(number.group(1)))
        if number.group(2):
            by_number &= Q(revision=int(number.group(2)))
        return by_number
    query = Q()
    for term in text.split()[:MAX_SEARCH_TERMS]:
        any_field = Q()
        for variant in search_variants(term):
            for name in SEARCH_FIELDS:
                any_field |= Q(**{f"application__{name}__icontains": variant})
        query &= any_field
    return query


def badges(event: Event, filters: BadgeFilter | None = None) -> QuerySet[Badge]:
    """The badges of ``event`` matching ``filters``, newest revision last, ready to show (related rows joined)."""
    filters = filters or BadgeFilter()
    queryset = Badge.objects.filter(event=event)
    if filters.status in Badge.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.category:
        queryset = queryset.filter(category_id=filters.category)
    if filters.delegation:
        queryset = queryset.filter(application__delegation_id=filters.delegation)
    if filters.printed in YES_NO:
        queryset = queryset.filter(printed_at__isnull=filters.printed == "no")
    if filters.collected in YES_NO:
        queryset = queryset.filter(collected_at__isnull=filters.collected == "no")
    if filters.q.strip():
        queryset = queryset.filter(search_q(filters.q))  # joins along foreign keys only: no repeated rows
    return queryset.select_related(
        "event", "key", "category", "collected_by", "application", "application__delegation__organisation"
    ).order_by("serial", "revision", "pk")


def printable(event: Event, filters: BadgeFilter | None = None) -> QuerySet[Badge]:
    """What a print job prints: the issued badges among those matching ``filters`` (never a revoked card)."""
    return badges(event, filters).filter(status=Badge.Status.ISSUED)


def badge(event: Event, pk: int) -> Badge | None:
    return badges(event).filter(pk=pk).first()


def current_badge_of(badge: Badge) -> Badge | None:
    """The person's issued badge (after a re-issue: the new one), if any."""
    return (
        Badge.objects.filter(application_id=badge.application_id, status=Badge.Status.ISSUED)
        .select_related("event")
        .first()
    )


def own_badge(event: Event, user: Any) -> Badge | None:
    """The signed-in person's issued badge in ``event`` (their own application's only)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return badges(event).filter(status=Badge.Status.ISSUED, application__user=user).first()


def print_job(event: Event, pk: int) -> PrintJob | None:
    return PrintJob.objects.filter(event=event, pk=pk).select_related("event", "requested_by").first()


def recent_print_jobs(event: Event, limit: int = 5) -> list[PrintJob]:
    return list(
        PrintJob.objects.filter(event=event).select_related("requested_by").order_by("-created_at", "-pk")[:limit]
    )


def account_badges_section(user: Any) -> dict[str, Any] | None:
    """The person's issued badges on their account page (``core.account``); none: no section."""
    if not getattr(user, "is_authenticated", False):
        return None
    mine = list(
        Badge.objects.filter(application__user=user, status=Badge.Status.ISSUED)
        .select_related("event", "category")
        .order_by("-event__start_date", "pk")
    )
    return {"badges": mine} if mine else None
