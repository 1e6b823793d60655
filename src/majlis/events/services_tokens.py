"""Creating and revoking an event's API tokens (audited), and noting their use.

The secret of a new token is returned once, by ``create_token``; only its digest is stored, so it
cannot be shown again (a lost secret means a new token). A token's scopes must be declared
capabilities that its creator holds in the event themselves: nobody can hand a device more than
they may do.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core import audit, capabilities

from .extensions import token_zone_choices
from .models import Event
from .models_tokens import TOKEN_PREFIX, EventApiToken, hash_secret

# Capabilities a token may never hold. Tokens are for devices and integrations: the first two change
# who may do what (a token minting tokens, or giving roles, would escape its creator's control);
# ``programme.draft`` acts for the organisation of a side-event organiser's role, which a token has not.
NOT_FOR_TOKENS = frozenset({"event.manage_tokens", "event.manage_roles", "programme.draft"})

# How often ``last_used_at`` is written at most: a device calling every second must not turn every
# read into a write.
LAST_USED_RESOLUTION_SECONDS = 60
SECRET_BYTES = 32  # 256 bits of randomness
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6


@dataclass(frozen=True)
class IssuedToken:
    token: EventApiToken
    secret: str  # shown once to the person who created the token, never stored


def token_scopes_for(user: Any, event: Event) -> dict[str, capabilities.Capability]:
    """The capabilities ``user`` may put on a token of ``event``: those they hold, except ``NOT_FOR_TOKENS``."""
    return {
        name: capability
        for name, capability in sorted(capabilities.declared().items())
        if name not in NOT_FOR_TOKENS and capabilities.has(user, name, event)
    }


@transaction.atomic
def create_token(
    event: Event,
    *,
    actor: Any,
    name: str,
    scopes: list[str],
    zone: str = "",
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> IssuedToken:
    if not capabilities.has(actor, "event.manage_tokens", event):
        raise PermissionDenied
    name = (name or "").strip()
    zone = (zone or "").strip()
    chosen = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the device it is for.")]
    allowed = token_scopes_for(actor, event)
    if not chosen:
        errors["scopes"] = [_("Choose at least one scope.")]
    elif unknown := [scope for scope in chosen if scope not in allowed]:
        errors["scopes"] = [
            _("A token cannot hold these scopes (unknown, or not yours to give): %(scopes)s.")
            % {"scopes": ", ".join(unknown)}
        ]
    if zone and zone not in dict(token_zone_choices(event)):
        errors["zone"] = [_("Choose one of the conference's zones, or none.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = EventApiToken.objects.create(
        event=event,
        name=name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        scopes=chosen,
        zone=zone,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=expires_at,
    )
    audit.record(
        "events.api_token_created",
        actor=actor,
        obj=token,
        event_slug=event.slug,
        request=request,
        scopes=chosen,
        zone=zone,
        expires_at=expires_at.isoformat() if expires_at else None,
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(token: EventApiToken, *, actor: Any, request: HttpRequest | None = None) -> EventApiToken:
    """Revokes the token at once: its next request is refused. Revoking twice changes nothing."""
    token = EventApiToken.objects.select_for_update().select_related("event").get(pk=token.pk)
    if not capabilities.has(actor, "event.manage_tokens", token.event):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record("events.api_token_revoked", actor=actor, obj=token, event_slug=token.event.slug, request=request)
    return token


def record_token_use(token: EventApiToken, *, now: datetime) -> None:
    """Notes when the token was last used, at most once a minute.

    Not audited: it is bookkeeping like a user's last log-in, and what the token does is audited by
    the services it calls (with the token as the actor).
    """
    if token.last_used_at is not None and (now - token.last_used_at).total_seconds() < LAST_USED_RESOLUTION_SECONDS:
        return
    EventApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def record_token_refused(token: EventApiToken, *, request: HttpRequest | None) -> None:
    """A revoked or expired token was presented: worth an entry (a lost device, a leaked secret)."""
    audit.record(
        "events.api_token_refused",
        actor=f"API token {token.name} ({token.prefix}…, #{token.pk})",
        obj=token,
        event_slug=token.event.slug,
        request=request,
        state=token.state,
    )
