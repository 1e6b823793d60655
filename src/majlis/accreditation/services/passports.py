"""Passport numbers: normalised, encrypted, digested for duplicates; read only through an audited call."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from majlis.core import audit, crypto

from ..models import (
    Application,
)
from ..validators import normalise_passport_number, passport_number_error

# --- Passport numbers -------------------------------------------------------------------------


def passport_digest(number: str) -> str:
    return crypto.digest("passport", normalise_passport_number(number))


def set_passport_number(application: Application, number: str) -> None:
    """Encrypt the number into the application (not saved). An empty value removes it."""
    clean = normalise_passport_number(number)
    if not clean:
        application.passport_number_encrypted = None
        application.passport_number_digest = ""
        return
    error = passport_number_error(clean)
    if error is not None:
        raise ValidationError({"passport_number": error})
    application.passport_number_encrypted = crypto.encrypt(clean)
    application.passport_number_digest = crypto.digest("passport", clean)


def passport_number(application: Application, *, actor: Any, request: Any = None) -> str:
    """The passport number in clear, for someone allowed to see it; every reading is audited."""
    if not application.passport_number_encrypted:
        return ""
    value = crypto.decrypt(application.passport_number_encrypted)
    audit.record(
        "accreditation.passport_viewed",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
    )
    return value
