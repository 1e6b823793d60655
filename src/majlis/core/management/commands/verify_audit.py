"""``majlis verify-audit``: recompute the audit log's hash chain and report whether it is intact.

Exit status 0 when every sealed entry matches its seal, 1 (with the first problems listed) when an
entry was changed, removed or reordered. Entries not sealed yet are counted; if some have waited
longer than a few minutes the sealing job is not running (``majlis worker``), which is reported too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from majlis.core import audit


class Command(BaseCommand):
    help = "Check that the audit log is intact (its hash chain), and report entries not sealed yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true", help="Seal pending entries first (as the worker does).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal"]:
            self.stdout.write(f"{audit.seal()} entr(y/ies) sealed.")
        report = audit.verify()
        if report.unsealed:
            waiting = (
                report.oldest_unsealed is not None and timezone.now() - report.oldest_unsealed > audit.UNSEALED_GRACE
            )
            message = f"{report.unsealed} entr(y/ies) not sealed yet"
            if waiting:
                message += " (some for more than 5 minutes: is `majlis worker` running?)"
            self.stderr.write(message + ".")
        if not report.intact:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The audit log is NOT intact: {len(report.problems)} problem(s) found among "
                f"{report.sealed} sealed entr(y/ies)."
            )
        self.stdout.write(
            f"The audit log is intact: {report.sealed} sealed entr(y/ies), head {report.head_position} "
            f"{report.head_hash[:16] or '-'}."
        )
