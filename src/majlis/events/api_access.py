"""The one dependency of every API operation: who is calling, which event, which capability.

``event_operation(capability)`` wraps an operation whose path has the ``slug`` of an event:

* it loads the event once (404 ``not_found`` when there is none, or when it is unpublished and the
  caller may not see it) and sets ``request.event``;
* with a capability (or a tuple of capabilities, any of which will do) it answers 401
  ``unauthenticated`` to a caller who is neither signed in nor a valid API token, and 403
  ``forbidden`` to one who lacks the capability in this event; such operations also declare
  ``auth=SESSION_OR_TOKEN`` so that ninja checks the session's CSRF token and documents the schemes;
* ``event_operation(None)`` is for public reads: no sign-in needed, but a bearer token that is sent
  is checked (401 when invalid), so a token holding ``event.view_unpublished`` sees its draft event.

``public_operation`` does the same for operations outside any event (the list of events and
organisations). Both mark the operation (``majlis_access``: the capability names joined by ``|``, or
``public``) so that ``tests/core/test_api_walk.py`` can find an operation that declares nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from majlis.core import capabilities
from majlis.core.api_support import ApiError, not_found

from .api_tokens import TokenPrincipal, bearer_secret, principal_for
from .models import Event

Operation = Callable[..., Any]
PUBLIC = "public"


def _caller(request: HttpRequest) -> Any:
    """The session's user, or the principal of a bearer token that ninja's auth has not checked yet."""
    if not isinstance(request.user, TokenPrincipal):
        secret = bearer_secret(request)
        if secret is not None:
            principal_for(request, secret)
    return request.user


def _is_caller_known(user: Any) -> bool:
    return isinstance(user, TokenPrincipal) or bool(getattr(user, "is_authenticated", False))


def resolve_event(user: Any, slug: str) -> Event:
    """The event with this slug if ``user`` may see it (published, or they hold ``event.view_unpublished``)."""
    event = Event.objects.select_related("series", "venue").filter(slug=slug).first()
    if event is None or (not event.is_public and not capabilities.has(user, "event.view_unpublished", event)):
        raise not_found(f"There is no event “{slug}”.")
    return event


def request_event(request: HttpRequest) -> Event:
    """The event ``event_operation`` resolved for this request."""
    event: Event = request.event  # type: ignore[attr-defined]
    return event


def forbidden(capability: str) -> ApiError:
    label = capabilities.get(capability).label
    return ApiError(
        403, _("You may not do this in this event: it needs the right to %(right)s.") % {"right": label}, "forbidden"
    )


def _keep_signature(wrapper: Operation, operation: Operation) -> None:
    """Ninja reads an operation's parameters from its signature and resolves string annotations
    (``from __future__ import annotations``) in the function's own module: give the wrapper the
    operation's signature with the annotations already resolved there."""
    wrapper.__signature__ = inspect.signature(operation, eval_str=True)  # type: ignore[attr-defined]


def _with_capability(doc: str | None, names: tuple[str, ...]) -> str:
    """The operation's description (shown in the API docs) ending with the capability it checks."""
    needed = " or ".join(f"`{name}`" for name in names)
    return (
        f"{inspect.cleandoc(doc or '')}\n\nAccess: needs {needed} in the event: a signed-in session "
        "(writes also send the `X-CSRFToken` header) of someone whose roles grant it, or an API token of "
        "the event with that scope "
        "(`Authorization: Bearer mjl_…`). 401 without either, 403 without the capability."
    )


def event_operation(capability: str | tuple[str, ...] | None) -> Callable[[Operation], Operation]:
    names: tuple[str, ...] = (capability,) if isinstance(capability, str) else tuple(capability or ())
    for name in names:
        capabilities.get(name)  # a misspelt capability fails at import, not as a silent 403

    def decorate(operation: Operation) -> Operation:
        @wraps(operation)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> Any:
            user = _caller(request)
            if names and not _is_caller_known(user):
                raise HttpError(401, "Sign in, or send an API token of this event.")
            event = resolve_event(user, slug)
            request.event = event  # type: ignore[attr-defined]
            if names and not any(capabilities.has(user, name, event) for name in names):
                raise forbidden(names[0])
            return operation(request, *args, slug=slug, **kwargs)

        _keep_signature(wrapper, operation)
        if names:
            wrapper.__doc__ = _with_capability(operation.__doc__, names)
        wrapper.majlis_access = "|".join(names) or PUBLIC  # type: ignore[attr-defined]
        wrapper.majlis_capabilities = names  # type: ignore[attr-defined]
        wrapper.majlis_resolves_event = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public_operation(operation: Operation) -> Operation:
    """For operations outside any event, open to everyone (a bearer token sent is still checked)."""

    @wraps(operation)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        _caller(request)
        return operation(request, *args, **kwargs)

    _keep_signature(wrapper, operation)
    wrapper.majlis_access = PUBLIC  # type: ignore[attr-defined]
    wrapper.majlis_capabilities = ()  # type: ignore[attr-defined]
    return wrapper
