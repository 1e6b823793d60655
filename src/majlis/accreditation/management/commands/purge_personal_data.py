"""``majlis purge-personal-data --event tashkent-2022 [--dry-run] [--now 2026-01-01]``

Removes the personal data of an event's applications once its retention period is over (and of those
whose owners asked for deletion), keeping what anonymous statistics need. Prints what it did.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from majlis.accreditation.personal_data import purge_event
from majlis.events.models import Event


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--now takes a date or a date and time like 2026-01-01 or 2026-01-01T12:00, not {value!r}."
        ) from error
    if parsed.tzinfo is None:
        if len(value) <= 10:
            parsed = datetime.combine(parsed.date(), time(12))
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "Remove personal data of an event's applications after the retention period (keeps anonymous statistics)."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--event", action="append", metavar="SLUG", help="the event (repeat for several)")
        target.add_argument("--all", action="store_true", help="every event")
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, change nothing")
        parser.add_argument("--now", help="pretend today is this date (YYYY-MM-DD), to check a future purge")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"]) if options["now"] else timezone.now()
        if options["all"]:
            events = list(Event.objects.order_by("start_date", "slug"))
        else:
            events = []
            for slug in options["event"]:
                event = Event.objects.filter(slug=slug).first()
                if event is None:
                    raise CommandError(f"No event with the slug {slug!r}.")
                events.append(event)
        for event in events:
            result = purge_event(event, now=now, dry_run=options["dry_run"])
            verb = "would remove" if result.dry_run else "removed"
            if result.retention_passed:
                period = f"retention period ended on {result.retention_ends.isoformat()}"
            else:
                period = f"retention period runs until {result.retention_ends.isoformat()}"
            self.stdout.write(
                f"{event.slug}: {period}; {verb} personal data of {result.applications} application(s) "
                f"({result.deletion_requests} on request), {result.files} file(s), "
                f"{result.delegation_documents} delegation document(s), "
                f"focal point details of {result.delegations} delegation(s)."
            )
