"""Accreditation's capabilities, granted by event roles (``events.rules.ROLE_CAPABILITIES``).

Passport numbers and security vetting are capabilities of their own so that an event can give them
to its security officers only. Delegation-level rights are object-level capabilities asked of a
``Delegation``: its members (``DelegationMembership``) hold them for that delegation only, and the
event's organisers through the matching event-wide capability.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rules.predicates import Predicate

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


@capabilities.predicate("approved online participant of the event")
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


# --- Delegations act through people ---------------------------------------------------------------

FOCAL_POINT = "focal_point"
HEAD_OF_DELEGATION = "head_of_delegation"
NEGOTIATOR = "negotiator"
MEMBER = "member"


def _roles_in(user: Any, delegation: Any) -> set[str]:
    from .models import Delegation

    if not isinstance(delegation, Delegation):
        return set()
    return delegation.roles_of(user)


@capabilities.predicate("focal point of the delegation")
def is_delegation_focal_point(user: Any, delegation: Any) -> bool:
    return FOCAL_POINT in _roles_in(user, delegation)


@capabilities.predicate("member of the delegation")
def is_delegation_member(user: Any, delegation: Any) -> bool:
    return bool(_roles_in(user, delegation))


@capabilities.predicate("negotiator of the delegation")
def is_delegation_negotiator(user: Any, delegation: Any) -> bool:
    return bool(_roles_in(user, delegation) & {FOCAL_POINT, HEAD_OF_DELEGATION, NEGOTIATOR})


def _in_the_delegations_event(name: str) -> Predicate:
    """True when the user holds the event capability ``name`` in the delegation's event. Asked of a
    delegation only (not of the event), so that these never show up as an event's token scopes."""

    @capabilities.predicate(f"{name} in the delegation's event")
    def predicate(user: Any, delegation: Any) -> bool:
        from .models import Delegation

        return isinstance(delegation, Delegation) and capabilities.has(user, name, delegation.event)

    return predicate


capabilities.declare(
    "delegation.manage",
    _("prepare a delegation: its members, documents and credentials"),
    is_delegation_focal_point | _in_the_delegations_event("accreditation.manage"),
)
capabilities.declare(
    "delegation.view",
    _("see a delegation and its members"),
    is_delegation_member | _in_the_delegations_event("accreditation.view"),
)
capabilities.declare(
    "documents.negotiate",
    _("negotiate outcome documents for a delegation"),
    is_delegation_negotiator,
)
