"""The public participant list: approved participants who opted in, in a category that allows it.

Only names, organisation and country are shown: no e-mail, no photo, no category, no status. The
search looks at those public fields only, so it cannot be used to test whether an e-mail address or
a passport is registered. The page costs the same few queries whatever the number of participants.
"""

from __future__ import annotations

import unicodedata

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from majlis.core.countries import country_name
from majlis.core.i18n import native_name_language
from majlis.events.access import event_view
from majlis.events.models import Event

from .models import Application
from .queries import search_variants
from .views_register import render_event_page

PER_PAGE = 50
MAX_SEARCH_TERMS = 6
MAX_SEARCH_LENGTH = 100
PUBLIC_SEARCH_FIELDS = ("family_name", "given_names", "name_native", "organisation_name")
PUBLIC_COLUMNS = ("honorific", "family_name", "given_names", "name_native", "organisation_name", "nationality")


def listed_participants(event) -> QuerySet[Application]:  # type: ignore[no-untyped-def]
    return (
        Application.objects.filter(
            event=event,
            status=Application.Status.APPROVED,
            listed_publicly=True,
            category__public_listing_allowed=True,
            personal_data_purged_at__isnull=True,
            deletion_requested_at__isnull=True,
        )
        .only("pk", *PUBLIC_COLUMNS)
        .order_by("family_name", "given_names", "pk")
    )


def public_search_q(text: str) -> Q:
    """Every word must appear in a public field (names in any script, organisation)."""
    query = Q()
    for term in text.split()[:MAX_SEARCH_TERMS]:
        any_field = Q()
        for variant in search_variants(term):
            for name in PUBLIC_SEARCH_FIELDS:
                any_field |= Q(**{f"{name}__icontains": variant})
        query &= any_field
    return query


@event_view(None)
def participant_list(request: HttpRequest, ev: Event) -> HttpResponse:
    # Control characters (NUL among them, which PostgreSQL refuses in text) never occur in a name.
    text = "".join(c for c in request.GET.get("q", "") if unicodedata.category(c)[0] != "C")
    q = " ".join(text.split())[:MAX_SEARCH_LENGTH]
    participants = listed_participants(ev)
    if q:
        participants = participants.filter(public_search_q(q))
    page = Paginator(participants, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "honorific": person.get_honorific_display() if person.honorific else "",
            "name": f"{person.given_names} {person.family_name.upper()}",
            "name_native": person.name_native,
            "native_language": native_name_language(person.name_native, person.nationality),
            "organisation": person.organisation_name,
            "country": country_name(person.nationality),
        }
        for person in page.object_list
    ]
    context = {"page": page, "rows": rows, "q": q}
    return render_event_page(request, "accreditation/public/participants.html", ev, context, section="participants")
