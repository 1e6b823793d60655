"""Badges issued the way the project issues them (approval, then ``sync_badge``), for the desk's tests."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from majlis.accreditation.models import Application
from majlis.accreditation.services import approve_application
from majlis.badges import services
from majlis.badges.models import Badge
from majlis.events.models import Event
from tests.factories import make_accreditation_event, make_application


def upcoming_event(**kwargs: Any) -> Event:
    """An event opening tomorrow: its badges are valid now (from three days before the first day)."""
    today = timezone.localdate()
    kwargs.setdefault("start_date", today + timedelta(days=1))
    kwargs.setdefault("end_date", today + timedelta(days=2))
    return make_accreditation_event(**kwargs)


def photo_bytes(colour: tuple[int, int, int] = (90, 120, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 150), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def issued_badge(event: Event, actor: Any, *, photo: bool = False, **kwargs: Any) -> Badge:
    """An approved in-person participant and their badge.

    Approval sends ``application_changed`` after commit; tests that do not commit call the receiver's
    service themselves (``sync_badge`` is idempotent: a committed test issues one badge all the same).
    """
    application = make_application(event, status=Application.Status.SUBMITTED, **kwargs)
    if photo:
        application.photo.save("photo.png", ContentFile(photo_bytes()), save=True)
    approve_application(application, actor=actor)
    badge = services.sync_badge(application, actor=actor)
    assert badge is not None
    return badge
