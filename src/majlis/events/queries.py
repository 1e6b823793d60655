"""Reads shared by the public site and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from majlis.events.rules import is_organiser

from .models import Document, DocumentFile, Event, EventOrganisation, NewsItem


def get_visible_event(user: Any, slug: str) -> Event:
    """The event for this visitor: published or archived for everyone, drafts for its organisers."""
    event = Event.objects.select_related("series", "venue").filter(slug=slug).first()
    if event is None or (not event.is_public and not is_organiser(user, event)):
        raise Http404("No such event.")
    return event


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


def account_roles_section(user: Any) -> dict[str, Any]:
    """The account page's "my roles in conferences" (``core.account``): shown even when empty."""
    roles = user.event_roles.select_related("event", "organisation").order_by("-event__start_date", "event_id", "role")
    return {"roles": roles}
