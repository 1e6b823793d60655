"""Reads of badges: what a card shows (``face_for``), the lists gates download."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import translation

from majlis.core.countries import country_name
from majlis.core.models import Honorific
from majlis.core.templatetags.majlis_tags import format_date_range

from .faces import BadgeFace
from .models import Badge
from .pdf import unsupported_characters
from .services import token_for


def issued_badges(event_id: int) -> QuerySet[Badge]:
    return Badge.objects.filter(event_id=event_id, status=Badge.Status.ISSUED).select_related(
        "event", "key", "category", "application", "application__delegation__organisation"
    )


def revoked_badge_ids(event_id: int) -> list[int]:
    """Every revoked badge of the event: what an offline gate refuses even with a valid signature."""
    return list(
        Badge.objects.filter(event_id=event_id, status=Badge.Status.REVOKED).order_by("pk").values_list("pk", flat=True)
    )


def photo_bytes(badge: Badge) -> bytes | None:
    """The holder's photo as stored, or ``None`` without one (or when its file cannot be read)."""
    photo = badge.application.photo
    if not photo:
        return None
    try:
        with photo.open("rb") as handle:
            data: bytes = handle.read()
    except OSError:
        return None  # a missing file prints the neutral frame; the desk sees the photo is missing
    return data


def printable_text(text: str) -> str:
    """``text`` if every character of it can be printed, else '' (the line is left off the card).

    A name in a script no badge font covers (or CJK on a server without fonts-noto-cjk) must not stop
    a batch of 600 badges at the desk: the Latin name, as in the passport, is always printed.
    """
    return "" if text and unsupported_characters(text) else text


def face_for(badge: Badge, language: str = "en") -> BadgeFace:
    """What the card of ``badge`` shows, with labels and names in ``language``."""
    application = badge.application
    event = badge.event
    with translation.override(language):
        delegation = application.delegation
        organisation = delegation.organisation.name if delegation is not None else application.organisation_name
        country = (delegation.country if delegation is not None else "") or application.nationality
        honorific = str(Honorific(application.honorific).label) if application.honorific else ""
        valid_from = badge.valid_from.astimezone(event.tz).date()
        valid_until = badge.valid_until.astimezone(event.tz).date()
        return BadgeFace(
            number=badge.number,
            qr_text=token_for(badge),
            honorific=honorific,
            name_latin=f"{application.given_names} {application.family_name.upper()}".strip(),
            name_native=printable_text(application.name_native),
            organisation=printable_text(organisation) or application.organisation_name,
            country=country_name(country, language) if country else "",
            category_label=str(badge.category.name),
            category_colour=badge.category.colour,
            event_name=str(event.short_title or event.title),
            event_dates=format_date_range(event.start_date, event.end_date),
            photo=photo_bytes(badge),
            language=language,
            valid_from=valid_from,
            valid_until=valid_until,
        )


def faces_for(badges: Iterable[Badge], language: str = "en") -> list[BadgeFace]:
    return [face_for(badge, language) for badge in badges]
