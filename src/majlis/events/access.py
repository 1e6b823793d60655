"""Resolving the event of a request once, and checking a named capability in it.

``event_view(capability)`` wraps every page under ``/<lang>/<event>/…``: it loads the event from
the ``event`` URL argument (404 when it does not exist or is unpublished and the user may not see
it), sets ``request.event``, sends anonymous visitors to log in when a capability is needed, answers
403 to signed-in users without it, and runs the view in the event's time zone. The view receives
the ``Event`` object as its ``event`` argument. ``event_view(None)`` is for pages open to everyone
who may see the event; ``event_view(None, login=True)`` for pages of an event that need a signed-in
user but no capability (a focal point's own delegation, a participant's agenda: the view checks the
object itself). The ``majlis_access`` marker it leaves tells the access tests what was decided.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from majlis.core import capabilities

from .models import Event

View = Callable[..., HttpResponseBase]


def visible_event(user: Any, slug: str) -> Event:
    """The event with this slug, if the user may see it (published, or they may see it unpublished)."""
    event = Event.objects.select_related("series", "venue").filter(slug=slug).first()
    if event is None or (not event.is_public and not capabilities.has(user, "event.view_unpublished", event)):
        raise Http404("No such event.")
    return event


def check(request: HttpRequest, capability: str, obj: Any) -> None:
    """403 unless the request's user holds ``capability`` on ``obj`` (for checks inside a view)."""
    if not capabilities.has(request.user, capability, obj):
        raise PermissionDenied


def event_view(capability: str | None, *, login: bool = False) -> Callable[[View], View]:
    """Resolve the event once, check ``capability`` in it, and call the view with the ``Event``."""
    if capability is not None:
        capabilities.get(capability)  # a misspelt name fails at import, not on the first request
    needs_login = login or capability is not None

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, event: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if needs_login and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event_obj = visible_event(request.user, event)
            request.event = event_obj  # type: ignore[attr-defined]
            if capability is not None:
                check(request, capability, event_obj)
            with timezone.override(event_obj.tz):
                return view(request, event_obj, *args, **kwargs)

        wrapper.majlis_access = capability or ("authenticated" if login else "public")  # type: ignore[attr-defined]
        return wrapper

    return decorate
