"""Template helpers of the public programme pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.dateformat import format as format_date

from majlis.core.templatetags.majlis_tags import format_day

from .. import queries

register = template.Library()


@register.filter
def tr(value: Any, language: str | None = None) -> str:
    """A {"en", "ru", "uz"} dictionary of a snapshot in the active language (or the one given)."""
    return queries.tr(value, language)


@register.filter
def weekday_day(value: datetime.date | None) -> str:
    """A day with its weekday, in the active language: "Thursday, 3 March 2022"."""
    if value is None:
        return ""
    return f"{format_date(value, 'l')}, {format_day(value)}"


@register.filter
def weekday(value: datetime.date | None) -> str:
    return format_date(value, "l") if value else ""


@register.filter
def hhmm(value: datetime.datetime | None) -> str:
    """A time of day on the 24-hour clock, as every conference language writes it ("09:30")."""
    return value.strftime("%H:%M") if value else ""


@register.filter
def isodate(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


@register.simple_tag
def programme_url(name: str, **kwargs: Any) -> str:
    """The address of a programme page, or "" while the view behind the name does not exist yet.

    The exports and the "what changed" page are built separately; their links appear as soon as
    their URL names are registered.
    """
    try:
        return reverse(f"events:programme:{name}", kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def in_set(value: Any, collection: Any) -> bool:
    return bool(collection) and str(value) in collection
