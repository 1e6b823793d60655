"""Accreditation's periodic jobs, run through the scheduler with an injected time: they do their work."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from majlis.accreditation import login_links, scheduled, services
from majlis.accreditation.models import AccreditationSettings, Application, LoginLink
from majlis.core import scheduler
from majlis.core.models import AuditEntry, OutboxMessage, ScheduledJob
from tests.accreditation.personal_data_helpers import PASSPORT, application
from tests.factories import make_accreditation_event, make_event, make_user

from .services_helpers import Mailbox, make_organiser, reviewed

pytestmark = pytest.mark.django_db

REQUEUE = "core.requeue_stuck_emails"
PURGE = "accreditation.purge_personal_data"
LINKS = "accreditation.delete_expired_login_links"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_accreditation_registers_its_jobs_and_core_the_stuck_mail_one():
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs[REQUEUE].every == timedelta(minutes=10)
    assert "accreditation.requeue_stuck_emails" not in jobs
    assert jobs[PURGE].daily_at == scheduled.PURGE_AT
    assert jobs[LINKS].daily_at == scheduled.LOGIN_LINK_CLEANING_AT
    assert jobs[PURGE].every is None


def test_requeue_job_sends_stuck_mail_once(settings, django_capture_on_commit_callbacks):
    mailbox = Mailbox(settings, django_capture_on_commit_callbacks)
    event = make_accreditation_event()
    organiser = make_organiser(event)
    application_ = reviewed(event, email="p@example.org")
    services.approve_application(application_, actor=organiser)  # its on_commit never runs: the task is lost
    notification = OutboxMessage.objects.get()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=notification.pk).update(created_at=now - timedelta(hours=1))
    with mailbox.commit():
        report = scheduler.run_due(now=now)
    assert REQUEUE in report.succeeded
    assert report.results[REQUEUE] == "1 e-mail(s) queued again"
    assert len(mailbox.to("p@example.org")) == 1
    # Ten minutes later the job runs again and finds nothing to send.
    with mailbox.commit():
        report = scheduler.run_due(now=now + timedelta(minutes=10))
    assert report.results[REQUEUE] == "0 e-mail(s) queued again"
    assert len(mailbox.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == OutboxMessage.Status.SENT


def test_requeue_job_leaves_recent_mail_alone(settings, django_capture_on_commit_callbacks):
    Mailbox(settings, django_capture_on_commit_callbacks)
    event = make_accreditation_event()
    services.approve_application(reviewed(event, email="p@example.org"), actor=make_organiser(event))
    now = OutboxMessage.objects.get().created_at + timedelta(minutes=29)
    assert scheduler.run_due(now=now).results[REQUEUE] == "0 e-mail(s) queued again"


def test_purge_job_runs_nightly_and_removes_personal_data_after_retention():
    event = make_event(slug="tashkent-2022", start_date=date(2022, 3, 3), end_date=date(2022, 3, 4))
    AccreditationSettings.objects.create(event=event, retention_days=90)  # data goes on 3 June 2022
    person = application(event, passport=PASSPORT, status=Application.Status.APPROVED)

    scheduler.run_due(now=at(date(2022, 6, 2), 12))  # the rows are made; the purge waits for its hour
    assert ScheduledJob.objects.get(name=PURGE).next_run_at == at(date(2022, 6, 3), 2, 30)
    person.refresh_from_db()
    assert person.personal_data_purged_at is None

    report = scheduler.run_due(now=at(date(2022, 6, 3), 2, 30))
    assert PURGE in report.succeeded
    assert report.results[PURGE] == "personal data of 1 application(s) removed"
    person.refresh_from_db()
    assert person.personal_data_purged_at == at(date(2022, 6, 3), 2, 30)
    assert person.passport_number_encrypted is None

    report = scheduler.run_due(now=at(date(2022, 6, 4), 2, 30))
    assert report.results[PURGE] == "personal data of 0 application(s) removed"


def test_purge_job_before_the_end_of_retention_changes_nothing():
    event = make_event(slug="tashkent-2022", start_date=date(2022, 3, 3), end_date=date(2022, 3, 4))
    AccreditationSettings.objects.create(event=event, retention_days=90)
    person = application(event, passport=PASSPORT, status=Application.Status.APPROVED)
    scheduler.run_due(now=at(date(2022, 6, 1), 12))
    assert scheduler.run_due(now=at(date(2022, 6, 2), 2, 30)).results[PURGE] == (
        "personal data of 0 application(s) removed"
    )
    person.refresh_from_db()
    assert person.personal_data_purged_at is None


def test_login_link_job_deletes_links_expired_over_a_day_ago():
    user = make_user(password=None)
    login_links.issue_login_link(user)
    login_links.issue_login_link(user)
    login_links.issue_login_link(user, purpose=LoginLink.Purpose.INVITATION)
    old, recent, live = LoginLink.objects.order_by("pk")
    now = at(date(2026, 3, 2), 3)
    LoginLink.objects.filter(pk=old.pk).update(expires_at=now - timedelta(days=1, seconds=1), used_at=now)
    LoginLink.objects.filter(pk=recent.pk).update(expires_at=now - timedelta(hours=23))
    LoginLink.objects.filter(pk=live.pk).update(expires_at=now + timedelta(hours=70))

    scheduler.run_due(now=now - timedelta(hours=1))  # rows made; the cleaning waits for 03:00
    assert LoginLink.objects.count() == 3
    report = scheduler.run_due(now=now)
    assert report.results[LINKS] == "1 expired log-in link(s) deleted"
    assert set(LoginLink.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    entry = AuditEntry.objects.get(action="accreditation.login_links_deleted")
    assert entry.data["count"] == 1
