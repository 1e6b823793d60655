"""The scheduler: periodic jobs and one-off deadlines, each due run claimed in the database and run once.

Time is injected (``run_due(now=...)``): no test waits for a clock.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from majlis.core import scheduler
from majlis.core.models import AuditEntry, Deadline, ScheduledJob

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2026, 3, 2, 1, 0))
recorded: list[tuple[str, datetime, dict]] = []
FAILING: set[str] = set()
RAN = threading.Event()


def counted_job(*, now: datetime) -> str:
    recorded.append(("counted", now, {}))
    RAN.set()
    return "counted once"


def flaky_job(*, now: datetime) -> str:
    recorded.append(("flaky", now, {}))
    if "flaky" in FAILING:
        raise RuntimeError("the SMTP relay is down")
    return "flaky ok"


def deadline_work(*, now: datetime, **kwargs) -> str:
    recorded.append(("deadline", now, kwargs))
    if "deadline" in FAILING:
        raise RuntimeError("outcome document locked")
    return f"silence ended for {kwargs.get('document')}"


COUNTED = f"{__name__}.counted_job"
FLAKY = f"{__name__}.flaky_job"
DEADLINE = f"{__name__}.deadline_work"


@pytest.fixture(autouse=True)
def only_test_jobs(monkeypatch):
    """The jobs the apps register are tested in their own folders; here only the jobs of the test run."""
    monkeypatch.setattr(scheduler, "_registry", {})
    recorded.clear()
    FAILING.clear()
    RAN.clear()
    yield
    recorded.clear()
    FAILING.clear()


def calls(kind: str) -> list[datetime]:
    return [when for name, when, _ in recorded if name == kind]


def test_interval_job_runs_at_once_then_when_due_and_not_before():
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    report = scheduler.run_due(now=T0)
    assert report.succeeded == ["test.counted"]
    assert report.results["test.counted"] == "counted once"
    assert scheduler.run_due(now=T0 + timedelta(minutes=9, seconds=59)).succeeded == []
    assert scheduler.run_due(now=T0 + timedelta(minutes=10)).succeeded == ["test.counted"]
    assert calls("counted") == [T0, T0 + timedelta(minutes=10)]
    row = ScheduledJob.objects.get(name="test.counted")
    assert row.runs == 2
    assert row.last_status == "ok"
    assert row.running_until is None
    assert row.next_run_at == T0 + timedelta(minutes=20)


def test_daily_job_waits_for_its_time_then_runs_once_a_day():
    scheduler.register("test.daily", COUNTED, daily_at=time(3, 0))
    assert scheduler.run_due(now=T0).succeeded == []  # 01:00
    three = T0.replace(hour=3)
    assert scheduler.run_due(now=three).succeeded == ["test.daily"]
    assert scheduler.run_due(now=three + timedelta(hours=20)).succeeded == []
    assert scheduler.run_due(now=three + timedelta(days=1)).succeeded == ["test.daily"]
    assert calls("counted") == [three, three + timedelta(days=1)]


def test_daily_job_is_in_the_configured_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tashkent"  # UTC+5
    job = scheduler.register("test.daily-tashkent", COUNTED, daily_at=time(3, 0))
    after = job.next_run_after(timezone.make_aware(datetime(2026, 3, 2, 12, 0), timezone.get_fixed_timezone(0)))
    assert after == timezone.make_aware(datetime(2026, 3, 2, 22, 0), timezone.get_fixed_timezone(0))


def test_failure_is_recorded_audited_and_retried_at_the_next_interval():
    scheduler.register("test.flaky", FLAKY, every=timedelta(minutes=10))
    FAILING.add("flaky")
    report = scheduler.run_due(now=T0)
    assert report.failed == ["test.flaky"]
    row = ScheduledJob.objects.get(name="test.flaky")
    assert row.last_status == "failed"
    assert "the SMTP relay is down" in row.last_error
    assert row.failures == 1
    assert row.running_until is None
    entry = AuditEntry.objects.get(action="scheduler.job_failed")
    assert entry.data["job"] == "test.flaky"
    assert "the SMTP relay is down" in entry.reason
    # Not hammered before its next interval; then tried again, and this time it works.
    assert scheduler.run_due(now=T0 + timedelta(minutes=5)).failed == []
    FAILING.clear()
    assert scheduler.run_due(now=T0 + timedelta(minutes=10)).succeeded == ["test.flaky"]
    row.refresh_from_db()
    assert (row.last_status, row.last_error, row.failures, row.runs) == ("ok", "", 1, 2)
    assert len(calls("flaky")) == 2


def test_crashed_run_keeps_others_out_until_its_lease_expires():
    job = scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10), lease=timedelta(minutes=15))
    scheduler.ensure_rows(T0)
    # A worker claims the run and dies before finishing it: nothing releases the row.
    assert scheduler.claim_job(job, T0, "worker-that-died")
    assert scheduler.run_due(now=T0 + timedelta(minutes=14), worker_id="survivor").succeeded == []
    assert calls("counted") == []
    later = T0 + timedelta(minutes=15)
    assert scheduler.run_due(now=later, worker_id="survivor").succeeded == ["test.counted"]
    row = ScheduledJob.objects.get(name="test.counted")
    assert (row.claimed_by, row.running_until, row.next_run_at) == ("survivor", None, later + timedelta(minutes=10))


def test_a_run_whose_lease_was_taken_over_does_not_overwrite_the_new_owner():
    job = scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10), lease=timedelta(minutes=5))
    scheduler.ensure_rows(T0)
    assert scheduler.claim_job(job, T0, "slow")
    assert scheduler.claim_job(job, T0 + timedelta(minutes=6), "fast")
    scheduler.run_job(job, T0 + timedelta(minutes=6), "fast")
    scheduler.run_job(job, T0, "slow")  # the slow one finishes last: its result is not recorded
    row = ScheduledJob.objects.get(name="test.counted")
    assert row.claimed_by == "fast"
    assert row.runs == 1
    assert row.next_run_at == T0 + timedelta(minutes=16)


def test_register_needs_exactly_one_kind_of_schedule():
    with pytest.raises(ValueError, match="either"):
        scheduler.register("test.none", COUNTED)
    with pytest.raises(ValueError, match="either"):
        scheduler.register("test.both", COUNTED, every=timedelta(minutes=1), daily_at=time(1, 0))
    with pytest.raises(ValueError, match="positive"):
        scheduler.register("test.zero", COUNTED, every=timedelta(0))
    scheduler.register("test.twice", COUNTED, every=timedelta(minutes=1))
    scheduler.register("test.twice", COUNTED, every=timedelta(minutes=1))  # same again: harmless
    with pytest.raises(ValueError, match="differently"):
        scheduler.register("test.twice", COUNTED, every=timedelta(minutes=2))


# --- One-off deadlines -------------------------------------------------------------------------------


def test_deadline_runs_once_when_due_with_its_arguments():
    when = T0 + timedelta(hours=48)
    deadline = scheduler.schedule_at(when, DEADLINE, "outcome-7-silence", document=7)
    assert scheduler.run_due(now=when - timedelta(seconds=1)).succeeded == []
    report = scheduler.run_due(now=when)
    assert report.succeeded == ["outcome-7-silence"]
    assert report.results["outcome-7-silence"] == "silence ended for 7"
    assert scheduler.run_due(now=when + timedelta(days=1)).succeeded == []
    assert recorded == [("deadline", when, {"document": 7})]
    deadline.refresh_from_db()
    assert (deadline.status, deadline.done_at, deadline.attempts) == (Deadline.Status.DONE, when, 1)
    actions = list(AuditEntry.objects.filter(object_id=str(deadline.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["scheduler.deadline_run", "scheduler.deadline_scheduled"]


def test_schedule_at_is_idempotent_by_key():
    first = scheduler.schedule_at(T0, DEADLINE, "outcome-7-silence", document=7)
    again = scheduler.schedule_at(T0 + timedelta(days=3), DEADLINE, "outcome-7-silence", document=8)
    assert again.pk == first.pk
    assert again.run_at == T0
    assert Deadline.objects.count() == 1
    scheduler.run_due(now=T0)
    scheduler.schedule_at(T0, DEADLINE, "outcome-7-silence", document=7)  # after it ran: not run again
    scheduler.run_due(now=T0 + timedelta(hours=1))
    assert len(calls("deadline")) == 1


def test_schedule_at_refuses_an_unknown_callable_and_a_naive_time():
    with pytest.raises(ImportError):
        scheduler.schedule_at(T0, "majlis.nowhere.silence_ends", "typo")
    with pytest.raises(ValueError, match="aware"):
        scheduler.schedule_at(datetime(2026, 3, 2, 1, 0), DEADLINE, "naive")  # noqa: DTZ001 - the point
    assert not Deadline.objects.exists()


def test_cancelled_deadline_does_not_run():
    scheduler.schedule_at(T0, DEADLINE, "outcome-9-silence", document=9)
    assert scheduler.cancel_deadline("outcome-9-silence")
    assert not scheduler.cancel_deadline("outcome-9-silence")
    assert scheduler.run_due(now=T0).succeeded == []
    assert recorded == []
    assert AuditEntry.objects.filter(action="scheduler.deadline_cancelled").count() == 1


def test_failed_deadline_is_retried_later_then_given_up():
    deadline = scheduler.schedule_at(T0, DEADLINE, "outcome-3-silence", document=3)
    FAILING.add("deadline")
    now = T0
    for attempt in range(1, scheduler.DEADLINE_MAX_ATTEMPTS + 1):
        assert scheduler.run_due(now=now).failed == ["outcome-3-silence"]
        deadline.refresh_from_db()
        assert deadline.attempts == attempt
        assert "outcome document locked" in deadline.last_error
        # Not again before the retry delay.
        assert scheduler.run_due(now=now + scheduler.DEADLINE_RETRY_DELAY - timedelta(seconds=1)).failed == []
        now += scheduler.DEADLINE_RETRY_DELAY
    assert deadline.status == Deadline.Status.FAILED
    assert scheduler.run_due(now=now + timedelta(days=1)).failed == []
    assert len(calls("deadline")) == scheduler.DEADLINE_MAX_ATTEMPTS
    entries = AuditEntry.objects.filter(action="scheduler.deadline_failed").order_by("id")
    assert [entry.data["gave_up"] for entry in entries] == [False] * (scheduler.DEADLINE_MAX_ATTEMPTS - 1) + [True]


def test_failed_deadline_that_works_on_retry_is_done():
    deadline = scheduler.schedule_at(T0, DEADLINE, "outcome-4-silence", document=4)
    FAILING.add("deadline")
    scheduler.run_due(now=T0)
    FAILING.clear()
    assert scheduler.run_due(now=T0 + scheduler.DEADLINE_RETRY_DELAY).succeeded == ["outcome-4-silence"]
    deadline.refresh_from_db()
    assert (deadline.status, deadline.attempts, deadline.last_error) == (Deadline.Status.DONE, 2, "")


def test_crashed_deadline_run_is_taken_over_after_its_lease():
    deadline = scheduler.schedule_at(T0, DEADLINE, "outcome-5-silence", document=5)
    assert scheduler.claim_deadline(deadline.pk, T0, "worker-that-died")
    assert scheduler.run_due(now=T0 + scheduler.DEADLINE_LEASE - timedelta(seconds=1)).succeeded == []
    assert scheduler.run_due(now=T0 + scheduler.DEADLINE_LEASE).succeeded == ["outcome-5-silence"]
    assert len(calls("deadline")) == 1


# --- Several workers at once (PostgreSQL) ------------------------------------------------------------

CLAIMERS = 8


def claim_race(now: datetime) -> list[BaseException]:
    barrier = threading.Barrier(CLAIMERS)
    errors: list[BaseException] = []

    def claimer(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            scheduler.run_due(now=now, worker_id=f"worker-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_concurrent_workers_run_each_due_job_and_deadline_exactly_once(on_postgresql):
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    scheduler.schedule_at(T0, DEADLINE, "outcome-1-silence", document=1)
    for round_ in range(3):
        assert claim_race(T0 + timedelta(minutes=10 * round_)) == []
    assert calls("counted") == [T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)]
    assert len(calls("deadline")) == 1
    row = ScheduledJob.objects.get(name="test.counted")
    assert row.runs == 3
    assert ScheduledJob.objects.count() == 1


# --- Commands ----------------------------------------------------------------------------------------


def test_scheduler_once_command_runs_what_is_due():
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "Ran test.counted: counted once" in out.getvalue()
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "Nothing was due." in out.getvalue()
    assert len(calls("counted")) == 1


def test_scheduler_once_command_fails_when_a_job_fails():
    scheduler.register("test.flaky", FLAKY, every=timedelta(minutes=10))
    FAILING.add("flaky")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 job"):
        call_command("scheduler", "--once", stdout=io.StringIO(), stderr=err)
    assert "the SMTP relay is down" in err.getvalue()


def test_scheduler_list_shows_jobs_and_pending_deadlines():
    scheduler.register("test.daily", COUNTED, daily_at=time(3, 0))
    scheduler.schedule_at(T0, DEADLINE, "outcome-2-silence", document=2)
    out = io.StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert "test.daily: daily at 03:00; next" in out.getvalue()
    assert "never run" in out.getvalue()
    assert "deadline outcome-2-silence" in out.getvalue()
    assert recorded == []


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_the_due_jobs(settings):
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    out = io.StringIO()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    assert "Ran test.counted" in out.getvalue()
    assert len(calls("counted")) == 1


@pytest.mark.django_db(transaction=True)
def test_worker_batch_without_scheduler_runs_no_job():
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--no-scheduler", stdout=io.StringIO())
    assert recorded == []


@pytest.mark.django_db(transaction=True)
def test_scheduler_thread_of_the_worker_runs_due_jobs_until_stopped():
    scheduler.register("test.counted", COUNTED, every=timedelta(minutes=10))
    thread = scheduler.SchedulerThread(tick=3600)
    thread.start()
    try:
        assert RAN.wait(timeout=60), "the scheduler thread did not run the due job"
    finally:
        thread.stop()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(calls("counted")) == 1
    assert ScheduledJob.objects.get(name="test.counted").last_status == "ok"
