"""``programme_published``: sent once the publication commits, never when it is rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from majlis.programme import services, signals
from majlis.programme.models import ProgrammeVersion
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_programme_published_is_sent_once_after_commit(django_capture_on_commit_callbacks):
    event = make_event()
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.programme_published.connect(receiver, dispatch_uid="test-published")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            version = services.publish_programme(event, actor=None, note="First programme")
        assert received == []
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            services.publish_programme(event, actor=None, note="Rolled back")
            raise RuntimeError("rolled back")
    finally:
        signals.programme_published.disconnect(dispatch_uid="test-published")
    assert received == [{"signal": signals.programme_published, "event": event, "version": version, "actor": None}]
    assert ProgrammeVersion.objects.filter(event=event).count() == 1
