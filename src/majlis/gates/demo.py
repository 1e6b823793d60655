"""Venue access of the demo: zones and gates for both demo events, the scan log of the Tashkent
conference's two days, and a gate device token for the practice conference.

- Zones and gates (names in English, Russian and Uzbek) are the same at both events: the venue
  perimeter, the plenary hall, breakout room 1 (the room of the practice conference's restricted
  briefing), the press centre (the room of Tashkent's press conference, for the media only), the
  bilateral meeting rooms (delegations, second day only) and the official reception (one entry per
  badge, first day only). Natural keys: the zone's English name within its event, the gate's within
  its zone.
- The Tashkent conference is past: its scans are history, written as rows (``Scan``, ``Presence``)
  with fixed nonces, so that a second run finds them and writes nothing. Each scan's result comes
  from the same zone rules the gates apply live (``services.zone_refusal``).
- The practice conference gets a gate device: an API token with the scope ``gates.scan`` bound to its
  perimeter zone (``EventApiToken.zone`` holds the zone's id), created through
  ``events.services_tokens``. Its secret is shown only when it is created, so the demo keeps it in the
  local ``var/`` directory (``DEVICE_TOKEN_FILE``) and prints it on every run. It is neither a
  constant of the repository (that would be a published credential, valid on every demo install) nor
  rotated on every run (that would break the devices already set up with it and make every run
  change something); a new one is made only when the stored one no longer matches an active token
  (a new database, a revoked token).
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import translation

from majlis.accreditation.models import Category
from majlis.badges.models import Badge
from majlis.badges.services import token_for
from majlis.badges.tokens import Refusal
from majlis.events import services_tokens
from majlis.events.demo.loader import Report, tr, upsert
from majlis.events.models import Event, EventApiToken, Room
from majlis.events.models_tokens import hash_secret

from .models import Direction, Gate, Presence, Scan, Zone
from .services import zone_refusal

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

Texts = dict[str, str]


def t(en: str, ru: str, uz: str) -> Texts:
    return {"en": en, "ru": ru, "uz": uz}


@dataclass(frozen=True)
class ZoneSpec:
    key: str
    name: Texts
    kind: str
    gates: tuple[Texts, ...]
    categories: tuple[str, ...] = ()  # category codes allowed in; empty: every category of the event
    excluded: tuple[str, ...] = ()  # with ``categories`` empty: every category but these
    room: str = ""  # English name of the venue's room the zone is (its sessions' access rules apply)
    entry_once: bool = False
    exit_scanning: bool = False
    days: tuple[int, ...] = ()  # days of the event (0: the first) the zone is open; empty: every day


MAIN_ENTRANCE = t("Main entrance", "Главный вход", "Asosiy kirish")
NORTH_GATE = t("North gate", "Северные ворота", "Shimoliy darvoza")
DELEGATIONS_ONLY = ("head-of-state", "minister", "delegate")

ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec(
        "perimeter",
        t("Venue perimeter", "Территория площадки", "Tadbir maydoni hududi"),
        Zone.Kind.PERIMETER,
        (MAIN_ENTRANCE, NORTH_GATE),
        exit_scanning=True,
    ),
    ZoneSpec(
        "plenary",
        t("Plenary hall", "Пленарный зал", "Yalpi majlislar zali"),
        Zone.Kind.PLENARY,
        (t("Plenary door", "Вход в пленарный зал", "Yalpi majlislar zali eshigi"),),
        excluded=("media",),  # the media follow the plenary from the press centre
        room="Plenary hall",
        exit_scanning=True,
    ),
    ZoneSpec(
        "breakout-1",
        t("Breakout room 1", "Зал секционных заседаний 1", "1-seksiya zali"),
        Zone.Kind.MEETING,
        (t("Breakout room 1 door", "Вход в зал секционных заседаний 1", "1-seksiya zali eshigi"),),
        excluded=("media",),
        room="Breakout room 1",
    ),
    ZoneSpec(
        "press",
        t("Press centre", "Пресс-центр", "Matbuot markazi"),
        Zone.Kind.PRESS,
        (t("Press centre door", "Вход в пресс-центр", "Matbuot markazi eshigi"),),
        categories=("media", "organiser-staff", "security-support"),
        room="Press room",
    ),
    ZoneSpec(
        "bilateral",
        t("Bilateral meeting rooms", "Залы двусторонних встреч", "Ikki tomonlama uchrashuvlar xonalari"),
        Zone.Kind.BILATERAL,
        (t("Bilateral wing", "Крыло двусторонних встреч", "Ikki tomonlama uchrashuvlar qanoti"),),
        categories=DELEGATIONS_ONLY,
        days=(1,),
    ),
    ZoneSpec(
        "reception",
        t("Official reception", "Официальный приём", "Rasmiy qabul marosimi"),
        Zone.Kind.OTHER,
        (t("Reception hall door", "Вход в зал приёмов", "Qabul zali eshigi"),),
        excluded=("media", "security-support"),
        entry_once=True,
        days=(0,),
    ),
)


@dataclass
class Loaded:
    zones: dict[str, Zone] = field(default_factory=dict)
    gates: dict[tuple[str, str], Gate] = field(default_factory=dict)  # (zone key, English gate name)


def load_zones(report: Report, event: Event) -> Loaded:
    """The zones and gates of ``event``, created or brought back in line with ``ZONES``."""
    loaded = Loaded()
    categories = {category.code: category for category in Category.objects.filter(event=event)}
    rooms: dict[str, Room] = {}
    if event.venue_id is not None:
        for room in Room.objects.filter(venue_id=event.venue_id).order_by("position", "pk"):
            rooms.setdefault(room.name_en, room)  # type: ignore[attr-defined]
    for position, spec in enumerate(ZONES, start=1):
        days = [(event.start_date + timedelta(days=day)).isoformat() for day in spec.days]
        zone = upsert(
            report,
            Zone,
            {"event": event, "name_en": spec.name["en"]},
            {
                **tr("name", spec.name),
                "kind": spec.kind,
                "room": rooms.get(spec.room) if spec.room else None,
                "entry_once": spec.entry_once,
                "exit_scanning": spec.exit_scanning,
                "open_days": days,
                "position": position,
            },
        )
        if spec.categories:
            wanted = {categories[code].pk for code in spec.categories if code in categories}
        else:
            wanted = {category.pk for code, category in categories.items() if code not in spec.excluded}
        if set(zone.categories.values_list("pk", flat=True)) != wanted:
            zone.categories.set(wanted)
            report.updated["zone categories"] += 1
        loaded.zones[spec.key] = zone
        for gate_name in spec.gates:
            loaded.gates[(spec.key, gate_name["en"])] = upsert(
                report, Gate, {"zone": zone, "name_en": gate_name["en"]}, tr("name", gate_name)
            )
    return loaded


# --- the Tashkent conference's scan log -----------------------------------------------------------

# Who is scanned: the e-mail addresses of the approved in-person applications of the accreditation demo.
PEOPLE = {
    "head-kz": "demo.kz.head@example.org",  # minister
    "delegate-kz": "demo.kz.delegate1@example.org",  # delegate
    "participant": "participant@example.org",  # expert
    "journalist": "journalist@example.org",  # media
    "li": "demo.expert.li@example.org",  # expert
    "karimbekova": "demo.cso.karimova@example.org",  # civil society
    "staff": "demo.staff.tursunov@example.org",  # organiser staff
    "interpreter": "demo.interpreter.nazarova@example.org",  # interpreter
}
# Codes that are no badge of the event: their refusal comes from the code itself.
FORGED = "forged"  # a printed copy with an altered badge number: the signature does not match
NOT_A_BADGE = "not-a-badge"  # a boarding pass held under the scanner
CODE_REFUSALS = {FORGED: Refusal.FORGED.value, NOT_A_BADGE: Refusal.MALFORMED.value}

MAIN, NORTH = "Main entrance", "North gate"
IN, OUT = Direction.ENTRY, Direction.EXIT


@dataclass(frozen=True)
class LoggedScan:
    day: int
    at: str  # HH:MM local time
    who: str  # a key of PEOPLE, or of CODE_REFUSALS
    zone: str
    gate: str  # English name of a gate of the zone
    direction: str = Direction.ENTRY
    officer: str = "gate"  # username of the officer at the gate


def _arrivals(day: int, times: dict[str, tuple[str, str]]) -> list[LoggedScan]:
    return [LoggedScan(day, at, who, "perimeter", gate) for who, (at, gate) in times.items()]


def _moves(day: int, at: str, people: list[str], zone: str, gate: str, direction: str = IN) -> list[LoggedScan]:
    """One person a minute from ``at`` on, as people file through a door."""
    hour, minute = (int(part) for part in at.split(":"))
    start = hour * 60 + minute
    return [
        LoggedScan(day, f"{(start + n) // 60:02d}:{(start + n) % 60:02d}", who, zone, gate, direction)
        for n, who in enumerate(people)
    ]


PLENARY_DOOR = "Plenary door"
DELEGATION = ["head-kz", "delegate-kz"]
EVERYONE = ["head-kz", "delegate-kz", "participant", "journalist", "li", "karimbekova", "staff", "interpreter"]

TASHKENT_LOG: list[LoggedScan] = [
    # 3 March 2022: arrivals, a forged copy and a boarding pass at the gates, the opening (the media
    # are sent to the press centre), the breakout panels, the press conference (for the media only),
    # the bilateral rooms still closed, the official reception (one entry per badge).
    *_arrivals(
        0,
        {
            "staff": ("07:48", MAIN),
            "interpreter": ("07:56", NORTH),
            "head-kz": ("08:04", MAIN),
            "delegate-kz": ("08:05", MAIN),
            "li": ("08:12", NORTH),
            "participant": ("08:16", MAIN),
            "journalist": ("08:22", MAIN),
        },
    ),
    LoggedScan(0, "08:23", FORGED, "perimeter", NORTH, officer="security"),
    LoggedScan(0, "08:31", "karimbekova", "perimeter", MAIN),
    LoggedScan(0, "08:40", NOT_A_BADGE, "perimeter", MAIN),
    *_moves(
        0,
        "09:08",
        ["head-kz", "delegate-kz", "participant", "li", "karimbekova", "interpreter"],
        "plenary",
        PLENARY_DOOR,
    ),
    LoggedScan(0, "09:16", "journalist", "plenary", PLENARY_DOOR),
    LoggedScan(0, "09:24", "staff", "plenary", PLENARY_DOOR),
    *_moves(0, "11:31", ["head-kz", "delegate-kz", "participant", "li", "karimbekova"], "plenary", PLENARY_DOOR, OUT),
    LoggedScan(0, "11:40", "head-kz", "bilateral", "Bilateral wing"),
    *_moves(0, "11:52", ["li", "participant", "karimbekova"], "breakout-1", "Breakout room 1 door"),
    *_moves(0, "14:22", ["head-kz", "delegate-kz", "participant", "li", "karimbekova"], "plenary", PLENARY_DOOR),
    *_moves(0, "15:47", ["head-kz", "delegate-kz", "participant", "li", "karimbekova"], "plenary", PLENARY_DOOR, OUT),
    LoggedScan(0, "15:52", "journalist", "press", "Press centre door"),
    LoggedScan(0, "16:05", "staff", "press", "Press centre door"),
    LoggedScan(0, "16:12", "participant", "press", "Press centre door"),
    *_moves(
        0,
        "18:30",
        ["head-kz", "delegate-kz", "li", "karimbekova", "participant", "staff"],
        "reception",
        "Reception hall door",
    ),
    LoggedScan(0, "19:06", "delegate-kz", "reception", "Reception hall door"),
    *_moves(0, "20:15", EVERYONE, "perimeter", MAIN, OUT),
    # 4 March 2022: arrivals, the bilateral rooms open (for the delegations only), the side events
    # and the closing session, departures.
    *_arrivals(
        1,
        {
            "staff": ("07:51", MAIN),
            "interpreter": ("07:59", MAIN),
            "head-kz": ("08:09", MAIN),
            "delegate-kz": ("08:10", MAIN),
            "participant": ("08:21", NORTH),
            "li": ("08:26", NORTH),
            "journalist": ("08:38", MAIN),
            "karimbekova": ("08:47", MAIN),
        },
    ),
    LoggedScan(1, "09:02", "li", "bilateral", "Bilateral wing"),
    *_moves(1, "09:05", DELEGATION, "bilateral", "Bilateral wing"),
    *_moves(
        1,
        "13:55",
        ["head-kz", "delegate-kz", "participant", "li", "karimbekova", "interpreter", "staff"],
        "plenary",
        PLENARY_DOOR,
    ),
    *_moves(
        1,
        "15:33",
        ["head-kz", "delegate-kz", "participant", "li", "karimbekova", "interpreter", "staff"],
        "plenary",
        PLENARY_DOOR,
        OUT,
    ),
    *_moves(1, "15:58", EVERYONE, "perimeter", MAIN, OUT),
]


def _nonce(event: Event, index: int) -> str:
    return f"demo-{event.slug}-{index:04d}"


def _badges(event: Event) -> dict[str, Badge]:
    """The issued badge of each person of the log (a person without one is left out of the log)."""
    found = {}
    for key, email in PEOPLE.items():
        badge = (
            Badge.objects.filter(event=event, status=Badge.Status.ISSUED, application__email__iexact=email)
            .select_related("event", "category", "application")
            .first()
        )
        if badge is not None:
            found[key] = badge
    return found


def load_scan_log(report: Report, event: Event, loaded: Loaded, log: list[LoggedScan]) -> None:
    """Write the scans of ``log`` that are missing, and where every badge ended up (``Presence``)."""
    badges = _badges(event)
    prefetch_related_objects(list(loaded.zones.values()), "categories")
    officers = {user.username: user for user in get_user_model().objects.filter(username__in={"gate", "security"})}
    existing = set(
        Scan.objects.filter(event=event, nonce__startswith=f"demo-{event.slug}-").values_list("nonce", flat=True)
    )
    presences: dict[tuple[int, int], Presence] = {}  # replayed from the start every run: (badge, zone) → state
    for index, item in enumerate(log, start=1):
        zone = loaded.zones[item.zone]
        at = datetime.combine(event.start_date + timedelta(days=item.day), time.fromisoformat(item.at), tzinfo=event.tz)
        badge = badges.get(item.who)
        if item.who in CODE_REFUSALS:
            reason, presence = CODE_REFUSALS[item.who], None
        elif badge is None:
            continue  # that person has no badge in this database (an edited accreditation): no scan
        else:
            presence = presences.setdefault((badge.pk, zone.pk), Presence(badge=badge, zone=zone))
            reason = zone_refusal(zone, badge, item.direction, at, presence)
        if not reason and presence is not None:
            if item.direction == Direction.ENTRY:
                presence.entries += 1
                presence.inside = True
                presence.first_entry_at = presence.first_entry_at or at
            else:
                presence.inside = False
            presence.last_movement_at = at
        nonce = _nonce(event, index)
        if nonce in existing:
            continue
        scan = Scan.objects.create(
            event=event,
            zone=zone,
            gate=loaded.gates[(item.zone, item.gate)],
            badge=badge,
            direction=item.direction,
            result=Scan.Result.REFUSED if reason else Scan.Result.ACCEPTED,
            reason=reason,
            nonce=nonce,
            officer=officers.get(item.officer),
            scanned_at=at,
        )
        # Recorded as it happened, two seconds after the scan (``recorded_at`` is set on creation).
        Scan.objects.filter(pk=scan.pk).update(recorded_at=at + timedelta(seconds=2))
        report.created[str(Scan._meta.verbose_name_plural)] += 1
    for presence in presences.values():
        upsert(
            report,
            Presence,
            {"badge": presence.badge, "zone": presence.zone},
            {
                "inside": presence.inside,
                "entries": presence.entries,
                "first_entry_at": presence.first_entry_at,
                "last_movement_at": presence.last_movement_at,
            },
        )


def _say(stdout: SupportsWrite[str] | None, event: Event, report: Report, what: str) -> None:
    if stdout is None:
        return
    if report.changed:
        counts = ", ".join(f"{count} {label}" for label, count in sorted((report.created + report.updated).items()))
        stdout.write(f"Venue access of {event.slug} ({what}): {counts} written.\n")
    else:
        stdout.write(f"Venue access of {event.slug} is already up to date: nothing changed.\n")


def load_demo_gates(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Zones, gates and the two days' scan log of the demo conference (Tashkent 2022, past)."""
    report = Report()
    with translation.override("en"), transaction.atomic():
        loaded = load_zones(report, event)
        load_scan_log(report, event, loaded, TASHKENT_LOG)
    _say(stdout, event, report, "zones, gates, scan log")
    return report.changed


# --- the practice conference's gate device ------------------------------------------------------

DEVICE_TOKEN_NAME = "Practice gate device — main entrance"
DEVICE_SCOPES = ["gates.scan"]
DEVICE_ZONE = "perimeter"
DEVICE_GATE = "Main entrance"
TOKEN_ACTOR = "organiser"  # the demo organiser creates (and, when it is replaced, revokes) the token


def device_token_file() -> Path:
    """Where the demo keeps the practice gate device's secret: this machine's ``var/`` only."""
    return Path(settings.VAR_DIR) / "demo" / "practice-gate-device-token"


def _read_secret() -> str:
    try:
        return device_token_file().read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _write_secret(secret: str) -> None:
    path = device_token_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    os.replace(temporary, path)


def stored_device_token(event: Event) -> tuple[EventApiToken | None, str]:
    """The practice gate device's token and its secret, if the stored secret is still an active token."""
    secret = _read_secret()
    if not secret:
        return None, ""
    token = EventApiToken.objects.filter(event=event, secret_hash=hash_secret(secret)).first()
    if token is None or not token.is_active or token.scopes != DEVICE_SCOPES:
        return None, ""
    zone = Zone.objects.filter(event=event, name_en=_zone_spec(DEVICE_ZONE).name["en"]).first()
    if zone is None or token.zone != str(zone.pk):
        return None, ""
    return token, secret


def _zone_spec(key: str) -> ZoneSpec:
    return next(spec for spec in ZONES if spec.key == key)


def ensure_device_token(report: Report, event: Event, zone: Zone) -> None:
    """Keep the stored device token, or replace it (revoking the demo's earlier ones) by a new one."""
    token, _secret = stored_device_token(event)
    if token is not None:
        return
    actor = get_user_model().objects.filter(username=TOKEN_ACTOR).first()
    if actor is None:
        return
    for old in EventApiToken.objects.filter(event=event, name=DEVICE_TOKEN_NAME, revoked_at__isnull=True):
        services_tokens.revoke_token(old, actor=actor)
        report.updated[str(EventApiToken._meta.verbose_name_plural)] += 1
    issued = services_tokens.create_token(
        event, actor=actor, name=DEVICE_TOKEN_NAME, scopes=DEVICE_SCOPES, zone=str(zone.pk)
    )
    # Written at once (a run inside an outer transaction, as in the tests, may never commit). Should this
    # run roll back, the stored secret matches no token and the next run simply makes a new one.
    _write_secret(issued.secret)
    report.created[str(EventApiToken._meta.verbose_name_plural)] += 1


def load_practice_gates(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Zones and gates of the practice conference, and its gate device token."""
    report = Report()
    refused = ""
    with translation.override("en"), transaction.atomic():
        loaded = load_zones(report, event)
        try:
            ensure_device_token(report, event, loaded.zones[DEVICE_ZONE])
        except PermissionDenied:
            # With MAJLIS_REQUIRE_STAFF_2FA the demo organiser acts only after a second factor.
            refused = "the demo organiser may not create API tokens here (second factor required)"
    _say(stdout, event, report, "zones, gates, gate device token")
    if refused and stdout is not None:
        stdout.write(f"No gate device token for {event.slug}: {refused}.\n")
    return report.changed


def _sample_badge(event: Event) -> Badge | None:
    """A badge to try the API with: the first issued one of the practice conference."""
    return (
        Badge.objects.filter(event=event, status=Badge.Status.ISSUED)
        .select_related("application", "key")
        .order_by("serial")
        .first()
    )


def print_device_token(*, stdout: SupportsWrite[str], base_url: str, **_kwargs: Any) -> None:
    """After the logins: the gate device token of the practice conference and how to try it."""
    from majlis.events.demo.practice import PRACTICE_SLUG

    event = Event.objects.filter(slug=PRACTICE_SLUG).first()
    if event is None:
        return
    token, secret = stored_device_token(event)
    write = stdout.write
    write("\n")
    tokens_page = f"{base_url}/en/{PRACTICE_SLUG}/manage/api-tokens/"
    if token is None:
        write(f"No gate device token for {PRACTICE_SLUG}: create one at {tokens_page}\n")
        return
    zone = Zone.objects.get(pk=int(token.zone))
    gate = Gate.objects.filter(zone=zone, name_en=DEVICE_GATE).first()
    write(
        f"Gate device of the practice conference (API token “{token.name}”, scope gates.scan, "
        f"zone “{zone.name_en}” #{zone.pk}):\n"  # type: ignore[attr-defined]
    )
    write(f"  {secret}\n")
    write(f"  (kept in {device_token_file()} on this machine only; revoke it at {tokens_page})\n")
    badge = _sample_badge(event)
    if badge is not None:
        body = {
            "zone": zone.pk,
            "gate": gate.pk if gate else None,
            "code": token_for(badge),
            "nonce": "try-1",
            "direction": "entry",
        }
        payload = json.dumps(body, separators=(", ", ": "))
        write(f"Check in badge {badge.number} ({badge.application.full_name}) at the {DEVICE_GATE.lower()}:\n")
        write(
            f"  curl -s -H {shlex.quote('Authorization: Bearer ' + secret)} -H 'Content-Type: application/json' "
            f"-d {shlex.quote(payload)} {base_url}/api/v1/events/{PRACTICE_SLUG}/gates/scans\n"
        )
    write(f"Gate page (log in as gate): {base_url}/en/{PRACTICE_SLUG}/gates/scan/\n")
