"""New event dates make the printed cards wrong: the next sync re-issues them with the new validity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation.models import Application
from majlis.accreditation.services import approve_application
from majlis.badges import services
from majlis.badges.models import Badge, RevokeReason
from majlis.badges.verification import verify
from majlis.events.models import Event, EventRole
from tests.factories import make_accreditation_event, make_application, make_role, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_postponed_event_reissues_badges_with_the_new_validity():
    today = timezone.localdate()
    event = make_accreditation_event(
        slug="postponed", start_date=today + timedelta(days=1), end_date=today + timedelta(days=2)
    )
    officer = make_user(username="officer")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, officer)
    application = make_application(event, status=Application.Status.SUBMITTED)
    approve_application(application, actor=officer)
    first = Badge.objects.get(application=application)
    assert services.sync_badge(application) == first  # nothing changed: the same badge

    Event.objects.filter(pk=event.pk).update(start_date=today + timedelta(days=20), end_date=today + timedelta(days=21))
    event.refresh_from_db()
    application.refresh_from_db()
    second = services.sync_badge(application)

    first.refresh_from_db()
    assert first.status == Badge.Status.REVOKED and first.revoke_reason == RevokeReason.DATA_CHANGED
    assert second.serial == first.serial and second.revision == first.revision + 1
    assert (second.valid_from, second.valid_until) == services.validity(event)
    assert verify(event, services.token_for(second)).refusal.value == "not_yet_valid"
    assert services.sync_badge(application) == second
