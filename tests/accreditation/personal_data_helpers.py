"""Shared set-up of the log-in link, file access, personal data and purge tests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.files.base import ContentFile

from majlis.accreditation import services
from majlis.accreditation.models import Application, Category, Delegation, DelegationDocument
from tests.factories import PDF_BYTES, make_organisation, make_user  # noqa: F401 - PDF_BYTES is imported from here too

_seq = itertools.count(1)

JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(64) + b"\xff\xd9"
)
PASSPORT = "FA1234567"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def category(event, **kwargs: Any) -> Category:
    n = next(_seq)
    kwargs.setdefault("code", f"cat-{n}")
    kwargs.setdefault("name", f"Category {n}")
    return Category.objects.create(event=event, **kwargs)


def delegation(event, *, focal_point=None, **kwargs: Any) -> Delegation:
    focal_point = focal_point or make_user(password=None)
    kwargs.setdefault("organisation", make_organisation())
    kwargs.setdefault("kind", Delegation.Kind.MEMBER_STATE)
    kwargs.setdefault("focal_point_email", focal_point.email)
    kwargs.setdefault("status", Delegation.Status.OPEN)
    created = Delegation.objects.create(event=event, **kwargs)
    created.memberships.create(user=focal_point, role="focal_point")
    return created


def delegation_document(owner: Delegation, content: bytes = PDF_BYTES, name: str = "Note verbale №12.pdf"):
    document = DelegationDocument(
        delegation=owner,
        kind="note_verbale",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def application(
    event,
    *,
    user=None,
    passport: str = "",
    photo: bytes | None = None,
    document: bytes | None = None,
    document_name: str = "Press card.pdf",
    **kwargs: Any,
) -> Application:
    n = next(_seq)
    if "category" not in kwargs:
        kwargs["category"] = category(event)
    kwargs.setdefault("family_name", f"Karimova{n}")
    kwargs.setdefault("given_names", "Dilnoza")
    kwargs.setdefault("name_native", "Дилноза Каримова")
    kwargs.setdefault("nationality", "UZ")
    kwargs.setdefault("gender", Application.Gender.FEMALE)
    kwargs.setdefault("organisation_name", "Ministry of Foreign Affairs")
    kwargs.setdefault("position", "Counsellor")
    kwargs.setdefault("email", user.email if user is not None and user.email else f"applicant{n}@example.org")
    kwargs.setdefault("phone", "+998 71 123 45 67")
    kwargs.setdefault("status", Application.Status.SUBMITTED)
    app = Application(event=event, user=user, **kwargs)
    if passport:
        services.set_passport_number(app, passport)
    if photo is not None:
        app.photo.save("portrait.jpg", ContentFile(photo), save=False)
    if document is not None:
        app.supporting_document.save(document_name, ContentFile(document), save=False)
        app.supporting_document_name = document_name
    app.save()
    return app
