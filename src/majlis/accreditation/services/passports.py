"""Passport numbers: normalised, encrypted, digested for duplicates, and decrypted only here.

Every reading by a person is audited: one number on the organisers' page (``passport_number``), the
numbers of an export (``PassportExport``, whose ids go into the export's audit entry), the person's
own data export. The owner's page shows a masked number (``masked_passport_number``) and comparing
digests decrypts without showing anything; neither is an access to someone else's data.
"""

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
    return crypto.digest_candidates("passport", _decrypt(application))


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


def _decrypt(application: Application) -> str:
    return crypto.decrypt(application.passport_number_encrypted) if application.passport_number_encrypted else ""


def passport_number(application: Application, *, actor: Any, request: Any = None, purpose: str = "") -> str:
    """The passport number in clear, for someone allowed to see it; every reading is audited."""
    if not application.passport_number_encrypted:
        return ""
    value = _decrypt(application)
    audit.record(
        "accreditation.passport_viewed",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
        **({"purpose": purpose} if purpose else {}),
    )
    return value


class PassportExport:
    """Reads the passport numbers of one export; the caller audits the export with ``read_ids``
    (whose numbers it contains), after checking ``accreditation.view_passports``."""

    def __init__(self) -> None:
        self.read_ids: list[int] = []

    def number(self, application: Application) -> str:
        if not application.passport_number_encrypted:
            return ""
        self.read_ids.append(application.pk)
        return _decrypt(application)


def masked_passport_number(application: Application) -> str:
    """The owner's own number with all but the last three characters hidden (never the clear value)."""
    if not application.passport_number_encrypted:
        return ""
    try:
        number = _decrypt(application)
    except crypto.DecryptionError:
        return "•" * 8
    return "•" * max(len(number) - 3, 3) + number[-3:]
