"""Passport numbers, passport expiry and travel dates: one set of rules, and the forms and services agree on it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from majlis.accreditation import services, validators
from majlis.accreditation.forms import ApplicationForm
from majlis.accreditation.models import Application, Category
from majlis.core import crypto
from tests.factories import make_accreditation_event

from .applicant_helpers import valid_post

TRAVEL_FIELDS = ("passport_number", "passport_expiry", "departure_at")


@pytest.fixture
def event(db):
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))


def _at(event, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=event.tz)


def test_passport_number_normalisation_drops_separators_and_upper_cases():
    assert validators.normalise_passport_number(" fa-123 45.67/8 ") == "FA12345678"
    assert validators.normalise_passport_number(None) == ""
    assert validators.passport_number_error("FA12345678") is None
    assert validators.passport_number_error("") is None  # required or not is the caller's business
    for wrong in ("FA12", "FA" + "1" * 19, "ФА1234567", "FA#123456"):
        error = validators.passport_number_error(wrong)
        assert error is not None and error.code == "passport_number_format", wrong


def test_passport_expiring_on_the_last_day_or_the_departure_day_is_accepted(event):
    end = event.end_date
    leaving_on_the_last_day = _at(event, end, 20)
    assert validators.passport_expiry_error(event, end, leaving_on_the_last_day) is None
    assert validators.passport_expiry_error(event, end, None) is None
    staying_on = _at(event, end + timedelta(days=3), 9)
    assert validators.passport_expiry_error(event, end + timedelta(days=3), staying_on) is None


def test_passport_expiring_the_day_before_is_refused_with_the_day_needed(event):
    end = event.end_date
    error = validators.passport_expiry_error(event, end - timedelta(days=1), None)
    assert error is not None and error.code == "passport_expired"
    assert error.messages == [f"Your passport must be valid until the last day of the conference ({end:%d.%m.%Y})."]
    departure_day = end + timedelta(days=2)
    error = validators.passport_expiry_error(event, end + timedelta(days=1), _at(event, departure_day, 9))
    assert error is not None
    assert error.messages == [
        f"Your passport must be valid until the day of your departure ({departure_day:%d.%m.%Y})."
    ]


def test_departure_day_is_read_in_the_event_time_zone(event):
    # 23:30 in Tashkent on the last day is still the last day there, whatever the server's time zone.
    late = _at(event, event.end_date, 23, 30)
    assert validators.passport_needed_until(event, late) == event.end_date
    assert validators.passport_needed_until(event, late + timedelta(hours=1)) == event.end_date + timedelta(days=1)


def test_departure_on_the_arrival_day_is_accepted_before_it_is_not(event):
    arrival = _at(event, event.start_date, 9)
    assert validators.departure_error(arrival, arrival.replace(hour=18)) is None
    assert validators.departure_error(arrival, arrival) is None  # only dates typed: a day trip
    error = validators.departure_error(arrival, arrival - timedelta(minutes=1))
    assert error is not None and error.messages == ["Departure cannot be before arrival."]
    assert validators.departure_error(None, arrival) is None


def _form_errors(event, data: dict) -> set[str]:
    expert = Category.objects.get(event=event, code="expert")
    with timezone.override(event.tz):
        form = ApplicationForm(
            data,
            event=event,
            categories=[expert],
            sessions=[],
            privacy_notice=services.current_privacy_notice(event),
        )
        form.is_valid()
    return {name for name in TRAVEL_FIELDS if name in form.errors}


def _service_errors(event, *, passport: str, expiry: date, arrival: datetime, departure: datetime) -> set[str]:
    application = Application(
        event=event, category=Category.objects.get(event=event, code="expert"), mode="in_person", status="draft"
    )
    application.passport_expiry, application.arrival_at, application.departure_at = expiry, arrival, departure
    found: set[str] = set()
    try:
        services.set_passport_number(application, passport)
    except ValidationError as error:
        found |= set(error.message_dict)
    try:
        services._validate(event, application)
    except ValidationError as error:
        found |= set(error.message_dict) & set(TRAVEL_FIELDS)
    return found


# Never only separators: whether a passport number is required at all is the form's business, not these rules.
PASSPORT = st.text(alphabet="FAKZfak0123456789 -./#Ж", min_size=1, max_size=26).filter(
    validators.normalise_passport_number
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    passport=PASSPORT,
    expiry_offset=st.integers(min_value=-3, max_value=4),
    arrival_offset=st.integers(min_value=-2, max_value=2),
    arrival_hour=st.integers(min_value=0, max_value=23),
    stay_days=st.integers(min_value=-1, max_value=4),
    departure_hour=st.integers(min_value=0, max_value=23),
)
def test_forms_and_services_agree_on_passport_and_travel(
    event, passport, expiry_offset, arrival_offset, arrival_hour, stay_days, departure_hour
):
    expiry = event.end_date + timedelta(days=expiry_offset)
    arrival = _at(event, event.start_date + timedelta(days=arrival_offset), arrival_hour)
    departure = _at(event, arrival.date() + timedelta(days=stay_days), departure_hour)
    data = valid_post(
        event,
        passport_number=passport,
        passport_expiry=expiry.isoformat(),
        arrival_at=arrival.strftime("%Y-%m-%dT%H:%M"),
        departure_at=departure.strftime("%Y-%m-%dT%H:%M"),
    )
    from_form = _form_errors(event, data)
    from_services = _service_errors(event, passport=passport, expiry=expiry, arrival=arrival, departure=departure)
    assert from_form == from_services
    if "passport_number" not in from_form:
        application = Application(event=event)
        services.set_passport_number(application, passport)
        assert crypto.decrypt(application.passport_number_encrypted) == validators.normalise_passport_number(passport)
