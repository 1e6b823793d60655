"""Personal data requests of participants."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from majlis.events.models import Event

from .. import workflow
from ..models import (
    Application,
    ApplicationQuerySet,
)
from ._common import _lock_application, _normalise_email, _record, _refresh_caller_copy
from .passports import passport_digest_candidates
from .transitions import cancel_application

# --- Personal data -----------------------------------------------------------------------------


@transaction.atomic
def request_deletion(application: Application, *, actor: Any, request: Any = None) -> Application:
    """The participant asks for their data to be deleted: the application is cancelled (its seat freed)
    and marked for the purge (``majlis purge-personal-data``)."""
    _event_capacity, locked = _lock_application(application.event, application)
    if workflow.state_allows("cancel", locked):
        cancel_application(locked, actor=actor, request=request)
        locked.refresh_from_db()
    if locked.deletion_requested_at is None:
        locked.deletion_requested_at = timezone.now()
        locked.save(update_fields=["deletion_requested_at", "updated_at"])
    _record("deletion_requested", locked, actor=actor, request=request)
    return _refresh_caller_copy(application, locked)


def live_applications(event: Event) -> ApplicationQuerySet:
    return Application.objects.filter(event=event).live()


def find_duplicates(event: Event, *, email: str = "", passport: str = "") -> bool:
    """Whether a live application with this e-mail or passport number exists (for forms that check early)."""
    query = Q()
    if email:
        query |= Q(email__iexact=_normalise_email(email))
    if passport:
        query |= Q(passport_number_digest__in=passport_digest_candidates(passport))
    return bool(query) and live_applications(event).filter(query).exists()
