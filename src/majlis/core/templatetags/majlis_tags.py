"""Template helpers for the public site: dates and date ranges per language, file facts."""

from __future__ import annotations

import datetime
import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.translation import get_language

from majlis.core.text import render_markdown

register = template.Library()

# Date formats per language in Django's date syntax; month names come from Django's catalogues
# ("E" is the genitive month: "марта"). "full" is one date; "day" and "day_month" are the first
# date of a range whose last date is written in full. Other languages use their DATE_FORMAT.
DATE_FORMATS: dict[str, dict[str, str]] = {
    "en": {"full": "j F Y", "day": "j", "day_month": "j F"},
    "ru": {"full": "j E Y г.", "day": "j", "day_month": "j E"},
    "uz": {"full": r"j-E, Y-\y\i\l", "day": "j", "day_month": "j-E"},
}
EN_DASH = "\u2013"


def _formats() -> dict[str, str]:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language in DATE_FORMATS:
        return DATE_FORMATS[language]
    full = get_format("DATE_FORMAT")
    return {"full": full, "day": full, "day_month": full}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_day(value: datetime.date | datetime.datetime | None) -> str:
    """One date in the active language: "3 March 2022", "3 марта 2022 г.", "3-Mart, 2022-yil"."""
    if value is None:
        return ""
    return format_date(_as_date(value), _formats()["full"])


def format_date_range(start: datetime.date | None, end: datetime.date | None = None) -> str:
    """A date range in the active language: "3–4 March 2022", "30 March – 2 April 2022"."""
    if start is None:
        return ""
    if end is None or end == start:
        return format_day(start)
    formats = _formats()
    if formats["day"] == formats["full"]:  # a language without range formats: both dates in full
        return f"{format_day(start)} {EN_DASH} {format_day(end)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, formats['day'])}{EN_DASH}{format_day(end)}"
    first = formats["day_month"] if start.year == end.year else formats["full"]
    return f"{format_date(start, first)} {EN_DASH} {format_day(end)}"


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    return format_day(value)


@register.filter
def daterange(start: datetime.date | None, end: datetime.date | None = None) -> str:
    return format_date_range(start, end)


@register.filter
def milestone_date(milestone: Any) -> str:
    """A milestone's date as precisely as it is known: the year only, or the day(s)."""
    if milestone.date_precision == "year":
        return str(milestone.date.year)
    return format_date_range(milestone.date, milestone.date_end)


@register.filter
def iso(value: datetime.date | datetime.datetime | None) -> str:
    """The machine-readable value of a <time> element."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


@register.filter
def language_name(code: str) -> str:
    """A language's name in that language ("Русский"), as the language switcher shows it."""
    return settings.LANGUAGE_NAMES_NATIVE.get(code, code)


def file_format(name: str, content_type: str = "") -> str:
    """What a file is, for people: "PDF", "DOCX"."""
    suffix = PurePosixPath(name or "").suffix.lstrip(".")
    if not suffix and content_type:
        suffix = (mimetypes.guess_extension(content_type) or "").lstrip(".")
    return suffix.upper()


@register.filter(name="file_format")
def file_format_filter(document_file: Any) -> str:
    return file_format(document_file.original_name or document_file.file.name, document_file.content_type)


@register.filter
def markdown(text: str) -> str:
    """Markdown written by organisers, as sanitised HTML."""
    return render_markdown(text)
