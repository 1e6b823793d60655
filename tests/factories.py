"""Plain factory functions: each makes a valid object with sensible defaults; keywords override."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from majlis.events.models import (
    Contact,
    Document,
    DocumentFile,
    Event,
    EventOrganisation,
    EventRole,
    NewsItem,
    Organisation,
    Series,
)

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple 42"


def make_user(**kwargs: Any):
    n = next(_seq)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("email", f"user{n}@example.org")
    password = kwargs.pop("password", PASSWORD)
    user = get_user_model().objects.create_user(password=password, **kwargs)
    return user


def make_series(**kwargs: Any) -> Series:
    n = next(_seq)
    kwargs.setdefault("slug", f"series-{n}")
    kwargs.setdefault("name_en", f"Series {n}")
    return Series.objects.create(**kwargs)


def make_event(**kwargs: Any) -> Event:
    n = next(_seq)
    kwargs.setdefault("slug", f"event-{n}")
    kwargs.setdefault("title_en", f"Conference number {n}")
    kwargs.setdefault("title_ru", f"Конференция номер {n}")
    kwargs.setdefault("title_uz", f"{n}-konferensiya")
    kwargs.setdefault("short_title_en", f"Conference {n}")
    kwargs.setdefault("summary_en", "A conference on regional cooperation.")
    kwargs.setdefault("start_date", date(2022, 3, 3))
    kwargs.setdefault("end_date", kwargs["start_date"] + timedelta(days=1))
    kwargs.setdefault("time_zone", "Asia/Tashkent")
    kwargs.setdefault("city_en", "Tashkent")
    kwargs.setdefault("country", "UZ")
    kwargs.setdefault("format", Event.Format.HYBRID)
    kwargs.setdefault("status", Event.Status.PUBLISHED)
    return Event.objects.create(**kwargs)


def make_organisation(**kwargs: Any) -> Organisation:
    n = next(_seq)
    kwargs.setdefault("name_en", f"Organisation {n}")
    kwargs.setdefault("acronym_en", f"ORG{n}")
    kwargs.setdefault("kind", Organisation.Kind.IGO)
    return Organisation.objects.create(**kwargs)


def make_event_organisation(event: Event, organisation: Organisation | None = None, **kwargs: Any):
    kwargs.setdefault("role", EventOrganisation.Role.CO_ORGANISER)
    return EventOrganisation.objects.create(event=event, organisation=organisation or make_organisation(), **kwargs)


def make_role(event: Event, role: str, user=None, **kwargs: Any) -> EventRole:
    return EventRole.objects.create(event=event, user=user or make_user(), role=role, **kwargs)


def make_news(event: Event, **kwargs: Any) -> NewsItem:
    n = next(_seq)
    kwargs.setdefault("slug", f"news-{n}")
    kwargs.setdefault("title_en", f"News item {n}")
    kwargs.setdefault("body_en", "First paragraph.\n\nSecond paragraph.")
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=1))
    return NewsItem.objects.create(event=event, **kwargs)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_document(event: Event, *, languages: tuple[str, ...] = ("en",), **kwargs: Any) -> Document:
    n = next(_seq)
    kwargs.setdefault("slug", f"document-{n}")
    kwargs.setdefault("kind", Document.Kind.BACKGROUND)
    kwargs.setdefault("title_en", f"Document {n}")
    kwargs.setdefault("published_on", date(2022, 2, 21))
    document = Document.objects.create(event=event, **kwargs)
    for language in languages:
        make_document_file(document, language)
    return document


def make_document_file(document: Document, language: str, content: bytes = PDF_BYTES) -> DocumentFile:
    file = DocumentFile(
        document=document, language=language, original_name=f"{document.slug}-{language}.pdf",
        content_type="application/pdf", size=len(content),
    )
    file.file.save(f"{document.slug}-{language}.pdf", ContentFile(content), save=False)
    file.save()
    return file


def make_contact(event: Event, **kwargs: Any) -> Contact:
    n = next(_seq)
    kwargs.setdefault("name", f"Contact {n}")
    kwargs.setdefault("function_en", "Public relations coordinator")
    kwargs.setdefault("email", f"contact{n}@example.org")
    return Contact.objects.create(event=event, **kwargs)
