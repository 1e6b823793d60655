"""Accreditation's capabilities, granted by event roles (``events.rules.ROLE_CAPABILITIES``).

Passport numbers and security vetting are capabilities of their own so that an event can give them
to its security officers only; delegation-level rights (a focal point acting for a delegation) are
decided by delegation membership, not by these event-wide capabilities.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from majlis.core import capabilities
from majlis.events.rules import declare_event_capability, event_of
from majlis.programme import rules as programme_rules  # noqa: F401  (declares programme.view_streams, extended below)

declare_event_capability("accreditation.view", _("see applications, delegations and their documents"))
declare_event_capability("accreditation.decide", _("approve, wait-list, reject and withdraw accreditations"))
declare_event_capability(
    "accreditation.manage", _("set up accreditation: categories, capacity, invitation codes, desks, settings")
)
declare_event_capability("accreditation.mail", _("send e-mails to participants and focal points"))
declare_event_capability("accreditation.view_passports", _("see and export passport numbers (audited)"))
declare_event_capability("accreditation.vet", _("set the security vetting status of participants"))


@rules.predicate(name="approved online participant of the event")
def is_approved_online_participant(user: Any, obj: Any) -> bool:
    """Participants accredited to follow the event online watch its sessions' streams."""
    from .models import Application, Mode

    event = event_of(obj)
    if event is None or not getattr(user, "is_authenticated", False):
        return False  # (participants have no second factor to confirm: the stream is not an organiser tool)
    # Cached on the user for the rest of the request, like the event roles.
    cache: dict[int, bool] = user.__dict__.setdefault("_majlis_online_participant", {})
    if event.pk not in cache:
        cache[event.pk] = Application.objects.filter(
            event=event, user=user, status=Application.Status.APPROVED, mode=Mode.ONLINE
        ).exists()
    return cache[event.pk]


capabilities.extend("programme.view_streams", is_approved_online_participant)
