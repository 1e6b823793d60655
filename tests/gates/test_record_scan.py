"""Check-in decisions: accepted, each refusal of the zone and of the badge, exits, manual admission,
nonce idempotency and offline conflicts (``gates.services.record_scan``)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from majlis.badges.tokens import Refusal
from majlis.core.models import AuditEntry
from majlis.gates.models import Direction, Presence, Scan, ZoneRefusal
from majlis.gates.services import record_scan
from majlis.programme.models import Session
from tests.factories import make_session

from .conftest import badge_for, code_of, make_room_for, make_zone, withdraw

pytestmark = pytest.mark.django_db


def scan(event, zone, badge_or_code, nonce, **kwargs):
    if isinstance(badge_or_code, str):
        kwargs["text"] = badge_or_code
    else:
        kwargs["text"] = code_of(badge_or_code)
    return record_scan(event, zone=zone, nonce=nonce, gate=zone.gates.first(), **kwargs)


def test_a_genuine_badge_of_an_allowed_category_enters(event, organiser, zone, gate_officer):
    badge = badge_for(event, organiser)
    outcome = scan(event, zone, badge, "n-1", officer=gate_officer)
    assert outcome.accepted and not outcome.repeated and outcome.scan.reason == ""
    assert outcome.scan.officer == gate_officer and outcome.scan.gate == zone.gates.first()
    assert outcome.badge == badge and outcome.message == "Entry accepted."
    presence = Presence.objects.get(badge=badge, zone=zone)
    assert presence.inside and presence.entries == 1 and presence.first_entry_at is not None


def test_a_category_not_allowed_in_the_zone_is_refused(event, organiser):
    vip = make_zone(event, name_en="VIP lounge", codes=("delegate",))
    badge = badge_for(event, organiser)  # an expert
    outcome = scan(event, vip, badge, "n-1")
    assert not outcome.accepted and outcome.scan.reason == ZoneRefusal.CATEGORY
    assert outcome.badge == badge  # genuine: the screen still shows who it is
    assert not Presence.objects.filter(badge=badge, zone=vip, entries__gt=0).exists()


def test_a_zone_closed_today_refuses(event, organiser):
    closed = make_zone(event, name_en="Press centre", open_days=[event.end_date.isoformat()])
    outcome = scan(event, closed, badge_for(event, organiser), "n-1")
    assert outcome.scan.reason == ZoneRefusal.CLOSED_DAY
    assert outcome.message == "This badge is not valid in this zone today."


def test_a_one_entry_zone_refuses_the_second_entry(event, organiser):
    once = make_zone(event, name_en="Opening ceremony", entry_once=True)
    badge = badge_for(event, organiser)
    assert scan(event, once, badge, "n-1").accepted
    second = scan(event, once, badge, "n-2")
    assert second.scan.reason == ZoneRefusal.ALREADY_ENTERED and not second.accepted
    assert Presence.objects.get(badge=badge, zone=once).entries == 1


def test_a_session_in_the_zones_room_keeps_out_those_who_may_not_attend(event, organiser):
    room = make_room_for(event)
    zone = make_zone(event, name_en="Room B", room=room)
    now = timezone.now()
    make_session(
        event,
        room=room,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        access=Session.Access.RESTRICTED,
        restricted_to=["delegate"],
    )
    expert = badge_for(event, organiser)
    delegate = badge_for(event, organiser, category="delegate")
    assert scan(event, zone, expert, "n-1").scan.reason == ZoneRefusal.SESSION
    assert scan(event, zone, delegate, "n-2").accepted


def test_a_cancelled_session_does_not_keep_anyone_out(event, organiser):
    room = make_room_for(event)
    zone = make_zone(event, name_en="Room C", room=room)
    now = timezone.now()
    make_session(
        event,
        room=room,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        access=Session.Access.INVITATION,
        is_cancelled=True,
    )
    assert scan(event, zone, badge_for(event, organiser), "n-1").accepted


def test_revoked_forged_and_garbage_are_refused_with_their_reason(event, organiser, zone):
    badge = badge_for(event, organiser)
    text = code_of(badge)
    raw = bytearray(base64.urlsafe_b64decode(text + "="))
    raw[40] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    outcome = scan(event, zone, forged, "n-forged")
    assert outcome.scan.reason == Refusal.FORGED and outcome.badge is None and outcome.scan.badge is None
    assert scan(event, zone, "hello world", "n-garbage").scan.reason == Refusal.MALFORMED
    withdraw(badge, organiser)
    revoked = scan(event, zone, text, "n-revoked")
    assert revoked.scan.reason == Refusal.REVOKED and revoked.scan.badge == badge
    assert revoked.message == "The badge was revoked."
    assert not Presence.objects.filter(badge=badge, entries__gt=0).exists()


def test_exits_are_scanned_only_where_the_zone_scans_them(event, organiser, zone):
    badge = badge_for(event, organiser)
    with pytest.raises(ValidationError) as refused:
        scan(event, zone, badge, "n-exit", direction=Direction.EXIT)
    assert "does not scan exits" in str(refused.value)
    counted = make_zone(event, name_en="Perimeter", exit_scanning=True)
    assert scan(event, counted, badge, "n-in").accepted
    out = scan(event, counted, badge, "n-out", direction=Direction.EXIT)
    assert out.accepted and out.message == "Exit recorded."
    presence = Presence.objects.get(badge=badge, zone=counted)
    assert not presence.inside and presence.entries == 1


def test_an_exit_is_let_through_even_for_a_category_not_allowed_in(event, organiser):
    counted = make_zone(event, name_en="VIP", codes=("delegate",), exit_scanning=True)
    outcome = scan(event, counted, badge_for(event, organiser), "n-out", direction=Direction.EXIT)
    assert outcome.accepted


def test_the_same_nonce_twice_records_one_scan_and_one_entry(event, organiser, zone):
    badge = badge_for(event, organiser)
    first = scan(event, zone, badge, "same-nonce")
    again = scan(event, zone, badge, "same-nonce")
    assert again.repeated and again.scan.pk == first.scan.pk and again.accepted
    assert Scan.objects.filter(event=event, nonce="same-nonce").count() == 1
    assert Presence.objects.get(badge=badge, zone=zone).entries == 1


@pytest.mark.parametrize("nonce", ["", " ", "x" * 65, "café", "tab\there"])
def test_a_bad_nonce_is_refused(event, organiser, zone, nonce):
    with pytest.raises(ValidationError):
        scan(event, zone, badge_for(event, organiser), nonce)


def test_manual_admission_by_badge_id_is_flagged_and_audited(event, organiser, zone, gate_officer):
    badge = badge_for(event, organiser)
    outcome = record_scan(event, zone=zone, badge=badge.pk, nonce="manual-1", officer=gate_officer)
    assert outcome.accepted and outcome.scan.manual and outcome.scan.badge == badge
    assert outcome.message == "Admitted after a name search: entry recorded."
    entry = AuditEntry.objects.get(action="gates.manual_admission")
    assert entry.actor == gate_officer and entry.data["number"] == badge.number and entry.data["result"] == "accepted"
    assert Presence.objects.get(badge=badge, zone=zone).entries == 1


def test_manual_admission_still_applies_the_badge_and_zone_rules(event, organiser, zone):
    badge = badge_for(event, organiser)
    vip = make_zone(event, name_en="VIP", codes=("delegate",))
    assert record_scan(event, zone=vip, badge=badge, nonce="m-1").scan.reason == ZoneRefusal.CATEGORY
    withdraw(badge, organiser)
    refused = record_scan(event, zone=zone, badge=badge, nonce="m-2")
    assert refused.scan.reason == Refusal.REVOKED and refused.scan.manual
    assert record_scan(event, zone=zone, badge=987654, nonce="m-3").scan.reason == Refusal.UNKNOWN_BADGE


def test_code_and_badge_together_or_neither_is_refused(event, organiser, zone):
    badge = badge_for(event, organiser)
    with pytest.raises(ValidationError):
        record_scan(event, zone=zone, text=code_of(badge), badge=badge, nonce="both")
    with pytest.raises(ValidationError):
        record_scan(event, zone=zone, nonce="neither")


def test_a_device_may_scan_only_in_its_zone(event, organiser, zone):
    from majlis.events.models import EventApiToken

    from .conftest import device_token

    device_token(event, organiser, zone)
    device = EventApiToken.objects.get(event=event)
    other = make_zone(event, name_en="Other")
    badge = badge_for(event, organiser)
    assert record_scan(event, zone=zone, text=code_of(badge), nonce="d-1", device=device).accepted
    with pytest.raises(PermissionDenied):
        record_scan(event, zone=other, text=code_of(badge), nonce="d-2", device=device)


def test_offline_decisions_are_kept_and_disagreements_are_conflicts(event, organiser):
    once = make_zone(event, name_en="Ceremony", entry_once=True)
    badge = badge_for(event, organiser)
    first = scan(event, once, badge, "off-1", offline_result="accepted")
    assert first.accepted and first.scan.offline and first.scan.conflict == ""
    second = scan(event, once, badge, "off-2", offline_result="accepted")  # let in at another offline gate
    assert second.accepted and second.scan.conflict == ZoneRefusal.ALREADY_ENTERED
    assert Presence.objects.get(badge=badge, zone=once).entries == 2  # they are inside twice: it happened
    other = badge_for(event, organiser)
    refused = scan(event, once, other, "off-3", offline_result="refused")
    assert refused.scan.result == Scan.Result.REFUSED and refused.scan.conflict == "accepted"
