"""Shapes of the events API. Translated fields come out in the request's language (English fallback).

Links are absolute paths on this server: ``site`` ones point at the public pages in the request's
language, ``api`` ones at this API.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

from django.urls import reverse
from ninja import Schema
from pydantic import WithJsonSchema

from majlis.core.text import render_markdown

from .models import Document, DocumentFile, Event, EventOrganisation, NewsItem, Organisation
from .queries import organisation_roles, visible_events


def enum_schema(choices: type[Enum], title: str) -> WithJsonSchema:
    """A model's choices as an inline string enum (the models' ``Kind`` classes share one name)."""
    return WithJsonSchema({"type": "string", "enum": [c.value for c in choices], "title": title})


OrganisationKind = Annotated[Organisation.Kind, enum_schema(Organisation.Kind, "OrganisationKind")]
DocumentKind = Annotated[Document.Kind, enum_schema(Document.Kind, "DocumentKind")]
NewsKind = Annotated[NewsItem.Kind, enum_schema(NewsItem.Kind, "NewsKind")]
EventFormat = Annotated[Event.Format, enum_schema(Event.Format, "EventFormat")]
EventStatus = Annotated[Event.Status, enum_schema(Event.Status, "EventStatus")]
OrganisationRole = Annotated[EventOrganisation.Role, enum_schema(EventOrganisation.Role, "OrganisationRole")]


def _event_links(slug: str) -> dict[str, str]:
    return {
        "site": reverse("events:home", kwargs={"event": slug}),
        "api": reverse("api:event_detail", kwargs={"slug": slug}),
        "organisations": reverse("api:event_organisations", kwargs={"slug": slug}),
        "documents": reverse("api:event_documents", kwargs={"slug": slug}),
        "news": reverse("api:event_news", kwargs={"slug": slug}),
    }


class SeriesOut(Schema):
    slug: str
    name: str


class RoomOut(Schema):
    name: str
    capacity: int
    floor: str
    accessibility_notes: str


class VenueOut(Schema):
    name: str
    address: str
    city: str
    country: str
    accessibility_notes: str
    rooms: list[RoomOut]


class OrganisationOut(Schema):
    id: int
    name: str
    acronym: str
    kind: OrganisationKind
    kind_label: str
    country: str
    website: str
    logo_url: str | None
    api_url: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_logo_url(obj: Organisation) -> str | None:
        return reverse("organisation-logo", kwargs={"pk": obj.pk}) if obj.logo else None

    @staticmethod
    def resolve_api_url(obj: Organisation) -> str:
        return reverse("api:organisation_detail", kwargs={"organisation_id": obj.pk})


class EventOrganisationOut(Schema):
    """An organisation and the part it plays in the event."""

    role: OrganisationRole
    role_label: str
    organisation: OrganisationOut

    @staticmethod
    def resolve_role_label(obj: EventOrganisation) -> str:
        return str(obj.get_role_display())


class PillarOut(Schema):
    number: int
    title: str
    summary: str


class EventLinks(Schema):
    site: str
    api: str
    organisations: str
    documents: str
    news: str


class EventSummaryOut(Schema):
    slug: str
    title: str
    short_title: str
    start_date: date
    end_date: date
    time_zone: str
    city: str
    country: str
    format: EventFormat
    status: EventStatus
    series: SeriesOut | None
    links: EventLinks

    @staticmethod
    def resolve_links(obj: Event) -> dict[str, str]:
        return _event_links(obj.slug)


class EventOut(EventSummaryOut):
    summary: str
    format_label: str
    expected_participants: int | None
    website: str
    venue: VenueOut | None
    organisations: list[EventOrganisationOut]
    pillars: list[PillarOut]

    @staticmethod
    def resolve_format_label(obj: Event) -> str:
        return str(obj.get_format_display())

    @staticmethod
    def resolve_organisations(obj: Event) -> list[EventOrganisation]:
        return list(organisation_roles(obj))


class OrganisationEventOut(Schema):
    """An event the organisation takes part in, and its role there."""

    role: OrganisationRole
    role_label: str
    slug: str
    title: str
    short_title: str
    start_date: date
    end_date: date
    links: EventLinks

    @staticmethod
    def resolve_role_label(obj: EventOrganisation) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_slug(obj: EventOrganisation) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_title(obj: EventOrganisation) -> str:
        return obj.event.title

    @staticmethod
    def resolve_short_title(obj: EventOrganisation) -> str:
        return obj.event.short_title

    @staticmethod
    def resolve_start_date(obj: EventOrganisation) -> date:
        return obj.event.start_date

    @staticmethod
    def resolve_end_date(obj: EventOrganisation) -> date:
        return obj.event.end_date

    @staticmethod
    def resolve_links(obj: EventOrganisation) -> dict[str, str]:
        return _event_links(obj.event.slug)


class OrganisationDetailOut(OrganisationOut):
    events: list[OrganisationEventOut]

    @staticmethod
    def resolve_events(obj: Organisation, context: dict[str, Any]) -> list[EventOrganisation]:
        """Only the events the caller may see."""
        user = context["request"].user
        return list(
            obj.event_roles.filter(event__in=visible_events(user))
            .select_related("event")
            .order_by("-event__start_date", "position", "id")
        )


class DocumentFileOut(Schema):
    language: str
    original_name: str
    size: int
    content_type: str
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj: DocumentFile) -> str:
        document = obj.document  # cached by the prefetch; its event by select_related
        return reverse(
            "events:document-file",
            kwargs={"event": document.event.slug, "slug": document.slug, "file_language": obj.language},
        )


class DocumentOut(Schema):
    slug: str
    kind: DocumentKind
    kind_label: str
    title: str
    description: str
    version: str
    published_on: date | None
    is_public: bool
    files: list[DocumentFileOut]

    @staticmethod
    def resolve_kind_label(obj: Document) -> str:
        return str(obj.get_kind_display())


class NewsLinks(Schema):
    site: str
    api: str


class NewsSummaryOut(Schema):
    slug: str
    kind: NewsKind
    title: str
    dateline: str
    lead: str
    published_at: datetime | None
    is_published: bool
    links: NewsLinks

    @staticmethod
    def resolve_links(obj: NewsItem) -> dict[str, str]:
        slug = obj.event.slug  # known to the event.news manager: no query
        return {
            "site": reverse("events:news-detail", kwargs={"event": slug, "slug": obj.slug}),
            "api": reverse("api:event_news_detail", kwargs={"slug": slug, "news_slug": obj.slug}),
        }


class NewsOut(NewsSummaryOut):
    body: str
    body_html: str

    @staticmethod
    def resolve_body_html(obj: NewsItem) -> str:
        return str(render_markdown(obj.body))
