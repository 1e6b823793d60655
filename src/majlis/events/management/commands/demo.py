"""``majlis demo``: load the demo conference (Tashkent, 3–4 March 2022), the practice conference and
the demo accounts.

The Tashkent conference is kept as it happened; the practice conference (``events.demo.practice``)
is always about to begin. Idempotent: running it again changes nothing unless the demo content
itself changed or the practice conference's dates had to move forward. Refuses to run
with MAJLIS_ENV=production unless ``--force`` is given, because it creates accounts with published
passwords.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from majlis.events import extensions
from majlis.events.demo import content, loader, practice
from majlis.events.models import Event


class Command(BaseCommand):
    help = (
        "Create or refresh the demo conference (Tashkent 2022) with documents, news and demo accounts, and the "
        "practice conference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The address the server will answer on, for the examples printed at the end.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with MAJLIS_ENV=production (creates accounts with well-known passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "MAJLIS_ENV", "") == "production" and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with MAJLIS_ENV=production: it creates accounts with published "
                "passwords. Use --force if you really mean it."
            )
        report = loader.load()
        event = Event.objects.get(slug=content.EVENT_SLUG)
        for load_app_demo in extensions.demo_loaders():  # the programme, accreditation, badges, gates
            load_app_demo(event, stdout=self.stdout)
        practice_event = Event.objects.get(slug=practice.PRACTICE_SLUG)
        for load_practice in extensions.practice_loaders():
            load_practice(practice_event, stdout=self.stdout)
        out = self.stdout
        if report.changed:
            created = sum(report.created.values())
            updated = sum(report.updated.values())
            out.write(
                self.style.SUCCESS(
                    f"Demo conference “{content.EVENT['short_title']['en']}” ({content.EVENT_SLUG}) loaded: "
                    f"{created} rows created, {updated} updated, {report.files_written} files written, "
                    f"{report.passwords_set} passwords set."
                )
            )
            for label, count in sorted(report.created.items()):
                out.write(f"  created {count:3d} {label}")
            for label, count in sorted(report.updated.items()):
                out.write(f"  updated {count:3d} {label}")
        else:
            out.write(f"Demo conference ({content.EVENT_SLUG}) is already up to date: nothing changed.")
        out.write("")
        out.write("Demo logins (demo only, never use these on a real server):")
        width = max(len(user["role"]) for user in loader.DEMO_USERS)
        uwidth = max(len(user["username"]) for user in loader.DEMO_USERS)
        for user in loader.DEMO_USERS:
            out.write(f"  {user['role']:<{width}}  {user['username']:<{uwidth}}  {user['password']}")
        out.write("")
        out.write(
            f"Practice conference ({practice.PRACTICE_SLUG}), {practice_event.start_date:%Y-%m-%d} to "
            f"{practice_event.end_date:%Y-%m-%d}: registration is open; the organiser, co-organiser, accreditation, "
            "security and gate accounts hold the same roles there."
        )
        base_url = str(options["base_url"]).rstrip("/")
        for note in extensions.demo_notes():
            note(stdout=out, base_url=base_url)
