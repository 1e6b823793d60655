"""Reads shared by the public site and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Document, DocumentFile, Event, EventOrganisation, NewsItem


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
