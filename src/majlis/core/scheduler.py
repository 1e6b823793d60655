"""Periodic jobs and one-off deadlines, run by the task worker; safe with several workers.

Apps register their periodic jobs in ``AppConfig.ready``::

    scheduler.register("core.requeue_stuck_emails", "majlis.core.outbox.requeue_stuck_emails",
                       every=timedelta(minutes=10))
    scheduler.register("accreditation.purge_personal_data", "...", daily_at=time(3, 0))

and schedule one-off work with ``schedule_at(when, "dotted.path", key="outcome-12-silence")``.
A job's callable is called with ``now=`` (the moment the run is for) and returns something
printable; a deadline's callable gets ``now=`` and the keyword arguments given to ``schedule_at``.

``majlis worker`` runs ``run_due`` every ``--scheduler-tick`` seconds (30) in a thread beside the
task loop; ``majlis scheduler --once`` runs it once (for cron). Every run is claimed first with one
conditional UPDATE on its row — due, and nobody's lease alive — so with several workers (and several
hosts on PostgreSQL) each due run happens exactly once. The claim sets a lease (``running_until``);
a worker that dies mid-run leaves the lease to expire, then another worker runs the job again. A
failure is logged, written to the row and to the audit log, and the job is tried again at its next
interval (a deadline after ``DEADLINE_RETRY_DELAY``, at most ``DEADLINE_MAX_ATTEMPTS`` times).
Times come from the workers' clocks: keep the hosts' clocks synchronised (NTP).
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
import traceback
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import audit
from .models import Deadline, ScheduledJob

logger = logging.getLogger("majlis.scheduler")

DEFAULT_LEASE = timedelta(minutes=30)
DEADLINE_LEASE = timedelta(minutes=30)
DEADLINE_RETRY_DELAY = timedelta(minutes=10)
DEADLINE_MAX_ATTEMPTS = 5
ERROR_LIMIT = 4000


@dataclass(frozen=True)
class PeriodicJob:
    """A registered job: every ``every`` or daily at ``daily_at`` (in ``settings.TIME_ZONE``)."""

    name: str
    callable_path: str
    every: timedelta | None = None
    daily_at: time | None = None
    lease: timedelta = DEFAULT_LEASE

    def next_run_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        assert self.daily_at is not None
        local = timezone.localtime(moment)
        candidate = timezone.make_aware(datetime.combine(local.date(), self.daily_at))
        if candidate <= moment:
            candidate = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), self.daily_at))
        return candidate

    def first_run(self, now: datetime) -> datetime:
        # An interval job runs at once on a new installation; a daily job waits for its time.
        return now if self.every is not None else self.next_run_after(now)


_registry: dict[str, PeriodicJob] = {}


def register(
    name: str,
    callable_path: str,
    *,
    every: timedelta | None = None,
    daily_at: time | None = None,
    lease: timedelta = DEFAULT_LEASE,
) -> PeriodicJob:
    """Register a periodic job (call from ``AppConfig.ready``; registering the same job again is harmless)."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"Job {name!r}: give either every= or daily_at=, not both or neither.")
    if every is not None and every <= timedelta(0):
        raise ValueError(f"Job {name!r}: every= must be positive.")
    if len(name) > (ScheduledJob._meta.get_field("name").max_length or 0):
        raise ValueError(f"Job name {name!r} is too long.")
    job = PeriodicJob(name=name, callable_path=callable_path, every=every, daily_at=daily_at, lease=lease)
    existing = _registry.get(name)
    if existing is not None and existing != job:
        raise ValueError(f"Job {name!r} is already registered differently.")
    _registry[name] = job
    return job


def registered_jobs() -> list[PeriodicJob]:
    return [_registry[name] for name in sorted(_registry)]


@dataclass
class RunReport:
    """What one ``run_due`` did: names of jobs and keys of deadlines, with their outcome."""

    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    results: dict[str, str] = field(default_factory=dict)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}-{secrets.token_hex(6)}"


def ensure_rows(now: datetime | None = None) -> None:
    """Create the row of every registered job that has none (concurrent workers: one row wins)."""
    now = now or timezone.now()
    known = set(ScheduledJob.objects.values_list("name", flat=True))
    missing = [
        ScheduledJob(name=job.name, next_run_at=job.first_run(now))
        for job in registered_jobs()
        if job.name not in known
    ]
    if missing:
        ScheduledJob.objects.bulk_create(missing, ignore_conflicts=True)


def claim_job(job: PeriodicJob, now: datetime, worker_id: str) -> bool:
    """Take the job's due run for ``worker_id``: one atomic conditional UPDATE, so one claimer wins."""
    claimed = (
        ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now)
        .filter(Q(running_until__isnull=True) | Q(running_until__lte=now))
        .update(running_until=now + job.lease, claimed_by=worker_id, last_started_at=now)
    )
    return claimed == 1


def _error_text(error: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text[:ERROR_LIMIT]


def run_job(job: PeriodicJob, now: datetime, worker_id: str) -> tuple[bool, str]:
    """Run a claimed job and record the outcome; the row is released and its next run set."""
    try:
        result = import_string(job.callable_path)(now=now)
    except Exception as error:  # noqa: BLE001 - every failure is recorded and retried at the next interval
        message = _error_text(error)
        logger.exception("Scheduled job %s failed", job.name)
        with transaction.atomic():
            ScheduledJob.objects.filter(name=job.name, claimed_by=worker_id).update(
                running_until=None,
                next_run_at=job.next_run_after(now),
                last_run_at=now,
                last_status="failed",
                last_error=message,
                failures=F("failures") + 1,
                runs=F("runs") + 1,
            )
            audit.record("scheduler.job_failed", reason=message, job=job.name, worker=worker_id)
        return False, message
    summary = "" if result is None else str(result)[:ERROR_LIMIT]
    ScheduledJob.objects.filter(name=job.name, claimed_by=worker_id).update(
        running_until=None,
        next_run_at=job.next_run_after(now),
        last_run_at=now,
        last_status="ok",
        last_error="",
        runs=F("runs") + 1,
    )
    logger.info("Scheduled job %s done: %s", job.name, summary or "-")
    return True, summary


def schedule_at(when: datetime, callable_path: str, key: str, **kwargs: Any) -> Deadline:
    """Run ``callable_path(now=..., **kwargs)`` once when ``when`` has come. Idempotent by ``key``:
    a deadline already scheduled under the key is returned unchanged. The kwargs must be JSON."""
    if timezone.is_naive(when):
        raise ValueError("schedule_at needs an aware datetime.")
    import_string(callable_path)  # a typo fails now, not on the day of the deadline
    existing = Deadline.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            deadline = Deadline.objects.create(key=key, callable_path=callable_path, kwargs=kwargs, run_at=when)
            audit.record("scheduler.deadline_scheduled", obj=deadline, run_at=when.isoformat(), task=callable_path)
    except IntegrityError:
        return Deadline.objects.get(key=key)
    return deadline


def cancel_deadline(key: str) -> bool:
    """Remove a deadline that has not run yet; returns whether there was one."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().filter(key=key, status=Deadline.Status.PENDING).first()
        if deadline is None:
            return False
        audit.record("scheduler.deadline_cancelled", obj=deadline)
        deadline.delete()
    return True


def claim_deadline(deadline_id: int, now: datetime, worker_id: str) -> bool:
    claimed = (
        Deadline.objects.filter(pk=deadline_id, status=Deadline.Status.PENDING, run_at__lte=now)
        .filter(Q(running_until__isnull=True) | Q(running_until__lte=now))
        .update(running_until=now + DEADLINE_LEASE, claimed_by=worker_id, attempts=F("attempts") + 1)
    )
    return claimed == 1


def run_deadline(deadline: Deadline, now: datetime, worker_id: str) -> tuple[bool, str]:
    try:
        result = import_string(deadline.callable_path)(now=now, **deadline.kwargs)
    except Exception as error:  # noqa: BLE001 - recorded, retried later, given up after DEADLINE_MAX_ATTEMPTS
        message = _error_text(error)
        logger.exception("Deadline %s failed", deadline.key)
        gave_up = deadline.attempts >= DEADLINE_MAX_ATTEMPTS
        with transaction.atomic():
            Deadline.objects.filter(pk=deadline.pk, claimed_by=worker_id).update(
                running_until=None,
                last_error=message,
                status=Deadline.Status.FAILED if gave_up else Deadline.Status.PENDING,
                run_at=deadline.run_at if gave_up else now + DEADLINE_RETRY_DELAY,
            )
            audit.record(
                "scheduler.deadline_failed", obj=deadline, reason=message, attempts=deadline.attempts, gave_up=gave_up
            )
        return False, message
    summary = "" if result is None else str(result)[:ERROR_LIMIT]
    with transaction.atomic():
        Deadline.objects.filter(pk=deadline.pk, claimed_by=worker_id).update(
            running_until=None, status=Deadline.Status.DONE, done_at=now, last_error=""
        )
        audit.record("scheduler.deadline_run", obj=deadline, result=summary, attempts=deadline.attempts)
    logger.info("Deadline %s done: %s", deadline.key, summary or "-")
    return True, summary


def run_due(now: datetime | None = None, *, worker_id: str | None = None) -> RunReport:
    """Run every periodic job and deadline due at ``now`` that this worker manages to claim."""
    now = now or timezone.now()
    worker_id = worker_id or new_worker_id()
    report = RunReport()
    ensure_rows(now)
    for job in registered_jobs():
        if not claim_job(job, now, worker_id):
            continue
        ok, summary = run_job(job, now, worker_id)
        (report.succeeded if ok else report.failed).append(job.name)
        report.results[job.name] = summary
    due = Deadline.objects.filter(status=Deadline.Status.PENDING, run_at__lte=now).order_by("run_at", "pk")
    for deadline_id in list(due.values_list("pk", flat=True)):
        if not claim_deadline(deadline_id, now, worker_id):
            continue
        deadline = Deadline.objects.get(pk=deadline_id)
        ok, summary = run_deadline(deadline, now, worker_id)
        (report.succeeded if ok else report.failed).append(deadline.key)
        report.results[deadline.key] = summary
    return report


class SchedulerThread(threading.Thread):
    """Runs ``run_due`` every ``tick`` seconds until ``stop()``; used by ``majlis worker``."""

    def __init__(self, tick: float, worker_id: str | None = None) -> None:
        super().__init__(name="majlis-scheduler", daemon=True)
        self.tick = tick
        self.worker_id = worker_id or new_worker_id()
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        try:
            while not self._stopped.is_set():
                close_old_connections()
                try:
                    run_due(worker_id=self.worker_id)
                except Exception:  # noqa: BLE001 - a database hiccup must not end the scheduler
                    logger.exception("The scheduler could not check its jobs; trying again in %s s", self.tick)
                self._stopped.wait(self.tick)
        finally:
            connection.close()
