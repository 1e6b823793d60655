"""``majlis scheduler --once``: run the periodic jobs and deadlines that are due, then exit (for cron).

Without ``--once`` it keeps checking every ``--tick`` seconds (a scheduler process on its own, for
deployments whose workers run with ``--no-scheduler``). ``--list`` shows each job's state. Safe to run
beside workers and on several hosts: every run is claimed in the database first.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from majlis.core import scheduler
from majlis.core.models import Deadline, ScheduledJob

from .worker import DEFAULT_TICK, _tick


class Command(BaseCommand):
    help = "Run the periodic jobs and deadlines that are due: --once for one pass (cron), else every --tick seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due once, then exit.")
        parser.add_argument("--list", action="store_true", help="Show the jobs and pending deadlines, run nothing.")
        parser.add_argument("--tick", type=_tick, default=DEFAULT_TICK, help="Seconds between two checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if options["once"]:
            report = scheduler.run_due()
            for name in report.succeeded:
                self.stdout.write(f"Ran {name}: {report.results[name] or 'done'}")
            for name in report.failed:
                self.stderr.write(f"Failed {name}: {report.results[name]}")
            if not report.succeeded and not report.failed:
                self.stdout.write("Nothing was due.")
            if report.failed:
                raise CommandError(f"{len(report.failed)} job(s) failed; they are tried again at their next run.")
            return
        stopped = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda signum, frame: stopped.set())
        worker_id = scheduler.new_worker_id()
        self.stdout.write(f"Scheduler {worker_id} checking every {options['tick']:.0f} s (Ctrl+C stops it).")
        while not stopped.is_set():
            close_old_connections()
            try:
                scheduler.run_due(worker_id=worker_id)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the scheduler
                scheduler.logger.exception("The scheduler could not check its jobs; trying again later")
            stopped.wait(options["tick"])

    def _list(self) -> None:
        scheduler.ensure_rows()
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        for job in scheduler.registered_jobs():
            row = rows[job.name]
            when = f"every {job.every}" if job.every else f"daily at {job.daily_at:%H:%M}"
            last = f"{row.last_status} at {row.last_run_at:%Y-%m-%d %H:%M}" if row.last_run_at else "never run"
            self.stdout.write(f"{job.name}: {when}; next {timezone.localtime(row.next_run_at):%Y-%m-%d %H:%M}; {last}")
        for deadline in Deadline.objects.filter(status=Deadline.Status.PENDING):
            self.stdout.write(f"deadline {deadline.key}: {deadline.callable_path} at {deadline.run_at:%Y-%m-%d %H:%M}")
