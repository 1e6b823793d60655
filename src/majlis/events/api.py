"""Read endpoints for events, organisations, documents and news (mounted at /api/v1/).

Every endpoint is public: anonymous callers see what the public site shows (published or
archived events, public documents once published, published news). Whoever holds
``event.view_unpublished`` in an event (a role, or an API token with that scope) also sees its
draft; its organisers (``event.manage``) its unpublished news, and restricted documents — reads from
``queries.py`` and ``Document.objects.visible_to``. ``event_operation(None)`` resolves the event and
``public_operation`` marks the operations outside any event (see ``api_access``).
"""

from typing import Any, Literal

from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router
from ninja.pagination import paginate

from majlis.core.api_support import Error, ObjectId, Pagination, not_found

from .api_access import event_operation, public_operation, request_event
from .models import Document, DocumentFile, Event, EventOrganisation, NewsItem, Organisation
from .queries import (
    organisation_roles,
    visible_documents,
    visible_events,
    visible_news,
    visible_organisations,
)
from .schemas import (
    DocumentKind,
    DocumentOut,
    EventOrganisationOut,
    EventOut,
    EventSummaryOut,
    NewsOut,
    NewsSummaryOut,
    OrganisationDetailOut,
    OrganisationKind,
    OrganisationOut,
)

router = Router()

# Every operation can answer 400 (an unsupported ?lang or a bad query parameter) and 500.
ERRORS: dict[int, Any] = {400: Error, 500: Error}
# Operations with a path parameter also answer 404.
LOOKUP_ERRORS: dict[int, Any] = {400: Error, 404: Error, 500: Error}
ACCESS_PUBLIC = "Access: public — no sign-in needed."

LanguageCode = Literal["en", "ru", "uz"]


# --- Events ------------------------------------------------------------------------------------


@router.get(
    "/events",
    response={200: list[EventSummaryOut], **ERRORS},
    tags=["events"],
    summary="List events",
)
@public_operation
@paginate(Pagination)
def list_events(request: HttpRequest) -> QuerySet[Event]:
    """Events on this platform, the latest first.

    Access: public — no sign-in needed. Lists published and archived events; a signed-in
    organiser also sees the drafts of the events they organise.
    """
    return visible_events(request.user).select_related("series").order_by("-start_date", "id")


@router.get(
    "/events/{slug}",
    response={200: EventOut, **LOOKUP_ERRORS},
    tags=["events"],
    summary="Get an event",
)
@event_operation(None)
def event_detail(request: HttpRequest, slug: str) -> Event:
    """One event with its series, venue and rooms, organisations and their roles, and pillars.

    Access: public — no sign-in needed. A draft event answers 404 except to its organisers.
    """
    return request_event(request)


@router.get(
    "/events/{slug}/organisations",
    response={200: list[EventOrganisationOut], **LOOKUP_ERRORS},
    tags=["events", "organisations"],
    summary="List an event's organisations",
)
@event_operation(None)
def event_organisations(request: HttpRequest, slug: str) -> list[EventOrganisation]:
    """The organisations behind an event (hosts, co-organisers, partners…) in the event's order.

    Access: public — no sign-in needed. A draft event answers 404 except to its organisers.
    """
    return list(organisation_roles(request_event(request)))


@router.get(
    "/events/{slug}/documents",
    response={200: list[DocumentOut], **LOOKUP_ERRORS},
    tags=["events", "documents"],
    summary="List an event's documents",
)
@event_operation(None)
def event_documents(
    request: HttpRequest,
    slug: str,
    kind: DocumentKind | None = Query(None, description="Only documents of this kind."),  # noqa: B008
    language: LanguageCode | None = Query(  # noqa: B008
        None, description="Only documents with a file in this language (their other files are listed too)."
    ),
) -> list[Document]:
    """The documents of an event with their files; each file has its download URL on the site.

    Access: public — no sign-in needed. Lists public documents once published; an organiser of
    the event also sees restricted and not yet published ones. A draft event answers 404 except
    to its organisers. Download URLs use the language prefix of the response.
    """
    event = request_event(request)
    documents = visible_documents(event, request.user).select_related("event")
    if kind:
        documents = documents.filter(kind=kind)
    if language:
        documents = documents.filter(Exists(DocumentFile.objects.filter(document=OuterRef("pk"), language=language)))
    return list(documents)


@router.get(
    "/events/{slug}/news",
    response={200: list[NewsSummaryOut], **LOOKUP_ERRORS},
    tags=["events", "news"],
    summary="List an event's news",
)
@event_operation(None)
@paginate(Pagination)
def event_news(request: HttpRequest, slug: str) -> QuerySet[NewsItem]:
    """News and press releases of an event, newest first (without their bodies).

    Access: public — no sign-in needed. Lists published items; an organiser of the event also
    sees unpublished and scheduled ones, listed first. A draft event answers 404 except to its
    organisers.
    """
    return visible_news(request_event(request), request.user)


@router.get(
    "/events/{slug}/news/{news_slug}",
    response={200: NewsOut, **LOOKUP_ERRORS},
    tags=["events", "news"],
    summary="Get a news item",
)
@event_operation(None)
def event_news_detail(request: HttpRequest, slug: str, news_slug: str) -> NewsItem:
    """One news item or press release: its body as Markdown and as sanitised HTML.

    Access: public — no sign-in needed. An unpublished or scheduled item answers 404 except to
    the event's organisers, as does any item of a draft event.
    """
    event = request_event(request)
    item = visible_news(event, request.user).filter(slug=news_slug).first()
    if item is None:
        raise not_found(f"There is no news item “{news_slug}” in the event “{slug}”.")
    return item


# --- Organisations -----------------------------------------------------------------------------


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    tags=["organisations"],
    summary="List organisations",
)
@public_operation
@paginate(Pagination)
def list_organisations(
    request: HttpRequest,
    kind: OrganisationKind | None = Query(None, description="Only organisations of this kind."),  # noqa: B008
    country: str | None = Query(  # noqa: B008
        None,
        pattern=r"^[A-Za-z]{2}$",
        description="Only organisations of this country (ISO 3166 two-letter code, e.g. UZ).",
    ),
) -> QuerySet[Organisation]:
    """Organisations taking part in the events on this platform, by name in the response's language.

    Access: public — no sign-in needed. Lists the organisations of published and archived events;
    a signed-in organiser also sees those of their draft events.
    """
    organisations = visible_organisations(request.user)
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country=country.upper())
    language = translation.get_language() or "en"
    name = F("name_en") if language == "en" else Coalesce(NullIf(F(f"name_{language}"), Value("")), F("name_en"))
    return organisations.order_by(name, "id")


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetailOut, **LOOKUP_ERRORS},
    tags=["organisations"],
    summary="Get an organisation",
)
@public_operation
def organisation_detail(request: HttpRequest, organisation_id: ObjectId) -> Organisation:
    """One organisation with the events it takes part in and its role in each.

    Access: public — no sign-in needed. An organisation is found only through events the caller
    may see (published or archived, or drafts they organise); otherwise 404.
    """
    organisation = visible_organisations(request.user).filter(pk=organisation_id).first()
    if organisation is None:
        raise not_found(f"There is no organisation with the id {organisation_id}.")
    return organisation
