"""``majlis worker``: run the background task worker (django-tasks-db's ``db_worker``) and the scheduler.

Production runs it as its own service beside the web server; ``majlis serve`` starts one itself
when ``MAJLIS_INLINE_WORKER`` is on. ``majlis worker --batch`` runs the periodic jobs that are due
and what is queued, then exits. The scheduler (``majlis.core.scheduler``) runs in a thread beside
the task loop, checking every ``--scheduler-tick`` seconds; ``--no-scheduler`` leaves it out.
"""

from __future__ import annotations

import os
from argparse import ArgumentTypeError
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

DEFAULT_TICK = 30.0


def _tick(value: str) -> float:
    try:
        number = float(value)
    except ValueError as error:
        raise ArgumentTypeError(f"a number of seconds, not {value!r}") from error
    if not 1 <= number <= 3600:
        raise ArgumentTypeError("between 1 and 3600 seconds")
    return number


class Command(DBWorkerCommand):
    help = (
        "Run the background task worker (e-mail and other queued work) and the scheduler of periodic jobs. "
        "--batch: run the due jobs and what is queued, then exit."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run periodic jobs in this worker.")
        parser.add_argument(
            "--scheduler-tick",
            type=_tick,
            default=DEFAULT_TICK,
            help=f"Seconds between two checks for due periodic jobs (default {DEFAULT_TICK:.0f}).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from majlis.core import scheduler

        with_scheduler = not options.pop("no_scheduler")
        tick = options.pop("scheduler_tick")
        if with_scheduler and options.get("batch"):
            # One pass, before the queued tasks: what it enqueues (e-mails queued again) is sent too.
            report = scheduler.run_due()
            for name in report.succeeded:
                self.stdout.write(f"Ran {name}: {report.results[name] or 'done'}")
            for name in report.failed:
                self.stderr.write(f"Failed {name}: {report.results[name]}")
            return super().handle(*args, **options)
        # With --reload the first process only watches files and restarts the second, which does the work.
        watcher_only = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        thread = scheduler.SchedulerThread(tick) if with_scheduler and not watcher_only else None
        if thread is not None:
            thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            if thread is not None:
                thread.stop()
