"""Shared set-up of the gates tests: a conference opening tomorrow (its badges are valid today), zones,
gates, approved participants with badges, and the people and devices that scan them."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from majlis.accreditation.models import Application, Category
from majlis.accreditation.services import approve_application
from majlis.badges import services as badge_services
from majlis.badges.models import Badge
from majlis.events import services_tokens
from majlis.events.models import EventRole
from majlis.gates.models import Gate, Zone
from tests.factories import make_accreditation_event, make_application, make_role, make_room, make_user, make_venue


def photo_bytes(colour: tuple[int, int, int] = (120, 80, 60)) -> bytes:
    """A passport-shaped JPEG with some detail (a flat image would compress to nothing)."""
    image = Image.new("RGB", (350, 450), colour)
    for x in range(0, 350, 7):
        for y in range(0, 450, 9):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, (x + y) % 256))
    out = BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def event():
    today = timezone.localdate()
    venue = make_venue()
    return make_accreditation_event(
        slug="gates-test", start_date=today + timedelta(days=1), end_date=today + timedelta(days=2), venue=venue
    )


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN, make_user(username="organiser")).user


@pytest.fixture
def gate_officer(event):
    return make_role(event, EventRole.Role.GATE_OFFICER, make_user(username="gate-officer")).user


def category(event, code: str) -> Category:
    return Category.objects.get(event=event, code=code)


def make_zone(event, *, codes=("expert", "delegate"), gates=("North", "South"), **kwargs: Any) -> Zone:
    kwargs.setdefault("name_en", "Plenary hall")
    kwargs.setdefault("kind", Zone.Kind.PLENARY)
    zone = Zone.objects.create(event=event, **kwargs)
    zone.categories.set([category(event, code) for code in codes])
    for name in gates:
        Gate.objects.create(zone=zone, name_en=name)
    return zone


@pytest.fixture
def zone(event):
    return make_zone(event)


def badge_for(event, organiser, *, photo: bool = False, **kwargs: Any) -> Badge:
    """An approved in-person participant's issued badge."""
    application = make_application(event, status=Application.Status.SUBMITTED, **kwargs)
    if photo:
        application.photo.save("photo.jpg", ContentFile(photo_bytes()), save=True)
    approve_application(application, actor=organiser)
    # Badges follow the application after commit (a signal); these tests run inside one transaction.
    return badge_services.sync_badge(application, actor=organiser)


def withdraw(badge: Badge, organiser) -> None:
    """The participant withdraws: the badge is revoked (as the after-commit signal would)."""
    from majlis.accreditation.services import withdraw_application

    withdraw_application(badge.application, actor=organiser, reason="Left the delegation")
    badge_services.sync_badge(badge.application, actor=organiser)
    badge.refresh_from_db()


def code_of(badge: Badge) -> str:
    return badge_services.token_for(badge)


def device_token(event, organiser, zone: Zone | None, scopes=("gates.scan",)) -> str:
    issued = services_tokens.create_token(
        event, actor=organiser, name="Gate device", scopes=list(scopes), zone=str(zone.pk) if zone else ""
    )
    return issued.secret


def make_room_for(event):
    return make_room(event.venue)
