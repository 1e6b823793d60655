"""Shared set-up of the services, capacity, notification and concurrency tests."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from django.core import mail

from majlis.accreditation import services
from majlis.accreditation.models import Application, Category
from tests.factories import make_application, make_role, make_user

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSPORT = "AB1234567"


class Mailbox:
    """Send e-mails at once (immediate task backend, locmem mail) when the transaction "commits".

    Build it in a fixture from ``settings`` and ``django_capture_on_commit_callbacks``, then use
    ``with mailbox.commit(): ...`` around service calls: the test's own transaction never commits,
    so the on_commit callbacks are run at the end of the block.
    """

    def __init__(self, settings: Any, capture: Any) -> None:
        settings.TASKS = IMMEDIATE_TASKS
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.MAJLIS_PUBLIC_URL = "https://majlis.example.uz"
        mail.outbox = []
        self._capture = capture

    @property
    def outbox(self) -> list[Any]:
        return mail.outbox

    @contextmanager
    def commit(self):
        with self._capture(execute=True):
            yield

    def to(self, address: str) -> list[Any]:
        return [message for message in mail.outbox if message.to == [address]]


def make_organiser(event) -> Any:
    user = make_user()
    make_role(event, "organiser_admin", user=user)
    return user


def category(event, code: str = "expert", **changes: Any) -> Category:
    item = Category.objects.get(event=event, code=code)
    if changes:
        for name, value in changes.items():
            setattr(item, name, value)
        item.save()
    return item


def application_data(event, **kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "family_name": "Karimova",
        "given_names": "Dilnoza",
        "nationality": "UZ",
        "organisation_name": "Institute for Strategic and Regional Studies",
        "position": "Senior researcher",
        "email": "dilnoza.karimova@example.org",
        "language": "en",
        "mode": "in_person",
        "category": category(event),
        "consent": True,
    }
    data.update(kwargs)
    return data


def reviewed(event, **kwargs: Any) -> Application:
    """An in-person application under review, straight in the database."""
    kwargs.setdefault("status", Application.Status.UNDER_REVIEW)
    kwargs.setdefault("mode", "in_person")
    return make_application(event, **kwargs)


def set_capacity(event, seats: int | None) -> None:
    capacity = services.ensure_event_setup(event)
    capacity.in_person_capacity = seats
    capacity.save()
