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


def passport_digest_candidates(number: str) -> list[str]:
    """Every stored form of this number's digest (one per configured digest key, and the legacy one)."""
    return crypto.digest_candidates("passport", normalise_passport_number(number))


def stored_passport_digest_candidates(application: Application) -> list[str]:
    """The digest forms of an application's own passport number, to find another with the same one.

    Decrypted here, never shown nor returned: a comparison by machine, so not an audited reading.
    """
    if not application.passport_number_encrypted:
        return []
    return crypto.digest_candidates("passport", crypto.decrypt(application.passport_number_encrypted))


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
    application.passport_number_digest = passport_digest(clean)


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
