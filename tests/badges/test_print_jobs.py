"""Printing every badge matching the desk's filters as one PDF: queued, rendered by the real worker
(``majlis worker --batch`` on the database queue), followed on the job page, downloaded."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from majlis.accreditation.models import Delegation
from majlis.badges import services, services_printing
from majlis.badges.models import Badge, PrintJob
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.badges.desk_helpers import issued_badge, upcoming_event
from tests.badges.test_desk import pdf_pages, pdf_text
from tests.factories import make_delegation, make_role, make_user

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def url(name, event, **kwargs):
    return reverse(f"badges:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def event(db):
    return upcoming_event(slug="print-test")


@pytest.fixture
def officer(event):
    user = make_user(username="print-officer")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, user)
    return user


@pytest.fixture
def desk(officer):
    client = Client()
    client.force_login(officer)
    return client


def run_worker() -> None:
    call_command("worker", batch=True, no_scheduler=True, stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_print_by_filter_end_to_end_through_the_worker(desk, event, officer, settings):
    settings.TASKS = DATABASE_QUEUE
    delegation = make_delegation(event, status=Delegation.Status.APPROVED)
    members = [
        issued_badge(event, officer, delegation=delegation, category="delegate", family_name=f"Member{n}")
        for n in range(23)
    ]
    issued_badge(event, officer, family_name="Outsider")  # not in the delegation: not printed
    revoked = issued_badge(event, officer, delegation=delegation, category="delegate", family_name="Revokedova")
    services.revoke_badge(revoked, actor=officer, note="Left")  # matches the filter, never printed

    form = desk.get(url("print", event), {"delegation": delegation.pk})
    assert form.status_code == 200 and form.context["printable"] == 23
    response = desk.post(
        url("print", event), {"format": "a6", "language": "ru", "query": f"delegation={delegation.pk}"}
    )
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == url("print-job", event, pk=job.pk)
    assert job.status == PrintJob.Status.QUEUED and job.total == 23
    assert job.filters == {"delegation": delegation.pk} and job.format == "a6" and job.language == "ru"
    assert job.requested_by == officer

    waiting = desk.get(url("print-job", event, pk=job.pk), HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    fragment = waiting.content.decode()
    assert "hx-get=" in fragment and 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    assert desk.get(url("print-job-download", event, pk=job.pk)).status_code == 404  # not ready

    with CaptureQueriesContext(connection) as queries:
        run_worker()
    progress = [re.search(r'SET "done" = (\d+), "total" = \d+ WHERE', q["sql"]) for q in queries.captured_queries]
    assert [int(m.group(1)) for m in progress if m] == [
        20,
        23,
    ]  # after 20 badges, then after the 23rd: the bar moves while it renders

    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE, job.error
    assert job.done == job.total == 23 and job.finished_at is not None
    assert job.file.name.startswith("private/printjob/")
    page = desk.get(url("print-job", event, pk=job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get=" not in page  # finished: the polling stops
    assert url("print-job-download", event, pk=job.pk) in page

    download = desk.get(url("print-job-download", event, pk=job.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
    data = b"".join(download.streaming_content)
    assert pdf_pages(data) == 23
    text = pdf_text(data)
    for member in members:
        assert member.application.family_name.upper() in text
    assert "OUTSIDER" not in text and "REVOKEDOVA" not in text
    assert AuditEntry.objects.filter(action="badges.print_job_downloaded", object_id=str(job.pk)).count() == 1

    printed = set(Badge.objects.filter(printed_at__isnull=False).values_list("pk", flat=True))
    assert printed == {member.pk for member in members}
    entry = AuditEntry.objects.get(action="badges.printed")
    assert entry.data["purpose"] == "print_job" and entry.data["count"] == 23

    run_worker()  # nothing is left in the queue, and a job never runs twice
    assert services_printing.run_print_job(job.pk) == "nothing to do"


@pytest.mark.django_db
def test_a_job_whose_badges_were_all_revoked_meanwhile_fails_with_the_reason(desk, event, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    badge = issued_badge(event, officer, family_name="Alone")
    response = desk.post(url("print", event), {"format": "id1", "language": "en", "query": "q=Alone"})
    assert response.status_code == 302
    job = PrintJob.objects.get()
    services.revoke_badge(badge, actor=officer, note="Gone")
    assert services_printing.run_print_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED and "nothing to print" in job.error
    page = desk.get(url("print-job", event, pk=job.pk)).content.decode()
    assert "The print job failed:" in page and "hx-get=" not in page
    assert desk.get(url("print-job-download", event, pk=job.pk)).status_code == 404


@pytest.mark.django_db
def test_nothing_to_print_is_refused_keeping_the_choices(desk, event, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    issued_badge(event, officer, family_name="Present")
    response = desk.post(url("print", event), {"format": "a4", "language": "uz", "query": "q=Nobody"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing to print" in html
    assert not PrintJob.objects.exists()
    bad = desk.post(url("print", event), {"format": "poster", "language": "uz", "query": ""})
    assert bad.status_code == 400 and not PrintJob.objects.exists()
    assert 'value="uz" selected' in bad.content.decode()


@pytest.mark.django_db
def test_a_job_of_another_event_is_not_found(desk, event, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    other_event = upcoming_event(slug="print-elsewhere")
    organiser = make_role(other_event, EventRole.Role.ORGANISER_ADMIN).user
    issued_badge(other_event, organiser)
    from majlis.badges.queries_desk import BadgeFilter

    job = services_printing.create_print_job(other_event, BadgeFilter(), fmt="a6", language="en", actor=organiser)
    assert desk.get(url("print-job", event, pk=job.pk)).status_code == 404
    assert desk.get(url("print-job-download", event, pk=job.pk)).status_code == 404


@pytest.mark.django_db
def test_print_files_are_deleted_after_two_days_and_stalled_jobs_fail(desk, event, officer, settings):
    from datetime import timedelta

    from django.utils import timezone

    from majlis.badges.queries_desk import BadgeFilter
    from majlis.core import scheduler

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert "badges.tidy_print_jobs" in {job.name for job in scheduler.registered_jobs()}
    issued_badge(event, officer)
    done = services_printing.create_print_job(event, BadgeFilter(), fmt="a6", language="en", actor=officer)
    assert services_printing.run_print_job(done.pk) == "1 badge(s)"
    stalled = services_printing.create_print_job(event, BadgeFilter(), fmt="a6", language="en", actor=officer)
    PrintJob.objects.filter(pk=stalled.pk).update(status=PrintJob.Status.RUNNING, started_at=timezone.now())
    done.refresh_from_db()
    storage, name = done.file.storage, done.file.name
    assert storage.exists(name)

    now = timezone.now()
    assert services_printing.tidy_print_jobs(now=now) == "0 print file(s) deleted, 0 stalled job(s) marked failed"
    later = now + timedelta(days=2, hours=1)
    assert services_printing.tidy_print_jobs(now=later) == "1 print file(s) deleted, 1 stalled job(s) marked failed"
    done.refresh_from_db()
    stalled.refresh_from_db()
    assert not storage.exists(name) and not done.file and done.status == PrintJob.Status.DONE
    assert stalled.status == PrintJob.Status.FAILED and "print these badges again" in stalled.error
    page = desk.get(url("print-job", event, pk=done.pk)).content.decode()
    assert "The PDF was deleted two days after it was made" in page
    assert desk.get(url("print-job-download", event, pk=done.pk)).status_code == 404
    assert AuditEntry.objects.filter(action="badges.print_file_deleted").count() == 1
