"""The organisers' page for accreditation desks and their address and letterhead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from majlis.accreditation import views_desks
from majlis.accreditation.models import AccreditationDesk, OrganiserDetails
from majlis.core.models import AuditEntry
from majlis.events.models import EventOrganisation
from tests.factories import make_accreditation_event, make_event_organisation, make_organisation, make_role, make_user

from .services_helpers import make_organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event(slug="tashkent-2022")


@pytest.fixture
def organiser(event):
    return make_organiser(event)


def url(name: str, event, **kwargs) -> str:
    return reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, **kwargs})


DESK = {
    "location_en": "Hotel Uzbekistan, main lobby",
    "location_ru": "Гостиница «Узбекистан», главный холл",
    "location_uz": "",
    "address_en": "45 Mustaqillik Avenue",
    "address_ru": "",
    "address_uz": "",
    "opening_hours_en": "2 March 10:00–20:00",
    "opening_hours_ru": "2 марта 10:00–20:00",
    "opening_hours_uz": "",
    "position": "0",
}


def test_desk_views_declare_their_capability():
    for view in (views_desks.desks, views_desks.desk_edit, views_desks.desk_delete, views_desks.organiser_details):
        assert view.majlis_access == "accreditation.manage"


@pytest.mark.parametrize("role", ["focal_point", "participant", "side_event_organiser", None])
def test_desk_pages_refuse_everyone_but_organisers(client, event, role):
    desk = AccreditationDesk.objects.create(event=event, location_en="Lobby", opening_hours_en="10-18")
    user = make_user()
    if role:
        make_role(event, role, user=user)
    client.force_login(user)
    assert client.get(url("desks", event)).status_code == 403
    assert client.post(url("desks", event), DESK).status_code == 403
    assert client.post(url("desk-edit", event, pk=desk.pk), DESK).status_code == 403
    assert client.post(url("desk-delete", event, pk=desk.pk)).status_code == 403
    assert client.post(url("organiser-details", event), {"email": "x@example.org"}).status_code == 403
    assert AccreditationDesk.objects.count() == 1 and not OrganiserDetails.objects.exists()


def test_desk_add_change_and_remove_are_audited(client, event, organiser):
    client.force_login(organiser)
    assert client.post(url("desks", event), DESK).status_code == 302
    desk = AccreditationDesk.objects.get()
    assert desk.location_ru == "Гостиница «Узбекистан», главный холл"
    html = client.get(url("desks", event)).content.decode()
    assert "Hotel Uzbekistan, main lobby" in html and url("desk-edit", event, pk=desk.pk) in html
    assert (
        client.post(url("desk-edit", event, pk=desk.pk), {**DESK, "opening_hours_en": "3 March from 07:30"}).status_code
        == 302
    )
    desk.refresh_from_db()
    assert desk.opening_hours_en == "3 March from 07:30"
    assert client.post(url("desk-delete", event, pk=desk.pk)).status_code == 302
    assert not AccreditationDesk.objects.exists()
    actions = list(AuditEntry.objects.filter(event_slug=event.slug).values_list("action", flat=True))
    assert {"accreditation.desk_created", "accreditation.desk_changed", "accreditation.desk_deleted"} <= set(actions)


def test_desk_without_location_keeps_what_was_typed(client, event, organiser):
    client.force_login(organiser)
    response = client.post(url("desks", event), {**DESK, "location_en": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 марта 10:00–20:00" in html and "field-error" in html
    assert not AccreditationDesk.objects.exists()


def test_desk_of_another_event_is_404(client, event, organiser):
    other = make_accreditation_event()
    desk = AccreditationDesk.objects.create(event=other, location_en="Elsewhere", opening_hours_en="10-18")
    client.force_login(organiser)
    assert client.post(url("desk-edit", event, pk=desk.pk), DESK).status_code == 404
    assert client.post(url("desk-delete", event, pk=desk.pk)).status_code == 404
    assert AccreditationDesk.objects.filter(pk=desk.pk).exists()


def test_organiser_details_saved_and_prefix_validated(client, event, organiser):
    host = make_organisation(name_en="Ministry of Foreign Affairs")
    make_event_organisation(event, host, role=EventOrganisation.Role.HOST)
    stranger = make_organisation(name_en="Not in this event")
    client.force_login(organiser)
    data = {
        "organisation": host.pk,
        "address_en": "9 Uzbekistan Avenue, Tashkent",
        "email": "accreditation@example.uz",
        "reference_prefix": "tas 22",
    }
    response = client.post(url("organiser-details", event), data)
    assert response.status_code == 400
    assert "capital Latin letters" in response.content.decode()
    assert "9 Uzbekistan Avenue, Tashkent" in response.content.decode()
    assert client.post(url("organiser-details", event), {**data, "organisation": stranger.pk}).status_code == 400
    assert client.post(url("organiser-details", event), {**data, "reference_prefix": "TAS22"}).status_code == 302
    details = OrganiserDetails.objects.get(event=event)
    assert details.organisation == host and details.reference_prefix == "TAS22"
    assert AuditEntry.objects.filter(action="accreditation.organiser_details_changed", actor=organiser).exists()
