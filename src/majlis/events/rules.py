"""The event-level capabilities and the roles that grant them.

Each ``EventRole`` grants a fixed set of capabilities in its event (``ROLE_CAPABILITIES``); a
superuser holds every event capability once their second factor is confirmed. Apps declare the
capabilities they check in their own ``rules.py`` with ``granted_by_event_roles`` (or with a
predicate of their own, such as a delegation's membership roles); the roles → capabilities table
lives here because roles are the events app's concept.

The roles a user holds in an event are read once per request and user (cached on the user object).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rules.predicates import Predicate

from majlis.core import capabilities
from majlis.core.permissions import needs_second_factor

from .models import Event, EventRole

Role = EventRole.Role

ORGANISER_ROLES = frozenset({Role.ORGANISER_ADMIN, Role.CO_ORGANISER})

# What the organisers of an event may do. Passport numbers and security vetting are not in it:
# those belong to the security officers (least privilege: an organiser who also vets holds both roles).
_ORGANISING = frozenset(
    {
        "event.view_unpublished",
        "event.manage",
        "programme.edit",
        "programme.draft",  # what a side-event organiser may do, organisers may do too
        "programme.view_streams",
        "accreditation.view",
        "accreditation.decide",
        "accreditation.manage",
        "accreditation.mail",
        "badges.issue",
        "gates.manage",
        # Organisers try a gate before the doors open, and only a holder can give a gate device's
        # token the scope (``services_tokens.token_scopes_for``).
        "gates.scan",
        "documents.manage",
    }
)

# What every role may do in its event. Capabilities of later apps (badges, gates, documents) are
# listed here too, so that one table tells an organiser what a role means; an app declares each
# capability it checks in its own ``rules.py``. Delegation-level rights (a focal point nominating
# members, negotiators editing a text) come from delegation memberships, not from this table.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ORGANISER_ADMIN: _ORGANISING | {"event.manage_roles", "event.manage_tokens", "badges.manage_keys"},
    Role.CO_ORGANISER: _ORGANISING,
    Role.SIDE_EVENT_ORGANISER: frozenset({"event.view_unpublished", "programme.draft", "programme.view_streams"}),
    Role.ACCREDITATION_OFFICER: frozenset(
        {"event.view_unpublished", "accreditation.view", "accreditation.decide", "accreditation.mail", "badges.issue"}
    ),
    Role.SECURITY_OFFICER: frozenset(
        {
            "event.view_unpublished",
            "accreditation.view",
            "accreditation.view_passports",
            "accreditation.vet",
            "gates.manage",
            "gates.scan",
            "badges.manage_keys",
        }
    ),
    Role.FOCAL_POINT: frozenset(),
    Role.PARTICIPANT: frozenset(),
    Role.GATE_OFFICER: frozenset({"gates.scan"}),
    Role.JOURNALIST: frozenset({"programme.view_streams"}),
}


def organised_event_ids(user: Any) -> set[int] | None:
    """Ids of the events the user organises; ``None`` means every event (a superuser)."""
    if not getattr(user, "is_authenticated", False) or needs_second_factor(user):
        return set()  # organiser rights wait for the authenticator code (account:verify)
    if user.is_superuser:
        return None
    return set(EventRole.objects.filter(user=user, role__in=ORGANISER_ROLES).values_list("event_id", flat=True))


def events_with(user: Any, name: str) -> set[int] | None:
    """Ids of the events in which the user's roles grant capability ``name``; ``None`` means every event."""
    if not getattr(user, "is_authenticated", False) or needs_second_factor(user):
        return set()
    if user.is_superuser and user.is_active:
        return None
    roles = [role for role, granted in ROLE_CAPABILITIES.items() if name in granted]
    return set(EventRole.objects.filter(user=user, role__in=roles).values_list("event_id", flat=True))


def is_organiser(user: Any, event: Event) -> bool:
    """Whether the user holds an organising role in the event (or is a superuser past the second factor)."""
    ids = organised_event_ids(user)
    return ids is None or event.pk in ids


def event_of(obj: Any) -> Event | None:
    """The event an object belongs to: the event itself, or anything with an ``event`` attribute."""
    if isinstance(obj, Event):
        return obj
    event = getattr(obj, "event", None)
    return event if isinstance(event, Event) else None


def event_roles(user: Any, event: Event) -> frozenset[str]:
    """The roles ``user`` holds in ``event`` (cached on the user for the rest of the request)."""
    if not getattr(user, "is_authenticated", False) or needs_second_factor(user):
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_majlis_event_roles", {})
    if event.pk not in cache:
        cache[event.pk] = frozenset(EventRole.objects.filter(user=user, event=event).values_list("role", flat=True))
    return cache[event.pk]


def event_capabilities(user: Any, event: Event) -> frozenset[str]:
    """Every capability the user's roles (or superuser status) give them in the event."""
    if not getattr(user, "is_authenticated", False) or needs_second_factor(user):
        return frozenset()
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return frozenset().union(*ROLE_CAPABILITIES.values())
    granted: set[str] = set()
    for role in event_roles(user, event):
        granted |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(granted)


def granted_by_event_roles(name: str) -> Predicate:
    """A predicate true when the user's roles in the object's event grant ``name``."""

    @capabilities.predicate(f"event role grants {name}")
    def predicate(user: Any, obj: Any) -> bool:
        event = event_of(obj)
        return event is not None and name in event_capabilities(user, event)

    return predicate


def declare_event_capability(name: str, label: Any) -> capabilities.Capability:
    return capabilities.declare(name, label, granted_by_event_roles(name))


declare_event_capability("event.view_unpublished", _("see the event before it is published"))
declare_event_capability("event.manage", _("manage the event's settings, pages and publication"))
declare_event_capability("event.manage_roles", _("give and take away roles in the event"))
declare_event_capability("event.manage_tokens", _("create and revoke API tokens for devices and integrations"))
