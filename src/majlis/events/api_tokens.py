"""Who an API token is, and what it may do: exactly its scopes, in its own event, nothing else.

A request carrying ``Authorization: Bearer mjl_…`` is made by a ``TokenPrincipal``. It is not a
signed-in person: it is an ``AnonymousUser`` to everything that asks about people (no event roles,
no superuser, no foreign keys to users, no second factor), so that no code path can lend it a
person's rights. Its only rights come from ``grant_token_scopes``, which extends every declared
capability with a predicate true for a principal whose event is the object's event and whose scopes
name the capability. Audit entries name the token (``str(principal)``) as the actor.

Wrong tokens are counted per client address (``FAILED_TOKENS``); past the limit the address gets
429 until the window ends, so that secrets cannot be guessed even in theory and a misconfigured
device cannot flood the log.
"""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from majlis.core import capabilities
from majlis.core.api_support import ApiError
from majlis.core.throttle import Throttle, address_bucket, client_address

from .models_tokens import TOKEN_PREFIX, EventApiToken, hash_secret
from .rules import event_of
from .services_tokens import NOT_FOR_TOKENS, record_token_refused, record_token_use

FAILED_TOKENS = Throttle("api-token-failures", limit=20, window=15 * 60)


class TokenPrincipal(AnonymousUser):
    """The caller of a request authenticated by an API token."""

    def __init__(self, token: EventApiToken) -> None:
        self.token = token
        self.event_id = token.event_id
        self.scopes = frozenset(token.scopes or [])
        self.zone = token.zone
        grant_token_scopes()

    def __str__(self) -> str:
        return f"API token {self.token.name} ({self.token.prefix}…, #{self.token.pk})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenPrincipal) and other.token.pk == self.token.pk

    def __hash__(self) -> int:
        return hash(("api-token", self.token.pk))


def _token_scope(name: str) -> Any:
    def token_holds_scope(user: Any, obj: Any) -> bool:
        if not isinstance(user, TokenPrincipal) or name not in user.scopes:
            return False
        event = event_of(obj)
        return event is not None and event.pk == user.event_id

    token_holds_scope.__name__ = f"api_token_holds_{name.replace('.', '_')}"
    return token_holds_scope


_granted: set[str] = set()
_granting = threading.Lock()


def grant_token_scopes() -> None:
    """Let tokens hold every declared capability their scopes name (idempotent).

    Runs when the events app is ready and again whenever a principal is made, so that capabilities
    declared by apps loaded later (programme, accreditation, gates…) are covered too.
    """
    declared = capabilities.declared()
    if declared.keys() <= _granted:
        return
    with _granting:
        for name in declared:
            if name not in _granted and name not in NOT_FOR_TOKENS:
                capabilities.extend(name, _token_scope(name))
            _granted.add(name)


def principal_for(request: HttpRequest, secret: str) -> TokenPrincipal:
    """The principal of a bearer secret: 401 when unknown, revoked or expired; 429 after too many failures.

    On success the request's user becomes the principal, so that every later check and audit entry
    sees the token and not the session of whoever else may share the browser.
    """
    bucket = address_bucket(client_address(request))
    if FAILED_TOKENS.exceeded(bucket):
        wait = FAILED_TOKENS.seconds_left(bucket)
        raise ApiError(
            429,
            f"Too many invalid API tokens from this address. Try again in {wait} seconds.",
            "throttled",
            headers={"Retry-After": str(wait)},
        )
    token = None
    if secret.startswith(TOKEN_PREFIX) and len(secret) < 200:
        token = EventApiToken.objects.select_related("event").filter(secret_hash=hash_secret(secret)).first()
    now = timezone.now()
    if token is None or token.state_at(now) != EventApiToken.State.ACTIVE:
        FAILED_TOKENS.hit(bucket)
        if token is not None:
            record_token_refused(token, request=request)
        raise HttpError(401, "This API token is not valid: it is unknown, revoked or expired.")
    record_token_use(token, now=now)
    principal = TokenPrincipal(token)
    request.user = principal
    return principal


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, or ``None`` when there is none."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer mjl_…``: an event's API token (see ``/…/manage/api-tokens/``)."""

    def authenticate(self, request: HttpRequest, token: str) -> TokenPrincipal:
        return principal_for(request, token.strip())


api_token_auth = ApiTokenAuth()

# Operations that need a capability accept either: a token (no CSRF: it is not sent by browsers on
# their own) or the browser's session (with its CSRF token, checked by ninja's SessionAuth).
SESSION_OR_TOKEN = [api_token_auth, django_auth]
