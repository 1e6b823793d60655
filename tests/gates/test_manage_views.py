"""The organisers' gate pages: zones and gates (forms keep what was typed), the scan log and its
filters, offline conflicts to acknowledge, live attendance (htmx polling), and the token form's zones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from majlis.core.models import AuditEntry
from majlis.events.models import EventApiToken, EventRole
from majlis.gates.models import Gate, Scan, Zone
from majlis.gates.services import record_scan
from tests.factories import make_accreditation_event, make_role

from .conftest import badge_for, category, code_of, device_token, make_zone

pytestmark = pytest.mark.django_db


def page(name, event, **kwargs):
    return reverse(f"gates:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def client_of(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def zone_data(event, **overrides):
    data = {
        "name_en": "Plenary hall",
        "name_ru": "Пленарный зал",
        "name_uz": "Yalpi majlis zali",
        "kind": "plenary",
        "categories": [category(event, "delegate").pk, category(event, "expert").pk],
        "room": "",
        "entry_once": "",
        "exit_scanning": "on",
        "open_days": [event.start_date.isoformat()],
        "position": "0",
    }
    data.update(overrides)
    return data


def test_only_gate_managers_see_the_pages(event, organiser, gate_officer):
    client = Client()
    assert client.get(page("zones", event)).status_code == 302
    client.force_login(gate_officer)
    for name in ("zones", "scans", "conflicts", "live", "live-figures"):
        assert client.get(page(name, event)).status_code == 403, name
    client.force_login(make_role(event, EventRole.Role.SECURITY_OFFICER).user)
    for name in ("zones", "scans", "conflicts", "live", "live-figures"):
        assert client.get(page(name, event)).status_code == 200, name


def test_creating_a_zone_is_audited_and_goes_to_its_gates(event, client_of, organiser):
    response = client_of.post(page("zones", event), zone_data(event))
    zone = Zone.objects.get(event=event)
    assert response.status_code == 302 and response["Location"] == page("zone", event, pk=zone.pk)
    assert zone.name_ru == "Пленарный зал" and zone.exit_scanning and not zone.entry_once
    assert zone.open_days == [event.start_date.isoformat()]
    assert set(zone.categories.values_list("code", flat=True)) == {"delegate", "expert"}
    entry = AuditEntry.objects.get(action="gates.zone_created")
    assert entry.actor == organiser and entry.data["open_days"] == zone.open_days


def test_a_zone_form_with_errors_keeps_what_was_typed(event, client_of):
    response = client_of.post(
        page("zones", event), zone_data(event, name_en="", open_days=["1999-01-01"], name_ru="Зал для прессы")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Зал для прессы" in html and 'value="plenary" selected' in html
    form = response.context["form"]
    assert "name_en" in form.errors and "open_days" in form.errors
    assert not Zone.objects.exists()


def test_a_room_of_another_venue_is_refused_by_the_service(event, organiser):
    from django.core.exceptions import ValidationError

    from majlis.gates.services import save_zone
    from tests.factories import make_room, make_venue

    elsewhere = make_room(make_venue())
    with pytest.raises(ValidationError) as refused:
        save_zone(Zone(event=event, name_en="Side room", room=elsewhere), categories=[], actor=organiser)
    assert "room" in refused.value.message_dict


def test_editing_a_zone_and_its_gates(event, client_of, organiser):
    zone = make_zone(event, gates=())
    response = client_of.post(page("zone", event, pk=zone.pk), zone_data(event, name_en="Main hall", entry_once="on"))
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.name_en == "Main hall" and zone.entry_once
    entry = AuditEntry.objects.get(action="gates.zone_changed")
    assert "entry_once" in entry.data["changed"] and "name_en" in entry.data["changed"]
    # A gate: empty name refused with the zone page shown again, then added, renamed, deleted.
    response = client_of.post(page("gate-add", event, pk=zone.pk), {"name_en": "", "name_ru": "Север"})
    assert response.status_code == 400 and "Север" in response.content.decode()
    client_of.post(page("gate-add", event, pk=zone.pk), {"name_en": "North", "name_ru": "Север", "name_uz": "Shimol"})
    gate = Gate.objects.get(zone=zone)
    assert client_of.get(page("gate", event, pk=gate.pk)).status_code == 200
    client_of.post(page("gate", event, pk=gate.pk), {"name_en": "North door", "name_ru": "", "name_uz": ""})
    gate.refresh_from_db()
    assert gate.name_en == "North door"
    client_of.post(page("gate-delete", event, pk=gate.pk))
    assert not Gate.objects.exists()
    assert {e.action for e in AuditEntry.objects.filter(action__startswith="gates.gate_")} == {
        "gates.gate_created",
        "gates.gate_changed",
        "gates.gate_deleted",
    }


def test_a_zone_with_scans_or_bound_devices_is_not_deleted(event, client_of, organiser):
    zone = make_zone(event)
    device_token(event, organiser, zone)
    response = client_of.post(page("zone-delete", event, pk=zone.pk), follow=True)
    assert "revoke their API tokens first" in response.content.decode()
    EventApiToken.objects.update(revoked_at=zone.gates.first().zone.event.created_at)
    record_scan(event, zone=zone, text="garbage", nonce="n-1", gate=zone.gates.first())
    response = client_of.post(page("zone-delete", event, pk=zone.pk), follow=True)
    assert "1 recorded scan:" in response.content.decode() and Zone.objects.filter(pk=zone.pk).exists()
    gate = zone.gates.first()
    response = client_of.post(page("gate-delete", event, pk=gate.pk), follow=True)
    assert "cannot be deleted" in response.content.decode() and Gate.objects.filter(pk=gate.pk).exists()
    empty = make_zone(event, name_en="Empty")
    assert client_of.post(page("zone-delete", event, pk=empty.pk)).status_code == 302
    assert not Zone.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(action="gates.zone_deleted").count() == 1


def test_the_scan_log_filters(event, client_of, organiser, django_assert_max_num_queries):
    zone = make_zone(event)
    other = make_zone(event, name_en="VIP", codes=("delegate",))
    badge = badge_for(event, organiser)
    record_scan(event, zone=zone, text=code_of(badge), nonce="ok", gate=zone.gates.first())
    record_scan(event, zone=other, text=code_of(badge), nonce="vip")
    record_scan(event, zone=zone, badge=badge, nonce="manual")
    with django_assert_max_num_queries(12):
        response = client_of.get(page("scans", event))
    assert response.context["page"].paginator.count == 3
    assert client_of.get(page("scans", event) + "?reason=category").context["page"].paginator.count == 1
    assert client_of.get(page("scans", event) + f"?zone={zone.pk}").context["page"].paginator.count == 2
    assert client_of.get(page("scans", event) + "?manual=on").context["page"].paginator.count == 1
    assert client_of.get(page("scans", event) + "?result=refused").context["page"].paginator.count == 1
    html = client_of.get(page("scans", event) + "?reason=category").content.decode()
    assert "This badge&#x27;s category may not enter this zone." in html


def test_conflicts_are_listed_and_acknowledged(event, client_of, organiser):
    once = make_zone(event, name_en="Ceremony", entry_once=True)
    badge = badge_for(event, organiser)
    record_scan(event, zone=once, text=code_of(badge), nonce="o-1", offline_result="accepted")
    record_scan(event, zone=once, text=code_of(badge), nonce="o-2", offline_result="accepted")
    conflict = Scan.objects.get(nonce="o-2")
    response = client_of.get(page("conflicts", event))
    assert [s.pk for s in response.context["page"].object_list] == [conflict.pk]
    assert "already entered" in response.content.decode()
    assert client_of.post(page("conflict-acknowledge", event, pk=conflict.pk)).status_code == 302
    conflict.refresh_from_db()
    assert conflict.conflict_acknowledged_at is not None and conflict.conflict_acknowledged_by == organiser
    assert AuditEntry.objects.filter(action="gates.conflict_acknowledged", actor=organiser).count() == 1
    assert list(client_of.get(page("conflicts", event)).context["page"].object_list) == []
    assert len(client_of.get(page("conflicts", event) + "?all=1").context["page"].object_list) == 1
    plain = Scan.objects.get(nonce="o-1")
    assert client_of.post(page("conflict-acknowledge", event, pk=plain.pk)).status_code == 404


def test_live_attendance_polls_its_figures(event, client_of, organiser, django_assert_max_num_queries):
    from django.utils import timezone

    from majlis.programme.models import Session
    from tests.factories import make_room, make_session

    room = make_room(event.venue)
    zone = make_zone(event, room=room, exit_scanning=True)
    now = timezone.now()
    make_session(
        event,
        room=room,
        title_en="Closed briefing",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1),
        access=Session.Access.OPEN,
    )
    badge = badge_for(event, organiser)
    record_scan(event, zone=zone, text=code_of(badge), nonce="in", gate=zone.gates.first())
    response = client_of.get(page("live", event))
    html = response.content.decode()
    assert response.status_code == 200 and "majlis/vendor/htmx.min.js" in html
    assert f'hx-get="{page("live-figures", event)}"' in html and 'hx-trigger="every 5s"' in html
    assert "Closed briefing" in html and "<script>" not in html and "style=" not in html
    with django_assert_max_num_queries(14):
        figures = client_of.get(page("live-figures", event), HTTP_HX_REQUEST="true")
    assert figures.status_code == 200 and b'id="live-figures"' in figures.content
    session_row = figures.context["figures"].sessions[0]
    assert session_row.running and session_row.entered == 1 and session_row.inside == 1
    paused = client_of.get(page("live", event) + "?paused=1").content.decode()
    assert "hx-get" not in paused and "Resume the updates" in paused


def test_an_expired_session_sends_the_poll_to_the_login_page(event):
    response = Client().get(page("live-figures", event), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/en/account/login/")


def test_the_token_form_offers_the_events_zones(event, client_of, organiser):
    zone = make_zone(event, name_en="Press centre")
    make_zone(make_accreditation_event(slug="elsewhere"), name_en="Elsewhere")
    html = client_of.get(f"/en/{event.slug}/manage/api-tokens/").content.decode()
    assert f'<option value="{zone.pk}">Press centre</option>' in html and "Elsewhere" not in html
    response = client_of.post(
        f"/en/{event.slug}/manage/api-tokens/",
        {"name": "Press door scanner", "scopes": ["gates.scan"], "zone": str(zone.pk), "expires_on": ""},
    )
    assert response.status_code == 200
    token = EventApiToken.objects.get(event=event)
    assert token.zone == str(zone.pk) and token.scopes == ["gates.scan"]
    assert "Zone: Press centre" in client_of.get(f"/en/{event.slug}/manage/api-tokens/").content.decode()
    refused = client_of.post(
        f"/en/{event.slug}/manage/api-tokens/",
        {"name": "Wrong", "scopes": ["gates.scan"], "zone": "987654", "expires_on": ""},
    )
    assert refused.status_code == 400 and "Wrong" in refused.content.decode()
