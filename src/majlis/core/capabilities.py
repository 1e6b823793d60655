"""Named capabilities: what a person or a device may do, usually in one event.

A capability is a dotted name (``programme.edit``, ``accreditation.decide``, ``gates.scan``). Each
app declares its own in its ``rules.py`` with ``declare`` and gives each a predicate of the
`rules` library deciding, for a user and an object (usually the event), whether they hold it —
the way pretalx does. Core knows no conference: which event roles grant which capability is the
events app's business, and other apps add their own predicates (a delegation's negotiators, a
gate device's scopes).

Checks go through ``has`` rather than ``user.has_perm``: Django answers ``True`` for every active
superuser before asking any backend, which would skip the second factor an organiser must confirm
first. Views and API operations name the capability they need (``requires`` marks them, so the
access tests can find an undeclared one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.utils.functional import Promise
from rules.predicates import Predicate

# The rules library ships py.typed but leaves these functions unannotated, so each is given its
# documented signature once, here, and the rest of Majlis calls them typed.
_set_perm: Callable[[str, Predicate | Callable[..., bool]], None] = rules.set_perm
_has_perm: Callable[..., object] = rules.has_perm
_make_predicate: Callable[..., Predicate] = rules.predicate


@dataclass(frozen=True)
class Capability:
    name: str
    label: str | Promise
    app: str


_DECLARED: dict[str, Capability] = {}


def declare(name: str, label: str | Promise, predicate: Predicate | Callable[..., bool]) -> Capability:
    """Declare a capability and the predicate deciding it (idempotent for the same name)."""
    if "." not in name:
        raise ValueError(f"A capability is named app.action, not {name!r}.")
    capability = Capability(name=name, label=label, app=name.split(".", 1)[0])
    _DECLARED[name] = capability
    _set_perm(name, predicate)
    return capability


def extend(name: str, predicate: Predicate | Callable[..., bool]) -> None:
    """Let another app grant a declared capability too: the holder needs either predicate.

    An app above the one that declared ``name`` uses this from its ``ready`` (accreditation lets
    accredited online participants see streams; an API token's scopes grant what they name).
    """
    get(name)
    current = rules.permissions.permissions[name]
    _set_perm(name, current | _make_predicate(predicate))


def predicate(name: str) -> Callable[[Callable[..., bool]], Predicate]:
    """``rules.predicate(name=...)``, typed: turns a function of (user, obj) into a named predicate."""

    def make(test: Callable[..., bool]) -> Predicate:
        return _make_predicate(test, name=name)

    return make


def declared() -> dict[str, Capability]:
    """Every declared capability by name (for the role pages, the token scopes and the tests)."""
    return dict(_DECLARED)


def get(name: str) -> Capability:
    try:
        return _DECLARED[name]
    except KeyError:
        raise LookupError(f"No capability named {name!r} was declared.") from None


def has(user: Any, name: str, obj: Any = None) -> bool:
    """Whether ``user`` (a user, an anonymous user, or an API token's principal) holds ``name`` on ``obj``."""
    get(name)  # a misspelt capability is a programming error, not a silent "no"
    return bool(_has_perm(name, user, obj))


def requires(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a view or operation with the capability it checks, for the access tests."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.majlis_access = name  # type: ignore[attr-defined]
        return view

    return mark
