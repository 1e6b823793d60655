"""`majlis demo`: the practice conference (always about to begin), badges of both demo events, zones,
gates, Tashkent's scan log and the practice conference's gate device token."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from majlis.accreditation import services as accreditation
from majlis.accreditation.models import Application, Delegation, Mode
from majlis.accreditation.queries import open_categories, registration_state
from majlis.badges.models import Badge
from majlis.badges.services import VALID_BEFORE_OPENING, token_for, validity
from majlis.badges.verification import verify
from majlis.core import capabilities
from majlis.events import extensions, services_tokens
from majlis.events.api_tokens import TokenPrincipal
from majlis.events.demo import practice as practice_content
from majlis.events.models import Event, EventApiToken, EventRole
from majlis.gates import demo as gates_demo
from majlis.gates.api import router as gates_router
from majlis.gates.models import Gate, Presence, Scan, Zone
from majlis.programme.models import ProgrammeVersion, Session

pytestmark = pytest.mark.django_db

TASHKENT = "tashkent-2022"
PRACTICE = practice_content.PRACTICE_SLUG
APPS = ("auth", "core", "events", "programme", "accreditation", "badges", "gates")


class CheapHasher(MD5PasswordHasher):
    """The demo sets nine passwords; these tests never log in with them."""


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def storage_settings(location: Path) -> dict[str, Any]:
    return {
        "MEDIA_ROOT": location,
        "STORAGES": {
            **django_settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
        },
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file storage for the module: the demo's documents and photos stay where its rows say they are."""
    return tmp_path_factory.mktemp("demo-files")


@pytest.fixture(scope="module")
def first_run(django_db_setup: Any, django_db_blocker: Any, files: Path) -> Iterator[str]:
    """The whole demo, loaded once for the module inside a transaction rolled back at the end; its output."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[f"{__name__}.CheapHasher"], **storage_settings(files)),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def output(first_run: str, db: None, settings: Any, files: Path) -> str:
    settings.PASSWORD_HASHERS = [f"{__name__}.CheapHasher"]
    for name, value in storage_settings(files).items():
        setattr(settings, name, value)
    return first_run


@pytest.fixture
def tashkent(output: str) -> Event:
    return Event.objects.get(slug=TASHKENT)


@pytest.fixture
def practice(output: str) -> Event:
    return Event.objects.get(slug=PRACTICE)


@pytest.fixture
def keep_secret_file() -> Iterator[None]:
    """The device secret lives in var/, outside the rolled-back database: put it back after the test."""
    path = gates_demo.device_token_file()
    before = path.read_bytes() if path.exists() else None
    yield
    if before is not None:
        path.write_bytes(before)


def local_today() -> date:
    return timezone.localdate(timezone=ZoneInfo(practice_content.TIME_ZONE))


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the apps the demo writes to."""
    result = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            result[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return result


def printed_secret(text: str) -> str:
    found = re.findall(r"^\s+(mjl_[A-Za-z0-9_-]+)\s*$", text, flags=re.MULTILINE)
    assert len(found) == 1, text
    return found[0]


def printed_curl(text: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.strip().startswith("curl "))
    return shlex.split(line)


# --- idempotency and the dates rule ---------------------------------------------------------------


def test_second_run_changes_nothing(output):
    before = dump()
    again = run_demo()
    assert dump() == before
    for slug in (TASHKENT, PRACTICE):
        assert f"Venue access of {slug} is already up to date: nothing changed." in again
        assert re.search(rf"Badges of {slug} are already up to date: \d+ valid badges\.", again)
    assert "Demo conference (tashkent-2022) is already up to date: nothing changed." in again
    assert printed_secret(again) == printed_secret(output)  # the same token, printed again


def test_practice_dates_rule():
    today = date(2026, 12, 2)
    lead = timedelta(days=practice_content.LEAD_DAYS)
    assert practice_content.practice_dates(None, today) == (today + lead, today + lead + timedelta(days=1))
    assert practice_content.practice_dates(today, today)[0] == today + lead  # starting today: moved
    assert practice_content.practice_dates(date(2022, 3, 3), today)[0] == today + lead
    upcoming = today + timedelta(days=1)
    assert practice_content.practice_dates(upcoming, today) == (upcoming, upcoming + timedelta(days=1))
    # The badges of the practice conference pass the gates on the day the demo is loaded.
    assert VALID_BEFORE_OPENING.days >= practice_content.LEAD_DAYS


def test_practice_conference_is_upcoming_open_and_in_the_series(practice, tashkent):
    today = local_today()
    assert practice.status == Event.Status.PUBLISHED and practice.is_public
    assert practice.series_id == tashkent.series_id and practice.venue_id == tashkent.venue_id
    assert today < practice.start_date <= today + timedelta(days=practice_content.LEAD_DAYS)
    assert practice.phase() == "upcoming"
    assert practice.title_en == "Practice conference — try every workflow"
    assert practice.title_ru and practice.title_ru != practice.title_en
    assert "\u02bb" in practice.title_uz and "'" not in practice.title_uz + practice.summary_uz
    assert practice.short_title_ru and practice.short_title_uz and practice.summary_ru
    assert registration_state(practice) == "open"
    assert {category.code for category in open_categories(practice)} >= {"expert", "civil-society", "media"}
    assert ProgrammeVersion.objects.filter(event=practice).exists()
    restricted = Session.objects.get(event=practice, access=Session.Access.RESTRICTED)
    assert restricted.room is not None and Zone.objects.filter(event=practice, room=restricted.room).exists()
    assert Session.objects.filter(event=practice, room__isnull=False).values("room").distinct().count() >= 3


def test_practice_dates_move_forward_when_past(practice, keep_secret_file):
    past = local_today() - timedelta(days=40)
    Event.objects.filter(pk=practice.pk).update(start_date=past, end_date=past + timedelta(days=1))
    practice.refresh_from_db()
    for load in extensions.practice_loaders():  # everything follows the past dates, as if loaded back then
        load(practice)
    old_badges = list(Badge.objects.filter(event=practice, status=Badge.Status.ISSUED))
    assert old_badges and not verify(practice, token_for(old_badges[0])).ok  # expired

    output = run_demo()

    practice.refresh_from_db()
    start = local_today() + timedelta(days=practice_content.LEAD_DAYS)
    assert (practice.start_date, practice.end_date) == (start, start + timedelta(days=1))
    assert "updated   1 events" in output
    first = Session.objects.filter(event=practice).order_by("starts_at").first()
    assert timezone.localtime(first.starts_at, practice.tz).date() == start
    assert ProgrammeVersion.objects.filter(event=practice).count() == 3  # first load, past dates, moved
    days = {day for zone in Zone.objects.filter(event=practice) for day in zone.open_days}
    assert days and days <= {start.isoformat(), (start + timedelta(days=1)).isoformat()}
    issued = list(Badge.objects.filter(event=practice, status=Badge.Status.ISSUED))
    assert {badge.application_id for badge in issued} == {badge.application_id for badge in old_badges}
    for badge in issued:
        assert (badge.valid_from, badge.valid_until) == validity(practice)
        assert verify(practice, token_for(badge)).ok  # valid today already
    for badge in old_badges:
        badge.refresh_from_db()
        assert badge.status == Badge.Status.REVOKED
    assert registration_state(practice) == "open"
    before = dump()
    run_demo()
    assert dump() == before  # moved once, then left alone


def test_still_upcoming_dates_are_left_alone(practice):
    start = local_today() + timedelta(days=1)
    Event.objects.filter(pk=practice.pk).update(start_date=start, end_date=start + timedelta(days=1))
    run_demo()
    practice.refresh_from_db()
    assert practice.start_date == start


# --- roles ------------------------------------------------------------------------------------------


def test_demo_accounts_hold_their_roles_in_the_practice_conference(practice):
    roles = {
        (role.user.username, role.role) for role in EventRole.objects.filter(event=practice).select_related("user")
    }
    assert roles >= {
        ("organiser", "organiser_admin"),
        ("coorganiser", "co_organiser"),
        ("accreditation", "accreditation_officer"),
        ("security", "security_officer"),
        ("gate", "gate_officer"),
        ("focalpoint", "focal_point"),
    }
    assert not {username for username, _role in roles} & {"participant", "journalist"}  # they may register
    gate = get_user_model().objects.get(username="gate")
    for slug in (TASHKENT, PRACTICE):
        assert capabilities.has(gate, "gates.scan", Event.objects.get(slug=slug))


# --- badges -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [TASHKENT, PRACTICE])
def test_every_approved_in_person_participant_has_a_badge(output, slug):
    event = Event.objects.get(slug=slug)
    approved = set(
        Application.objects.filter(event=event, status=Application.Status.APPROVED, mode=Mode.IN_PERSON).values_list(
            "pk", flat=True
        )
    )
    issued = set(Badge.objects.filter(event=event, status=Badge.Status.ISSUED).values_list("application_id", flat=True))
    assert approved and issued == approved
    assert not Badge.objects.filter(event=event, application__mode=Mode.ONLINE, status=Badge.Status.ISSUED).exists()


def test_practice_participants_write_in_every_script_and_have_photos(practice):
    approved = Application.objects.filter(event=practice, status=Application.Status.APPROVED)
    natives = set(approved.values_list("name_native", flat=True))
    assert "张明" in natives
    assert any(re.search(r"[\u0600-\u06ff]", name) for name in natives)  # Arabic
    assert any(re.search(r"[А-Яа-я]", name) for name in natives)  # Cyrillic
    assert approved.filter(family_name__contains="\u02bb").exists()  # Uzbek Latin with ʻ
    assert all(application.photo for application in approved)
    with approved.first().photo.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"  # a JPEG
    delegation = Delegation.objects.get(event=practice)
    assert delegation.status == Delegation.Status.APPROVED
    assert delegation.memberships.filter(role="focal_point", user__username="focalpoint").exists()


def test_the_waiting_application_gets_its_badge_when_approved(practice, django_capture_on_commit_callbacks):
    waiting = Application.objects.get(event=practice, status=Application.Status.SUBMITTED)
    assert not Badge.objects.filter(application=waiting).exists()
    officer = get_user_model().objects.get(username="accreditation")
    with django_capture_on_commit_callbacks(execute=True):
        accreditation.approve_application(waiting, actor=officer)
    badge = Badge.objects.get(application=waiting, status=Badge.Status.ISSUED)
    assert verify(practice, token_for(badge)).ok


# --- zones, gates, the scan log ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", [TASHKENT, PRACTICE])
def test_zones_and_gates_in_three_languages(output, slug):
    event = Event.objects.get(slug=slug)
    zones = list(Zone.objects.filter(event=event).prefetch_related("categories", "gates"))
    assert [zone.name_en for zone in zones] == [spec.name["en"] for spec in gates_demo.ZONES]
    assert {zone.kind for zone in zones} >= {"perimeter", "plenary", "press", "bilateral"}
    for zone in zones:
        assert zone.name_ru and zone.name_uz and zone.name_ru != zone.name_en
        assert zone.gates.exists()
        for gate in zone.gates.all():
            assert gate.name_ru and gate.name_uz
    by_name = {zone.name_en: zone for zone in zones}
    codes = {name: {c.code for c in zone.categories.all()} for name, zone in by_name.items()}
    assert codes["Venue perimeter"] == set(event.categories.values_list("code", flat=True))
    assert codes["Bilateral meeting rooms"] == {"head-of-state", "minister", "delegate"}
    assert "media" in codes["Press centre"] and "media" not in codes["Plenary hall"]
    assert by_name["Official reception"].entry_once and by_name["Venue perimeter"].exit_scanning
    assert by_name["Press centre"].room.name_en == "Press room"
    gate_names = set(Gate.objects.filter(zone__event=event).values_list("name_en", flat=True))
    assert {"Main entrance", "North gate", "Plenary door"} <= gate_names
    uzbek = " ".join(zone.name_uz for zone in zones) + " ".join(gate_names)
    assert "'" not in uzbek


def test_tashkent_scan_log_is_two_days_of_history(tashkent):
    scans = Scan.objects.filter(event=tashkent)
    assert scans.count() == len(gates_demo.TASHKENT_LOG)
    days = {timezone.localtime(scan.scanned_at, tashkent.tz).date() for scan in scans}
    assert days == {date(2022, 3, 3), date(2022, 3, 4)}
    for scan in scans:
        assert timedelta(0) <= scan.recorded_at - scan.scanned_at < timedelta(minutes=1)
    refusals = set(scans.filter(result=Scan.Result.REFUSED).values_list("reason", flat=True))
    assert refusals == {"forged", "malformed", "category", "closed_day", "already_entered", "session"}
    assert not scans.filter(result=Scan.Result.ACCEPTED).exclude(reason="").exists()
    assert not scans.filter(result=Scan.Result.REFUSED, reason="").exists()
    assert not scans.filter(reason__in=["forged", "malformed"], badge__isnull=False).exists()
    # Mornings: everyone's first entry at the perimeter is before nine.
    perimeter = Zone.objects.get(event=tashkent, kind=Zone.Kind.PERIMETER)
    firsts = Presence.objects.filter(zone=perimeter).values_list("first_entry_at", flat=True)
    assert firsts and all(timezone.localtime(at, tashkent.tz).hour < 9 for at in firsts)
    # Everyone left on the evening of the second day; the media never entered the plenary hall.
    assert not Presence.objects.filter(zone=perimeter, inside=True).exists()
    media_in_plenary = Presence.objects.filter(zone__kind=Zone.Kind.PLENARY, badge__category__code="media")
    assert media_in_plenary.exists() and not media_in_plenary.exclude(entries=0).exists()
    reception = Zone.objects.get(event=tashkent, entry_once=True)
    assert set(Presence.objects.filter(zone=reception).values_list("entries", flat=True)) == {1}


# --- the gate device token ----------------------------------------------------------------------------


def test_device_token_is_active_scoped_and_bound_to_the_perimeter(output, practice, tashkent):
    secret = printed_secret(output)
    token = EventApiToken.objects.get(event=practice, name=gates_demo.DEVICE_TOKEN_NAME, revoked_at__isnull=True)
    assert services_tokens.hash_secret(secret) == token.secret_hash
    assert token.is_active and token.scopes == ["gates.scan"]
    perimeter = Zone.objects.get(event=practice, kind=Zone.Kind.PERIMETER)
    assert token.zone == str(perimeter.pk)
    principal = TokenPrincipal(token)
    assert capabilities.has(principal, "gates.scan", practice)
    assert not capabilities.has(principal, "gates.scan", tashkent)
    assert not capabilities.has(principal, "gates.manage", practice)
    assert gates_demo.device_token_file().read_text().strip() == secret


def test_device_token_authenticates_against_the_api(output, client):
    secret = printed_secret(output)
    assert client.get(f"/api/v1/events/{PRACTICE}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    wrong = secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")
    assert client.get(f"/api/v1/events/{PRACTICE}", HTTP_AUTHORIZATION=f"Bearer {wrong}").status_code == 401


@pytest.mark.skipif(
    not any(path.endswith("/gates/scans") for path in gates_router.path_operations),
    reason="the gates check-in API is not in this tree yet",
)
def test_printed_curl_example_checks_a_badge_in(output, client):
    words = printed_curl(output)
    header = words[words.index("-H") + 1]
    body = json.loads(words[words.index("-d") + 1])
    url = words[-1]
    assert url.endswith(f"/api/v1/events/{PRACTICE}/gates/scans")
    path = "/" + url.split("/", 3)[3]
    answer = client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=header.split(": ", 1)[1])
    assert answer.status_code == 200, answer.content
    assert answer.json()["result"] == "accepted"


def test_revoked_device_token_is_replaced_on_the_next_run(output, practice, keep_secret_file):
    token = EventApiToken.objects.get(event=practice, name=gates_demo.DEVICE_TOKEN_NAME, revoked_at__isnull=True)
    services_tokens.revoke_token(token, actor=get_user_model().objects.get(username="organiser"))
    again = run_demo()
    new_secret = printed_secret(again)
    assert new_secret != printed_secret(output)
    fresh = EventApiToken.objects.get(event=practice, name=gates_demo.DEVICE_TOKEN_NAME, revoked_at__isnull=True)
    assert fresh.pk != token.pk and fresh.secret_hash == services_tokens.hash_secret(new_secret)


# --- what `majlis demo` prints ----------------------------------------------------------------------


def test_output_lists_the_gate_officer_the_practice_conference_and_the_device_token(output, practice):
    assert re.search(r"gate_officer\s+gate\s+demo-gate-officer-2022", output)
    logins_at = output.index("Demo logins")
    assert output.index(printed_secret(output)) > logins_at  # after the logins
    assert f"Practice conference ({PRACTICE}), {practice.start_date:%Y-%m-%d}" in output
    curl = printed_curl(output)
    assert curl[-1] == f"http://127.0.0.1:8000/api/v1/events/{PRACTICE}/gates/scans"
    body = json.loads(curl[curl.index("-d") + 1])
    assert body["zone"] == Zone.objects.get(event=practice, kind=Zone.Kind.PERIMETER).pk
    assert verify(practice, body["code"]).ok  # a real badge of the practice conference
    assert f"http://127.0.0.1:8000/en/{PRACTICE}/gates/scan/" in output


def test_base_url_option_changes_the_printed_addresses(output):
    out = StringIO()
    call_command("demo", "--base-url", "http://127.0.0.1:8080/", stdout=out)
    assert f"http://127.0.0.1:8080/en/{PRACTICE}/gates/scan/" in out.getvalue()
    assert printed_curl(out.getvalue())[-1] == f"http://127.0.0.1:8080/api/v1/events/{PRACTICE}/gates/scans"
