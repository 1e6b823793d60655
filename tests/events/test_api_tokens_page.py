"""The organisers' API-token page: list, create (secret shown once), revoke after confirmation."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from majlis.core import capabilities
from majlis.core.models import AuditEntry
from majlis.events import extensions, services_tokens
from majlis.events.models import EventApiToken, EventRole
from tests.factories import make_accreditation_event, make_role

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def admin(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


def page(event, lang="en"):
    return f"/{lang}/{event.slug}/manage/api-tokens/"


def test_tokens_page_access(client, event):
    assert client.get(page(event)).status_code == 302  # to the log-in page
    for role in (EventRole.Role.CO_ORGANISER, EventRole.Role.ACCREDITATION_OFFICER, EventRole.Role.GATE_OFFICER):
        client.force_login(make_role(event, role).user)
        assert client.get(page(event)).status_code == 403, role
    client.force_login(make_role(make_accreditation_event(), EventRole.Role.ORGANISER_ADMIN).user)
    assert client.get(page(event)).status_code == 403


@pytest.fixture
def hall_a(monkeypatch):
    """A zone offered by a registered provider (the gates app registers the event's zones the same way)."""
    monkeypatch.setitem(extensions._TOKEN_ZONE_CHOICES, "test", lambda event: [("7", "Hall A")])
    return "7"


def test_create_shows_the_secret_once(client, event, admin, hall_a):
    client.force_login(admin)
    response = client.post(
        page(event), {"name": "Gate 3 scanner", "scopes": ["accreditation.view"], "zone": hall_a, "expires_on": ""}
    )
    assert response.status_code == 200
    token = EventApiToken.objects.get()
    secret = response.context["issued"].secret
    assert secret.startswith("mjl_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert token.name == "Gate 3 scanner" and token.zone == "7" and token.scopes == ["accreditation.view"]
    listing = client.get(page(event)).content.decode()
    assert "Gate 3 scanner" in listing and token.prefix in listing and secret not in listing
    assert "Zone: Hall A" in listing
    assert AuditEntry.objects.filter(action="events.api_token_created", actor=admin).count() == 1


def test_create_with_expiry_ends_at_the_end_of_the_day_in_event_time(client, event, admin):
    client.force_login(admin)
    client.post(page(event), {"name": "Kiosk", "scopes": ["programme.edit"], "expires_on": "2099-03-04"})
    token = EventApiToken.objects.get()
    local = token.expires_at.astimezone(event.tz)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2099-03-05", 0, 0)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["accreditation.view"]},
        {"name": "No scope"},
        {"name": "Passports", "scopes": ["accreditation.view_passports"]},  # not the organiser's to give
        {"name": "Minting", "scopes": ["event.manage_tokens"]},
        {"name": "Past", "scopes": ["accreditation.view"], "expires_on": "2001-01-01"},
    ],
)
def test_invalid_creation_keeps_input_and_makes_nothing(client, event, admin, data):
    client.force_login(admin)
    response = client.post(page(event), data)
    assert response.status_code == 400
    assert not EventApiToken.objects.exists()
    if data["name"]:
        assert data["name"] in response.content.decode()


def test_scope_labels_are_translated(client, event, admin):
    client.force_login(admin)
    services_tokens.create_token(event, actor=admin, name="Лента", scopes=["programme.edit"])
    # The page and the scope labels come out in the page's language (the catalogues' own words:
    # translations reach the .po files through the lead's merge of /work/translations/api.json).
    for language in ("ru", "uz"):
        html = client.get(page(event, language)).content.decode()
        with translation.override(language):
            label = str(capabilities.get("programme.edit").label)
            title = gettext("API tokens")
        assert f'<html lang="{language}"' in html
        assert f"<h1>{title}</h1>" in html
        assert escape(label[:1].upper() + label[1:]) in html and "programme.edit" in html


def test_revoke_after_confirmation(client, event, admin):
    issued = services_tokens.create_token(event, actor=admin, name="Old kiosk", scopes=["accreditation.view"])
    client.force_login(admin)
    url = f"{page(event)}{issued.token.pk}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Old kiosk" in confirm.content.decode()
    assert EventApiToken.objects.get().revoked_at is None  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == page(event)
    assert EventApiToken.objects.get().revoked_at is not None
    listing = client.get(page(event)).content.decode()
    assert "revoked" in listing and f"{issued.token.pk}/revoke/" not in listing
    assert AuditEntry.objects.filter(action="events.api_token_revoked", actor=admin).count() == 1


def test_revoke_a_token_of_another_event_is_404(client, event, admin):
    other = make_accreditation_event()
    other_admin = make_role(other, EventRole.Role.ORGANISER_ADMIN).user
    issued = services_tokens.create_token(other, actor=other_admin, name="Theirs", scopes=["accreditation.view"])
    client.force_login(admin)
    assert client.post(f"{page(event)}{issued.token.pk}/revoke/").status_code == 404
    assert EventApiToken.objects.get().revoked_at is None
