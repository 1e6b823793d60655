"""A member invited by their focal point completes their own data from their account."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from majlis.accreditation import services
from majlis.accreditation.models import Application
from tests.accreditation.delegation_helpers import member_post
from tests.factories import make_accreditation_event, make_delegation, make_user

pytestmark = pytest.mark.django_db

START = date.today() + timedelta(days=60)


@pytest.fixture
def invited(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    event = make_accreditation_event(start_date=START)
    focal = make_user(email="focal.kz@example.org")
    delegation = make_delegation(event, focal_point=focal)
    member = services.nominate_member(
        delegation,
        data={"family_name": "Tokayev", "given_names": "Nurlan", "email": "nurlan@example.org", "language": "ru"},
        actor=focal,
        invite=True,
    )
    return member


def _post(**overrides):
    return member_post(
        email="nurlan@example.org",
        arrival_at=f"{START - timedelta(days=1)}T18:30",
        departure_at=f"{START + timedelta(days=2)}T09:00",
        passport_expiry=f"{START.year + 5}-01-31",
        **overrides,
    )


def test_invited_member_completes_own_data(client, invited):
    client.force_login(invited.user)
    edit = reverse("applications:edit", kwargs={"pk": invited.pk})
    assert client.get(edit).status_code == 200
    response = client.post(edit, _post(position="Deputy Minister"))
    assert response.status_code == 302, response.context["form"].errors
    invited.refresh_from_db()
    assert invited.position == "Deputy Minister"
    assert invited.status == Application.Status.DRAFT  # the focal point submits the delegation


def test_invited_member_cannot_edit_after_the_decision(client, invited):
    Application.objects.filter(pk=invited.pk).update(status=Application.Status.APPROVED)
    client.force_login(invited.user)
    response = client.get(reverse("applications:edit", kwargs={"pk": invited.pk}), follow=True)
    assert "can no longer be changed" in response.content.decode()


def test_member_of_another_person_cannot_edit_it(client, invited):
    client.force_login(make_user())
    assert client.get(reverse("applications:edit", kwargs={"pk": invited.pk})).status_code == 404
