"""The gates API contract (/api/v1/events/{slug}/gates/…): shapes, errors, device tokens bound to one
zone, idempotency, the offline package, synchronisation with conflicts, the name search, attendance."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from majlis.badges.models import SigningKey
from majlis.core.models import AuditEntry
from majlis.gates.models import Presence, Scan, ZoneRefusal

from .conftest import badge_for, code_of, device_token, make_zone, photo_bytes, withdraw

pytestmark = pytest.mark.django_db

API = "/api/v1/events/{slug}/gates"


def url(event, tail: str) -> str:
    return API.format(slug=event.slug) + tail


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_device(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


# --- Zones ----------------------------------------------------------------------------------------


def test_zones_list_with_their_gates(event, zone, gate_officer, django_assert_max_num_queries):
    make_zone(event, name_en="Press centre", gates=("Press door",), exit_scanning=True)
    client = signed_in(gate_officer)
    with django_assert_max_num_queries(6):
        response = client.get(url(event, "/zones"))
    assert response.status_code == 200
    zones = response.json()["zones"]
    assert [z["name"] for z in zones] == ["Plenary hall", "Press centre"]
    assert zones[0] == {
        "id": zone.pk,
        "name": "Plenary hall",
        "kind": "plenary",
        "entry_once": False,
        "exit_scanning": False,
        "open_days": [],
        "gates": [{"id": g.pk, "name": g.name} for g in zone.gates.all()],
    }


def test_a_device_token_sees_only_its_zone(event, zone, organiser):
    make_zone(event, name_en="Press centre")
    response = as_device(device_token(event, organiser, zone)).get(url(event, "/zones"))
    assert response.status_code == 200
    assert [z["id"] for z in response.json()["zones"]] == [zone.pk]


def test_no_token_is_401_and_a_person_without_the_right_403(event, zone):
    from majlis.events.models import EventRole
    from tests.factories import make_role

    assert Client().get(url(event, "/zones")).status_code == 401
    journalist = make_role(event, EventRole.Role.JOURNALIST).user
    response = signed_in(journalist).get(url(event, "/zones"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_scanning_token_without_a_zone_is_refused_with_a_clear_message(event, zone, organiser):
    response = as_device(device_token(event, organiser, None)).get(url(event, "/zones"))
    assert response.status_code == 403
    assert response.json()["code"] == "device_without_zone"
    assert "bound to no zone" in response.json()["detail"]


# --- One scan -------------------------------------------------------------------------------------


def test_scan_accepted_with_the_holder(event, organiser, zone, gate_officer, django_assert_max_num_queries):
    badge = badge_for(event, organiser, photo=True, name_native="Жасур Каримов", honorific="he")
    gate = zone.gates.first()
    client = signed_in(gate_officer)
    body = {"zone": zone.pk, "gate": gate.pk, "code": code_of(badge), "nonce": "uuid-1", "direction": "entry"}
    with django_assert_max_num_queries(18):
        response = post(client, url(event, "/scans"), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["result"] == "accepted" and data["reason"] == "" and data["repeated"] is False
    assert data["message"] == "Entry accepted."
    holder = data["holder"]
    application = badge.application
    assert holder["badge"] == badge.pk and holder["number"] == badge.number
    assert holder["name"] == f"{application.given_names} {application.family_name.upper()}"
    assert holder["name_native"] == "Жасур Каримов" and holder["honorific"] == "H.E."
    assert holder["category"] == str(badge.category.name) and holder["colour"] == badge.category.colour
    assert holder["country"] == "Uzbekistan" and holder["delegation"] == application.organisation_name
    assert holder["photo"].startswith("data:image/jpeg;base64,") and len(holder["photo"]) <= 6 * 1024
    scan = Scan.objects.get(pk=data["scan"])
    assert scan.officer == gate_officer and scan.gate == gate and scan.device is None


def test_scan_messages_follow_the_language(event, organiser, zone, gate_officer):
    vip = make_zone(event, name_en="VIP", codes=("delegate",))
    badge = badge_for(event, organiser)
    body = {"zone": vip.pk, "code": code_of(badge), "nonce": "ru-1"}
    response = signed_in(gate_officer).post(
        url(event, "/scans") + "?lang=ru", json.dumps(body), content_type="application/json"
    )
    data = response.json()
    assert data["result"] == "refused" and data["reason"] == ZoneRefusal.CATEGORY
    assert response["Content-Language"] == "ru"


def test_scan_refusals_forged_has_no_holder_revoked_has(event, organiser, zone, gate_officer):
    badge = badge_for(event, organiser)
    text = code_of(badge)
    raw = bytearray(base64.urlsafe_b64decode(text + "="))
    raw[50] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    client = signed_in(gate_officer)
    data = post(client, url(event, "/scans"), {"zone": zone.pk, "code": forged, "nonce": "f-1"}).json()
    assert data["result"] == "refused" and data["reason"] == "forged" and data["holder"] is None
    assert "forged" in data["message"]
    withdraw(badge, organiser)
    data = post(client, url(event, "/scans"), {"zone": zone.pk, "code": text, "nonce": "r-1"}).json()
    assert data["reason"] == "revoked" and data["holder"]["badge"] == badge.pk


def test_the_same_nonce_twice_is_one_scan_and_one_entry(event, organiser, zone, gate_officer):
    badge = badge_for(event, organiser)
    client = signed_in(gate_officer)
    body = {"zone": zone.pk, "code": code_of(badge), "nonce": "twice"}
    first = post(client, url(event, "/scans"), body).json()
    second = post(client, url(event, "/scans"), body).json()
    assert second["repeated"] is True and second["scan"] == first["scan"] and second["result"] == "accepted"
    assert Scan.objects.filter(event=event).count() == 1
    assert Presence.objects.get(badge=badge, zone=zone).entries == 1


def test_manual_admission_through_the_api(event, organiser, zone, gate_officer):
    badge = badge_for(event, organiser)
    data = post(
        signed_in(gate_officer), url(event, "/scans"), {"zone": zone.pk, "badge": badge.pk, "nonce": "m"}
    ).json()
    assert data["result"] == "accepted" and data["holder"]["number"] == badge.number
    assert Scan.objects.get(pk=data["scan"]).manual
    assert AuditEntry.objects.filter(action="gates.manual_admission", actor=gate_officer).exists()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"nonce": "x"}, "either the badge's code"),
        ({"nonce": "x", "code": "abc", "badge": 1}, "either the badge's code"),
        ({"nonce": "", "code": "abc"}, "nonce"),
        ({"nonce": "x" * 65, "code": "abc"}, "nonce"),
        ({"nonce": "x", "code": "abc", "direction": "sideways"}, "direction"),
        ({"nonce": "x", "code": "abc", "direction": "exit"}, "does not scan exits"),
    ],
)
def test_bad_scans_are_400_with_the_reason(event, zone, gate_officer, body, fragment):
    response = post(signed_in(gate_officer), url(event, "/scans"), {"zone": zone.pk, **body})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_unknown_zone_is_404_and_a_gate_of_another_zone_400(event, zone, gate_officer):
    other = make_zone(event, name_en="Other", gates=("West",))
    client = signed_in(gate_officer)
    response = post(client, url(event, "/scans"), {"zone": 987654, "code": "abc", "nonce": "z"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    west = other.gates.get()
    response = post(client, url(event, "/scans"), {"zone": zone.pk, "gate": west.pk, "code": "abc", "nonce": "z"})
    assert response.status_code == 400 and "has no gate" in response.json()["detail"]


def test_a_device_token_scans_in_its_zone_only(event, organiser, zone):
    other = make_zone(event, name_en="Press centre")
    badge = badge_for(event, organiser)
    client = as_device(device_token(event, organiser, zone))
    data = post(client, url(event, "/scans"), {"zone": zone.pk, "code": code_of(badge), "nonce": "d-1"}).json()
    assert data["result"] == "accepted"
    scan = Scan.objects.get(pk=data["scan"])
    assert scan.device is not None and scan.officer is None
    response = post(client, url(event, "/scans"), {"zone": other.pk, "code": code_of(badge), "nonce": "d-2"})
    assert response.status_code == 403 and response.json()["code"] == "other_zone"
    for path in (f"/zones/{other.pk}/offline-package", f"/search?zone={other.pk}&q=Family"):
        response = client.get(url(event, path))
        assert response.status_code == 403 and response.json()["code"] == "other_zone"
    assert Client().post(url(event, "/scans"), "{}", content_type="application/json").status_code == 401


def test_a_revoked_device_token_gets_nothing(event, organiser, zone):
    from majlis.events import services_tokens
    from majlis.events.models import EventApiToken

    secret = device_token(event, organiser, zone)
    services_tokens.revoke_token(EventApiToken.objects.get(event=event), actor=organiser)
    client = as_device(secret)
    assert client.get(url(event, "/zones")).status_code == 401
    assert client.get(url(event, f"/zones/{zone.pk}/offline-package")).status_code == 401


# --- Offline package ------------------------------------------------------------------------------


def test_offline_package_holds_keys_revocations_and_the_zones_allow_list(
    event, organiser, zone, django_assert_max_num_queries
):
    allowed = [badge_for(event, organiser, photo=True, passport_number="AB1234567") for _ in range(3)]
    press = badge_for(event, organiser, category="media")  # not allowed in the zone
    gone = badge_for(event, organiser)
    withdraw(gone, organiser)
    client = as_device(device_token(event, organiser, zone))
    with django_assert_max_num_queries(10):
        response = client.get(url(event, f"/zones/{zone.pk}/offline-package"))
    assert response.status_code == 200
    package = response.json()
    assert package["event"] == event.pk
    assert package["zone"]["id"] == zone.pk and package["zone"]["entry_once"] is False
    assert sorted(package["zone"]["category_ids"]) == sorted(zone.categories.values_list("pk", flat=True))
    key = SigningKey.objects.get(event=event)
    public = base64.urlsafe_b64decode(package["keys"][0]["public_key"] + "=")
    assert package["keys"] == [{"key_id": key.key_id, "public_key": package["keys"][0]["public_key"]}]
    assert public == bytes(key.public_key) and len(public) == 32
    assert package["revoked"] == [gone.pk]
    ids = [row["id"] for row in package["badges"]]
    assert ids == sorted(b.pk for b in allowed)  # neither the revoked badge nor the press badge
    assert press.pk not in ids and gone.pk not in ids
    row = package["badges"][0]
    assert set(row) == {
        "id",
        "revision",
        "number",
        "honorific",
        "name",
        "name_native",
        "category",
        "category_id",
        "colour",
        "delegation",
        "country",
        "photo",
    }
    assert row["photo"].startswith("data:image/jpeg;base64,") and len(row["photo"]) <= 6 * 1024
    text = response.content.decode()
    for badge in allowed:
        assert badge.application.email not in text
    assert "AB1234567" not in text and "passport" not in text.lower()
    assert package["expires_at"].startswith((event.end_date + timedelta(days=1)).isoformat())
    entry = AuditEntry.objects.get(action="gates.offline_package")
    assert entry.data["badges"] == 3 and entry.data["zone"] == zone.pk and entry.actor_label.startswith("API token")


def test_thumbnails_are_cached_per_badge_and_photo(event, organiser, zone):
    from django.core.files.base import ContentFile

    from majlis.gates import photos

    badge = badge_for(event, organiser, photo=True)
    first = photos.thumbnail(badge)
    assert first == photos.thumbnail(badge)
    badge.application.photo.save("new.jpg", ContentFile(photo_bytes((10, 200, 30))), save=True)
    assert photos.thumbnail(badge) != first  # a new photo file, a new thumbnail


# --- Synchronising offline scans ------------------------------------------------------------------


def test_sync_records_each_scan_once_and_reports_conflicts(event, organiser, gate_officer):
    once = make_zone(event, name_en="Ceremony", entry_once=True)
    badge = badge_for(event, organiser)
    later_revoked = badge_for(event, organiser)
    code, revoked_code = code_of(badge), code_of(later_revoked)
    withdraw(later_revoked, organiser)
    at = (timezone.now() - timedelta(minutes=5)).isoformat()
    scans = [
        {"code": code, "nonce": "o-1", "direction": "entry", "scanned_at": at, "offline_result": "accepted"},
        {"code": code, "nonce": "o-2", "direction": "entry", "scanned_at": at, "offline_result": "accepted"},
        {"code": revoked_code, "nonce": "o-3", "direction": "entry", "scanned_at": at, "offline_result": "accepted"},
        {"badge": badge.pk, "nonce": "o-4", "direction": "exit", "scanned_at": at, "offline_result": "accepted"},
        {"nonce": "o-5", "direction": "entry", "scanned_at": at, "offline_result": "refused"},
    ]
    body = {"zone": once.pk, "gate": once.gates.first().pk, "scans": scans}
    client = signed_in(gate_officer)
    data = post(client, url(event, "/scans/sync"), body).json()
    assert data["recorded"] == 3 and data["repeated"] == 0
    assert [(c["nonce"], c["reason"]) for c in data["conflicts"]] == [
        ("o-2", ZoneRefusal.ALREADY_ENTERED),
        ("o-3", "revoked"),
    ]
    assert "should have been refused" in data["conflicts"][1]["message"]
    assert {item["nonce"] for item in data["invalid"]} == {"o-4", "o-5"}  # no exit scanning; no code
    assert Scan.objects.filter(event=event, offline=True).count() == 3
    # The device did not get the answer and sends the queue again: nothing new.
    again = post(client, url(event, "/scans/sync"), body).json()
    assert again["recorded"] == 0 and again["repeated"] == 3 and len(again["conflicts"]) == 2
    assert Scan.objects.filter(event=event).count() == 3
    assert Presence.objects.get(badge=badge, zone=once).entries == 2


def test_sync_query_count_grows_with_the_scans_not_more(
    event, organiser, zone, gate_officer, django_assert_max_num_queries
):
    badges = [badge_for(event, organiser) for _ in range(5)]
    at = timezone.now().isoformat()
    scans = [
        {"code": code_of(b), "nonce": f"q-{i}", "scanned_at": at, "offline_result": "accepted"}
        for i, b in enumerate(badges)
    ]
    client = signed_in(gate_officer)
    with django_assert_max_num_queries(8 + 12 * len(scans)):
        data = post(client, url(event, "/scans/sync"), {"zone": zone.pk, "scans": scans}).json()
    assert data["recorded"] == 5 and data["conflicts"] == []


def test_sync_takes_at_most_500(event, zone, gate_officer):
    at = timezone.now().isoformat()
    scans = [{"code": "x", "nonce": f"n{i}", "scanned_at": at, "offline_result": "accepted"} for i in range(501)]
    response = post(signed_in(gate_officer), url(event, "/scans/sync"), {"zone": zone.pk, "scans": scans})
    assert response.status_code == 400


# --- Search and attendance ------------------------------------------------------------------------


def test_search_by_name_and_number_is_audited(event, organiser, zone, gate_officer, django_assert_max_num_queries):
    badge = badge_for(event, organiser, family_name="Karimov", given_names="Jasur", name_native="Жасур Каримов")
    badge_for(event, organiser, family_name="Other")
    client = signed_in(gate_officer)
    with django_assert_max_num_queries(8):
        response = client.get(url(event, f"/search?zone={zone.pk}&q=jasur karim"))
    assert response.status_code == 200
    assert [r["badge"] for r in response.json()["results"]] == [badge.pk]
    assert [r["badge"] for r in client.get(url(event, f"/search?zone={zone.pk}&q=Каримов")).json()["results"]] == [
        badge.pk
    ]
    number = client.get(url(event, f"/search?zone={zone.pk}&q={badge.number}")).json()["results"]
    assert badge.pk in [r["badge"] for r in number]
    entry = AuditEntry.objects.filter(action="gates.holder_search").first()
    assert entry.actor == gate_officer and entry.data["zone"] == zone.pk
    assert client.get(url(event, f"/search?zone={zone.pk}&q=K")).status_code == 400


def test_attendance_figures(event, organiser, zone, gate_officer, django_assert_max_num_queries):
    from majlis.events.models import EventRole
    from tests.factories import make_role

    counted = make_zone(event, name_en="Perimeter", exit_scanning=True)
    badges = [badge_for(event, organiser) for _ in range(3)]
    client = signed_in(gate_officer)
    gate = counted.gates.first()
    for i, badge in enumerate(badges):
        post(
            client,
            url(event, "/scans"),
            {"zone": counted.pk, "gate": gate.pk, "code": code_of(badge), "nonce": f"a{i}"},
        )
    post(
        client,
        url(event, "/scans"),
        {"zone": counted.pk, "code": code_of(badges[0]), "nonce": "out", "direction": "exit"},
    )
    post(client, url(event, "/scans"), {"zone": zone.pk, "code": "garbage", "nonce": "bad"})
    assert client.get(url(event, "/attendance")).status_code == 403  # gate officers scan, they do not manage
    security = signed_in(make_role(event, EventRole.Role.SECURITY_OFFICER).user)
    with django_assert_max_num_queries(12):
        response = security.get(url(event, "/attendance"))
    data = response.json()
    zones = {row["id"]: row for row in data["zones"]}
    assert zones[counted.pk]["inside"] == 2 and zones[counted.pk]["entered_today"] == 3
    assert zones[zone.pk]["inside"] is None and zones[zone.pk]["refused_today"] == 1
    gates = {(row["zone"], row["id"]): row for row in data["gates"]}
    assert (
        sum(gates[(counted.pk, gate.pk)]["per_minute"][-2:]) == 3
        and len(gates[(counted.pk, gate.pk)]["per_minute"]) == 30
    )
    assert gates[(counted.pk, None)]["total"] == 1
    assert data["refusals"] == [{"reason": "malformed", "message": "This is not a Majlis badge code.", "count": 1}]
    assert data["conflicts"] == 0


def test_a_time_without_an_offset_is_the_conferences_local_time(event, organiser, zone, gate_officer):
    from datetime import datetime

    badge = badge_for(event, organiser)
    local = timezone.localtime(timezone.now() - timedelta(minutes=3), event.tz).replace(tzinfo=None, microsecond=0)
    body = {"zone": zone.pk, "code": code_of(badge), "nonce": "naive", "scanned_at": local.isoformat()}
    data = post(signed_in(gate_officer), url(event, "/scans"), body).json()
    scan = Scan.objects.get(pk=data["scan"])
    assert scan.scanned_at == datetime.fromisoformat(local.isoformat()).replace(tzinfo=event.tz)
