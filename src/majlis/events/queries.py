"""Reads shared by the public site and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from majlis.core import capabilities
from majlis.events.rules import events_with

from .models import Document, DocumentFile, Event, EventOrganisation, NewsItem, Organisation


def get_visible_event(user: Any, slug: str) -> Event:
    """The event for this visitor (``access.visible_event``: drafts only for who may see them unpublished)."""
    from .access import visible_event

    return visible_event(user, slug)


def organisation_roles(event: Event) -> QuerySet[EventOrganisation]:
    return event.organisation_roles.select_related("organisation").order_by("position", "id")


def published_news(event: Event) -> QuerySet[NewsItem]:
    return event.news.filter(published_at__isnull=False, published_at__lte=timezone.now()).order_by(
        "-published_at", "-id"
    )


def visible_documents(event: Event, user: Any) -> QuerySet[Document]:
    return (
        Document.objects.visible_to(user)
        .filter(event=event)
        .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.order_by("language")))
        .order_by("position", "id")
    )


def visible_events(user: Any) -> QuerySet[Event]:
    """Published and archived events for everyone; drafts too where the user holds ``event.view_unpublished``.

    ``user`` may be an API token's principal: it sees its own event's draft if its scopes say so.
    """
    token_event = getattr(getattr(user, "token", None), "event", None)
    if isinstance(token_event, Event):
        drafts = {token_event.pk} if capabilities.has(user, "event.view_unpublished", token_event) else set()
    else:
        found = events_with(user, "event.view_unpublished")
        if found is None:  # superuser
            return Event.objects.all()
        drafts = found
    if not drafts:
        return Event.objects.public()
    return Event.objects.filter(~Q(status=Event.Status.DRAFT) | Q(pk__in=drafts))


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations taking part in at least one event the user may see."""
    roles = EventOrganisation.objects.filter(organisation=OuterRef("pk"), event__in=visible_events(user))
    return Organisation.objects.filter(Exists(roles))


def visible_news(event: Event, user: Any) -> QuerySet[NewsItem]:
    """Published news, newest first; whoever manages the event also sees unpublished and scheduled items (first)."""
    if capabilities.has(user, "event.manage", event):
        return event.news.order_by(F("published_at").desc(nulls_first=True), "-id")
    return published_news(event)


def account_roles_section(user: Any) -> dict[str, Any]:
    """The account page's "my roles in conferences" (``core.account``): shown even when empty."""
    roles = user.event_roles.select_related("event", "organisation").order_by("-event__start_date", "event_id", "role")
    return {"roles": roles}
