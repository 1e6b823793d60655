"""The rules on passports, travel dates and phone numbers, written once: the forms and the services both
call them.

Decisions (they used to differ between the forms and the services):

- A passport number is normalised by dropping the spaces, hyphens, dots and slashes people type
  between its groups and upper-casing it; what remains must be 5 to 20 Latin letters and digits.
- A passport is valid on its expiry date. It must be valid on the last day of the conference and on
  the day of departure, in the event's time zone: a passport that expires on the departure day (or
  on the last day, for someone leaving then) is accepted; one expiring the day before is not.
- The departure may be on the day of arrival (a day trip), even at the same time when only dates
  were typed; it may not be before the arrival.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core.countries import country_name
from majlis.events.models import Event

PASSPORT_PATTERN = re.compile(r"^[A-Z0-9]{5,20}$")
_PASSPORT_SEPARATORS = re.compile(r"[\s\-./]")


def normalise_passport_number(value: str | None) -> str:
    return _PASSPORT_SEPARATORS.sub("", value or "").upper()


def passport_number_error(normalised: str) -> ValidationError | None:
    """The error for a normalised passport number ("" is the caller's business: required or not)."""
    if normalised and not PASSPORT_PATTERN.match(normalised):
        # The message never repeats the value.
        return ValidationError(
            _("A passport number has 5 to 20 Latin letters and digits."), code="passport_number_format"
        )
    return None


def passport_needed_until(event: Event, departure: datetime | None) -> date:
    """The last day the passport must be valid: the event's last day, or the departure day if later."""
    if departure is None:
        return event.end_date
    departure_day = timezone.localtime(departure, event.tz).date() if timezone.is_aware(departure) else departure.date()
    return max(event.end_date, departure_day)


def passport_expiry_error(event: Event, expiry: date | None, departure: datetime | None) -> ValidationError | None:
    if expiry is None:
        return None
    needed = passport_needed_until(event, departure)
    if expiry >= needed:
        return None
    if needed == event.end_date:
        message = _("Your passport must be valid until the last day of the conference (%(date)s).")
    else:
        message = _("Your passport must be valid until the day of your departure (%(date)s).")
    return ValidationError(message, params={"date": needed.strftime("%d.%m.%Y")}, code="passport_expired")


def departure_error(arrival: datetime | None, departure: datetime | None) -> ValidationError | None:
    if arrival is not None and departure is not None and departure < arrival:
        return ValidationError(_("Departure cannot be before arrival."), code="departure_order")
    return None


def travel_errors(
    event: Event, *, passport_expiry: date | None, arrival_at: datetime | None, departure_at: datetime | None
) -> dict[str, ValidationError]:
    """Every travel-document problem by field name (empty when there is none)."""
    errors: dict[str, ValidationError] = {}
    expiry = passport_expiry_error(event, passport_expiry, departure_at)
    if expiry is not None:
        errors["passport_expiry"] = expiry
    order = departure_error(arrival_at, departure_at)
    if order is not None:
        errors["departure_at"] = order
    return errors


# --- Phone numbers ------------------------------------------------------------------------------

_PHONE_CHARACTERS = re.compile(r"^\+[0-9 ()./-]+$")


def validate_phone(value: str) -> None:
    """An international number of a length its country's numbering plan allows (Google's libphonenumber
    metadata, the ``phonenumbers`` package): a plus sign, the country code, then the number; spaces,
    dots, dashes and brackets allowed. The first checks say precisely what is wrong with the form of
    what was typed; the last one whether the country has numbers that long. The number ranges
    themselves are not checked: metadata lags behind new ranges, and refusing a real minister's
    office number is worse than accepting a mistyped one."""
    value = (value or "").strip()
    if not value.startswith("+"):
        raise ValidationError(
            _(
                "Write the number in international format, starting with + and the country code, "
                "e.g. +998 71 123 45 67."
            ),
            code="phone_format",
        )
    if not _PHONE_CHARACTERS.match(value):
        raise ValidationError(
            _("A phone number may contain only digits, spaces, dashes, dots and brackets after the +."),
            code="phone_characters",
        )
    digits = sum(character.isdigit() for character in value)
    if digits < 7 or digits > 15:
        raise ValidationError(
            _("A phone number in international format has 7 to 15 digits; this one has %(count)s."),
            params={"count": digits},
            code="phone_length",
        )
    if value.lstrip("+ (").startswith("0"):
        raise ValidationError(
            _("After the + comes the country code, which never starts with 0."), code="phone_country_code"
        )
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or phonenumbers.region_code_for_number(number) in (None, "ZZ"):
        raise ValidationError(
            _("The number does not start with a country code we know. Check the digits after the +."),
            code="phone_country_code",
        )
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _(
                "Phone numbers in %(country)s do not have this many digits: check the digits and that the "
                "country code is right."
            ),
            params={"country": country_name(phonenumbers.region_code_for_number(number) or "")},
            code="phone_invalid",
        )


def normalise_phone(value: str) -> str:
    """A valid number in the international format (``+998 71 123 45 67``); anything else as typed, tidied."""
    tidy = " ".join((value or "").split())
    try:
        number = phonenumbers.parse(tidy, None)
    except phonenumbers.NumberParseException:
        return tidy
    if not phonenumbers.is_valid_number(number):
        return tidy
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
