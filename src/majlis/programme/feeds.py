"""Private calendar feeds of personal agendas.

A participant subscribes their calendar application to a secret URL. Only the SHA-256 of the
secret is stored, so the URL is shown once, when it is made; making a new one revokes the old, and
a participant can revoke it at any time. Each creation and revocation is audited (without the
secret).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from majlis.core import audit
from majlis.events.models import Event

from .models import AgendaItem, CalendarFeed

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_feed(user: Any, event: Event, *, request: Any = None) -> tuple[CalendarFeed, str]:
    """A new feed for the user's agenda in the event (revoking any earlier one) and its secret token."""
    revoked = _revoke(user, event)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(user=user, event=event, token_hash=hash_token(token))
    audit.record(
        "programme.calendar_feed_created",
        actor=user,
        obj=feed,
        event_slug=event.slug,
        request=request,
        revoked_earlier=revoked,
    )
    return feed, token


@transaction.atomic
def revoke_feeds(user: Any, event: Event, *, request: Any = None) -> int:
    """Revoke the user's feeds for the event; returns how many were active."""
    revoked = _revoke(user, event)
    audit.record("programme.calendar_feed_revoked", actor=user, event_slug=event.slug, request=request, revoked=revoked)
    return revoked


def _revoke(user: Any, event: Event) -> int:
    return CalendarFeed.objects.filter(user=user, event=event, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def active_feed(token: str, event_slug: str) -> CalendarFeed | None:
    """The active feed with this token for this event (one query, with the event and user), or None."""
    if not token or len(token) > 200:
        return None
    return (
        CalendarFeed.objects.select_related("event__venue", "user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, event__slug=event_slug, user__is_active=True)
        .first()
    )


def agenda_guids(feed: CalendarFeed) -> set[str]:
    return {
        str(guid)
        for guid in AgendaItem.objects.filter(user_id=feed.user_id, event_id=feed.event_id).values_list(
            "session_guid", flat=True
        )
    }
