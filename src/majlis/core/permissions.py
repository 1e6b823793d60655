"""Access markers and the second-factor rule, with no conference in them.

What a person may do in an event is a named capability (``core.capabilities``) that the events app
resolves from event roles (``events.rules``); views in the events and later apps use
``events.access.event_view``. Views outside any event use ``public`` or ``login_required`` here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations: the request a view behind ``login_required`` gets, whose user has signed in."""

    user: User


def needs_second_factor(user: Any) -> bool:
    """In production, organisers and staff act only after confirming a TOTP code in this session."""
    from django.conf import settings

    if not settings.MAJLIS_REQUIRE_STAFF_2FA:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a view as open to everyone, so that the access tests can tell it was decided."""
    view.majlis_access = "public"  # type: ignore[attr-defined]
    return view


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    from django.contrib.auth.decorators import login_required as django_login_required

    wrapped = django_login_required(view)
    wrapped.majlis_access = "authenticated"  # type: ignore[attr-defined]
    return wrapped
