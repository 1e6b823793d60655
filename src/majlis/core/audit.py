"""The audit log: every state change and every access to personal data writes one entry."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditEntry
from .throttle import client_address


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's real address: behind a trusted proxy (MAJLIS_TRUSTED_PROXIES), not the proxy's."""
    return client_address(request)


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    event_slug: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
    client: str | None = None,
    **data: Any,
) -> AuditEntry:
    """Write one entry. ``client`` is the client's address when there is no request (a task
    acting on behalf of a request passes the address the request came from)."""
    if actor is None and request is not None:
        actor = request.user
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "system"))[:200],
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        event_slug=event_slug,
        reason=reason,
        data=data,
        ip_address=client_ip(request) if request is not None else (client or None),
    )
