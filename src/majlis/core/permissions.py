"""Who may do what. Every view and API endpoint names one of these checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ORGANISER_ROLES = frozenset({"organiser_admin", "co_organiser"})


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations: the request a view behind ``login_required`` gets, whose user has signed in."""

    user: User


def organised_event_ids(user: Any) -> set[int] | None:
    """Ids of the events the user organises; ``None`` means every event (a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if needs_second_factor(user):
        return set()  # organiser rights wait for the authenticator code (account:verify)
    if user.is_superuser:
        return None
    from majlis.events.models import EventRole

    return set(EventRole.objects.filter(user=user, role__in=ORGANISER_ROLES).values_list("event_id", flat=True))


def needs_second_factor(user: Any) -> bool:
    """In production, organisers and staff act only after confirming a TOTP code in this session."""
    from django.conf import settings

    if not settings.MAJLIS_REQUIRE_STAFF_2FA:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def is_organiser(user: Any, event: Any) -> bool:
    ids = organised_event_ids(user)
    return ids is None or event.pk in ids


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a view as open to everyone, so that the access tests can tell it was decided."""
    view.majlis_access = "public"  # type: ignore[attr-defined]
    return view


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    from django.contrib.auth.decorators import login_required as django_login_required

    wrapped = django_login_required(view)
    wrapped.majlis_access = "authenticated"  # type: ignore[attr-defined]
    return wrapped


def organiser_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """For views taking an ``event`` object (resolved by ``event_view``) that only organisers use."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        event = kwargs.get("event_obj") or getattr(request, "event", None)
        if not request.user.is_authenticated or event is None or not is_organiser(request.user, event):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.majlis_access = "organiser"  # type: ignore[attr-defined]
    return wrapper
