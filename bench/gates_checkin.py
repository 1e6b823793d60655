#!/usr/bin/env python3
"""Gate check-in on PostgreSQL: verify + record at 50 scans per second, and as fast as it goes.

Issue 9's target: server-side check-in (signature check, the zone's rules, the scan and the presence
written) at 50 scans per second on PostgreSQL with a p99 under 20 ms.

The script creates a throwaway database on the PostgreSQL server of ``--database-url`` (default:
``$DATABASE_URL``), migrates it, and sets up a conference opening tomorrow with ``--badges``
approved participants (each with a photo) and their badges, two zones (a perimeter that scans exits,
a one-entry plenary hall) with two gates each, and a gate device token bound to the perimeter. It
warms the photo cache by downloading the perimeter's offline package (as a device does before the
doors open) and then measures, each for ``--seconds``:

1. ``record_scan`` called directly, paced at ``--rate`` scans per second;
2. the HTTP API (``POST /api/v1/events/…/gates/scans`` with the device's token, through Django's
   test client: URL routing, middleware, token check, JSON in and out), paced at ``--rate``;
3. the HTTP API as fast as one client can go (throughput of one gate device at full speed).

The scans mix real traffic: most are entries of valid badges (some entering again), some exits,
revoked badges, garbage and forged codes, a few repeated nonces. Latency is the time of each call;
pacing sleeps between calls are not counted. The database is dropped at the end (``--keep`` keeps it).

Run from the repository root:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/gates_checkin.py``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="a postgres:// URL")
    parser.add_argument("--badges", type=int, default=600)
    parser.add_argument("--rate", type=float, default=50.0, help="scans per second in the paced phases")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database (prints its name)")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give a PostgreSQL server: --database-url postgres://… or DATABASE_URL")
    if args.badges < 10 or args.rate <= 0 or args.seconds <= 0:
        parser.error("--badges must be at least 10, --rate and --seconds positive")
    return args


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connection(url: str) -> Any:
    import psycopg

    return psycopg.connect(with_database(url, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True)


def photo(seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (350, 450), (90 + seed % 120, 70, 60))
    for x in range(0, 350, 6):
        for y in range(0, 450, 8):
            image.putpixel((x, y), ((x * seed) % 256, (y * 7) % 256, (x + y + seed) % 256))
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def set_up(badge_count: int) -> dict[str, Any]:
    """A conference opening tomorrow, its zones and gates, ``badge_count`` badges, a device token."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from majlis.accreditation.models import Application, Category
    from majlis.accreditation.services import ensure_event_setup
    from majlis.badges import services as badge_services
    from majlis.events import services_tokens
    from majlis.events.models import Event, EventRole
    from majlis.gates.models import Gate, Zone

    today = timezone.localdate()
    event = Event.objects.create(
        slug="bench-gates",
        title_en="Bench conference",
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=2),
        time_zone="Asia/Tashkent",
        city_en="Tashkent",
        country="UZ",
        status=Event.Status.PUBLISHED,
    )
    ensure_event_setup(event)
    organiser = get_user_model().objects.create_user(username="bench-organiser", email="o@example.org")
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER_ADMIN)
    categories = list(Category.objects.filter(event=event))
    perimeter = Zone.objects.create(event=event, name_en="Perimeter", kind=Zone.Kind.PERIMETER, exit_scanning=True)
    perimeter.categories.set(categories)
    plenary = Zone.objects.create(event=event, name_en="Plenary hall", kind=Zone.Kind.PLENARY, entry_once=True)
    plenary.categories.set([c for c in categories if c.code != "media"])
    for zone in (perimeter, plenary):
        for name in ("North", "South"):
            Gate.objects.create(zone=zone, name_en=f"{zone.name_en} {name}")
    started = time.perf_counter()
    badges = []
    for n in range(badge_count):
        application = Application(
            event=event,
            category=categories[n % len(categories)],
            status=Application.Status.APPROVED,
            given_names=f"Given{n}",
            family_name=f"Family{n}",
            nationality="UZ",
            organisation_name="Institute of Strategic Studies",
            position="Researcher",
            email=f"participant{n}@example.org",
        )
        application.photo.save(f"p{n}.jpg", ContentFile(photo(n)), save=False)
        application.save()
        badge = badge_services.sync_badge(application, actor=organiser)
        if badge is None:
            raise SystemExit(f"no badge was issued to participant {n}: check the categories' modes")
        badges.append(badge)
    issued_in = time.perf_counter() - started
    revoked = badges[-badge_count // 20 :]  # 5 % withdrawn after printing
    codes = {badge.pk: badge_services.token_for(badge) for badge in badges}
    for badge in revoked:
        badge_services.revoke_badge(badge, actor=organiser, note="Bench: withdrawn")
    token = services_tokens.create_token(
        event, actor=organiser, name="Perimeter North device", scopes=["gates.scan"], zone=str(perimeter.pk)
    )
    return {
        "event": event,
        "zones": (perimeter, plenary),
        "badges": badges[: -len(revoked)],
        "revoked": revoked,
        "codes": codes,
        "secret": token.secret,
        "issued_in": issued_in,
    }


def scan_plan(world: dict[str, Any], seed: int) -> Callable[[], dict[str, Any]]:
    """Random scans shaped like a morning at the gates."""
    rng = random.Random(seed)
    perimeter, plenary = world["zones"]
    valid = world["badges"]
    recent_nonces: list[str] = []

    def forged(code: str) -> str:
        position = rng.randrange(40, 110)
        swapped = "A" if code[position] != "A" else "B"
        return code[:position] + swapped + code[position + 1 :]

    def next_scan() -> dict[str, Any]:
        roll = rng.random()
        zone = perimeter if rng.random() < 0.7 else plenary
        gates = list(zone.gates.all())
        scan: dict[str, Any] = {
            "zone": zone,
            "gate": rng.choice(gates),
            "nonce": uuid.uuid4().hex,
            "direction": "entry",
        }
        badge = rng.choice(valid)
        scan["text"] = world["codes"][badge.pk]
        if roll < 0.03 and recent_nonces:
            scan["nonce"] = rng.choice(recent_nonces)  # a device retrying after a timeout
        elif roll < 0.06:
            scan["text"] = world["codes"][rng.choice(world["revoked"]).pk]
        elif roll < 0.08:
            scan["text"] = "https://example.org/not-a-badge"
        elif roll < 0.10:
            scan["text"] = forged(scan["text"])
        elif roll < 0.20 and zone.exit_scanning:
            scan["direction"] = "exit"
        recent_nonces.append(scan["nonce"])
        del recent_nonces[:-50]
        return scan

    return next_scan


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run_phase(
    label: str,
    call: Callable[[dict[str, Any]], str],
    next_scan: Callable[[], dict[str, Any]],
    rate: float | None,
    seconds: float,
) -> dict[str, Any]:
    latencies: list[float] = []
    cpu: list[float] = []
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    deadline = started + seconds
    interval = 1.0 / rate if rate else 0.0
    next_at = started
    while True:
        now = time.perf_counter()
        if now >= deadline:
            break
        if rate and now < next_at:
            time.sleep(next_at - now)
        scan = next_scan()
        begun, begun_cpu = time.perf_counter(), time.process_time()
        outcomes[call(scan)] += 1
        latencies.append((time.perf_counter() - begun) * 1000)
        cpu.append((time.process_time() - begun_cpu) * 1000)
        next_at += interval
        if rate and next_at < time.perf_counter() - 1.0:
            next_at = time.perf_counter()  # fell behind by a second: do not burst to catch up
    elapsed = time.perf_counter() - started
    return {
        "label": label,
        "scans": len(latencies),
        "throughput": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "cpu_p50": statistics.median(cpu),
        "cpu_p99": percentile(cpu, 0.99),
        "outcomes": outcomes,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    name = f"majlis_bench_gates_{os.getpid()}"
    var_dir = Path(tempfile.mkdtemp(prefix="majlis-bench-gates-"))
    with admin_connection(args.database_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "majlis.settings",
                "MAJLIS_VAR_DIR": str(var_dir),
                "MAJLIS_ENV": "development",
                "MAJLIS_DEBUG": "0",
                "MAJLIS_INLINE_WORKER": "0",
                "MAJLIS_LOG_LEVEL": "ERROR",
                "MAJLIS_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "DATABASE_URL": with_database(args.database_url, name),
            }
        )
        os.environ.pop("MAJLIS_REDIS_URL", None)
        (var_dir / "static").mkdir(exist_ok=True)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from majlis.gates.services import record_scan

        call_command("migrate", interactive=False, verbosity=0)
        print(f"PostgreSQL {connection.cursor().connection.info.server_version}, database {name}")
        world = set_up(args.badges)
        event = world["event"]
        perimeter, plenary = world["zones"]
        print(
            f"{len(world['badges']) + len(world['revoked'])} badges issued in {world['issued_in']:.1f} s "
            f"({len(world['revoked'])} then revoked); zones: {perimeter.name_en}, {plenary.name_en}"
        )
        device = Client(HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
        base = f"/api/v1/events/{event.slug}/gates"
        begun = time.perf_counter()
        package = device.get(f"{base}/zones/{perimeter.pk}/offline-package")
        package_ms = (time.perf_counter() - begun) * 1000
        assert package.status_code == 200, package.content[:300]
        body = package.json()
        begun = time.perf_counter()
        device.get(f"{base}/zones/{perimeter.pk}/offline-package")
        warm_ms = (time.perf_counter() - begun) * 1000
        print(
            f"offline package of the perimeter: {len(body['badges'])} badges, {len(body['revoked'])} revoked, "
            f"{len(package.content) / 1024:.0f} KiB; {package_ms:.0f} ms (photos made), {warm_ms:.0f} ms (cached)"
        )

        def direct(scan: dict[str, Any]) -> str:
            outcome = record_scan(
                event,
                zone=scan["zone"],
                gate=scan["gate"],
                text=scan["text"],
                nonce=scan["nonce"],
                direction=scan["direction"],
            )
            return "repeated" if outcome.repeated else (outcome.scan.reason or outcome.scan.result)

        perimeter_device_gate = perimeter.gates.first()

        def over_http(scan: dict[str, Any]) -> str:
            # The device is bound to the perimeter: it scans there (at its own gate).
            payload = {
                "zone": perimeter.pk,
                "gate": perimeter_device_gate.pk,
                "code": scan["text"],
                "nonce": scan["nonce"],
                "direction": scan["direction"],
            }
            response = device.post(f"{base}/scans", json.dumps(payload), content_type="application/json")
            if response.status_code != 200:
                return f"HTTP {response.status_code}"
            data = response.json()
            return "repeated" if data["repeated"] else (data["reason"] or data["result"])

        for zone in (perimeter, plenary):
            list(zone.gates.all())  # the plan picks gates from these
        phases = [
            run_phase("record_scan, paced", direct, scan_plan(world, 1), args.rate, args.seconds),
            run_phase("HTTP API (device token), paced", over_http, scan_plan(world, 2), args.rate, args.seconds),
            run_phase("HTTP API, as fast as one client goes", over_http, scan_plan(world, 3), None, args.seconds),
        ]
        print()
        print(
            f"{'phase':<40} {'scans':>6} {'scans/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
            f" {'cpu p50':>8} {'cpu p99':>8}"
        )
        for phase in phases:
            print(
                f"{phase['label']:<40} {phase['scans']:>6} {phase['throughput']:>8.1f} {phase['p50']:>7.2f} "
                f"{phase['p95']:>7.2f} {phase['p99']:>7.2f} {phase['max']:>7.1f}"
                f" {phase['cpu_p50']:>8.2f} {phase['cpu_p99']:>8.2f}"
            )
        print()
        for phase in phases:
            shown = ", ".join(f"{key} {count}" for key, count in phase["outcomes"].most_common())
            print(f"{phase['label']}: {shown}")
        # The reference: what one trivial ORM query costs on this machine now (as /healthz in programme_bench).
        from majlis.events.models import Event

        reference = run_phase(
            "reference: one trivial query",
            lambda scan: "ok" if Event.objects.filter(pk=event.pk).first() else "missing",
            lambda: {},
            None,
            2.0,
        )
        print(
            f"{reference['label']:<40} {reference['scans']:>6} {reference['throughput']:>8.1f} "
            f"{reference['p50']:>7.2f} {reference['p95']:>7.2f} {reference['p99']:>7.2f} {reference['max']:>7.1f}"
            f" {reference['cpu_p50']:>8.2f} {reference['cpu_p99']:>8.2f}"
        )
        target = all(phase["p99"] < 20 for phase in phases[:2])
        print(f"\ntarget p99 < 20 ms at {args.rate:g} scans/s: {'met' if target else 'NOT met'}")
        print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())} on {os.cpu_count()} CPUs")
        print("(latency is wall time per call; cpu is this process's CPU time per call, without the database server's:")
        print(" on a busy machine, compare the cpu columns and the load average with earlier runs)")
        connection.close()
        return 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if args.keep:
            print(f"kept the database {name}")
        else:
            with admin_connection(args.database_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    raise SystemExit(main())
