"""Shared set-up of the delegation page tests."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation

from majlis.accreditation.models import DelegationDocument
from majlis.events.models import EventRole
from tests.factories import PDF_BYTES, make_accreditation_event, make_application, make_delegation, make_role, make_user


def url(name: str, event, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"events:delegations:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def focal_point(event):
    return make_user(email="focal.kz@example.org")


@pytest.fixture
def delegation(event, focal_point):
    return make_delegation(event, focal_point=focal_point)


@pytest.fixture
def other_focal_point(event):
    return make_user(email="focal.kg@example.org")


@pytest.fixture
def other_delegation(event, other_focal_point):
    """Another state's delegation, with a member and a note verbale that nobody else may see."""
    other = make_delegation(event, focal_point=other_focal_point)
    make_application(
        event,
        delegation=other,
        category="delegate",
        family_name="Secretmember",
        given_names="Aibek",
        email="aibek@example.org",
    )
    add_document(other, name="secret-note-verbale.pdf")
    return other


def add_document(delegation, *, name: str = "note-verbale.pdf", kind: str = "note_verbale") -> DelegationDocument:
    from django.core.files.base import ContentFile

    document = DelegationDocument(
        delegation=delegation,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    document.file.save(name, ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def jpeg_bytes(size: tuple[int, int] = (600, 800), colour: str = "#6b8cae") -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def member_post(**overrides) -> dict:
    """The member form, filled for an in-person delegate."""
    data = {
        "honorific": "he",
        "family_name": "Tokayev",
        "given_names": "Nurlan",
        "name_native": "Нурлан Токаев",
        "gender": "male",
        "nationality": "KZ",
        "organisation_name": "Ministry of Foreign Affairs of Kazakhstan",
        "position": "Deputy Minister",
        "email": "nurlan.tokayev@example.org",
        "phone": "+7 717 272 05 17",
        "language": "ru",
        "mode": "in_person",
        "interpretation_needs": "",
        "accessibility_needs": "",
        "dietary_needs": "",
        "passport_number": "N12345678",
        "passport_expiry": "2030-01-31",
        "passport_country": "KZ",
        "arrival_at": "2022-03-02T18:30",
        "arrival_details": "KC 127",
        "departure_at": "2022-03-05T09:00",
        "departure_details": "KC 128",
        "consent": "on",
    }
    data.update(overrides)
    return data
