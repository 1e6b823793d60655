"""Shared set-up of the gate page tests and benchmark: an event that is on today, approved
participants with badges (and photos), a zone with a gate, and a gate officer."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from majlis.accreditation.models import Application, Category
from majlis.accreditation.services import approve_application
from majlis.badges.models import Badge
from majlis.badges.services import token_for
from majlis.events.models import Event, EventRole
from majlis.gates.models import Gate, Zone
from tests.factories import make_accreditation_event, make_application, make_role, make_user

OFFICER = "gateofficer"


def jpeg(colour: str = "#6b8cae", size: tuple[int, int] = (350, 450)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 7):  # some detail, as in a photograph (a flat image compresses to nothing)
        for y in range(0, size[1], 9):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, (x + y) % 256))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class GateSetup:
    event: Event
    zone: Zone
    gate: Gate
    officer: Any
    badges: dict[str, Badge] = field(default_factory=dict)

    def code(self, name: str) -> str:
        return token_for(self.badges[name])


def approved_badge(event: Event, accreditation_officer: Any, **kwargs: Any) -> Badge:
    photo = kwargs.pop("photo", None)
    application = make_application(event, status=Application.Status.SUBMITTED, **kwargs)
    if photo:
        application.photo.save("portrait.jpg", ContentFile(photo), save=True)
    approve_application(application, actor=accreditation_officer)
    return Badge.objects.get(application=application, status=Badge.Status.ISSUED)


def gate_setup(*, slug: str = "gate-test", people: int = 0, entry_once: bool = False) -> GateSetup:
    """An event on today and tomorrow; Karimova (expert, with photo), Ivanov (delegate), and Chen
    (media: not allowed in the hall), plus ``people`` more experts for the benchmark."""
    today = timezone.localdate()
    event = make_accreditation_event(
        slug=slug, title_en="Gate test conference", start_date=today, end_date=today + timedelta(days=1)
    )
    accreditation = make_user(username=f"accreditation-{slug}")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, accreditation)
    officer = make_user(username=OFFICER if slug == "gate-test" else f"{OFFICER}-{slug}")
    make_role(event, EventRole.Role.GATE_OFFICER, officer)
    zone = Zone.objects.create(event=event, name="Plenary hall", kind=Zone.Kind.PLENARY, entry_once=entry_once)
    zone.categories.set(Category.objects.filter(event=event, code__in=["expert", "delegate"]))
    gate = Gate.objects.create(zone=zone, name="North entrance")
    setup = GateSetup(event=event, zone=zone, gate=gate, officer=officer)
    setup.badges["karimova"] = approved_badge(
        event,
        accreditation,
        family_name="Karimova",
        given_names="Dilnoza",
        name_native="Дилноза Каримова",
        honorific="dr",
        category="expert",
        photo=jpeg("#a0522d"),
    )
    setup.badges["ivanov"] = approved_badge(
        event, accreditation, family_name="Ivanov", given_names="Pyotr", category="delegate"
    )
    setup.badges["chen"] = approved_badge(
        event, accreditation, family_name="Chen", given_names="Ming", name_native="陈明", category="media"
    )
    setup.badges["revoked"] = approved_badge(event, accreditation, family_name="Revokedova", given_names="Anna")
    from majlis.badges.services import revoke_badge

    revoke_badge(setup.badges["revoked"], actor=accreditation, note="Lost her accreditation")
    photo = jpeg("#556b2f")
    for n in range(people):
        setup.badges[f"p{n}"] = approved_badge(
            event, accreditation, family_name=f"Person{n:04d}", given_names="Test", category="expert", photo=photo
        )
    return setup


def altered(code: str, position: int = 30) -> str:
    """The code with one byte of its content changed (as a damaged or doctored badge)."""
    raw = bytearray(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
    raw[position] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
