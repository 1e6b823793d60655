"""Printing badges: one badge's PDF at the desk or for its holder, and print jobs run by the worker.

A print job keeps the desk's filters; the worker (``tasks.render_print_job``) reads the issued badges
matching them when it runs, renders one PDF with the progress counted in the job's row every
``PROGRESS_EVERY`` badges (committed at once, so the job page's progress bar moves), stores the PDF
as a private file and notes the badges as printed. A failure is kept in the job with its reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from majlis.core import audit
from majlis.events.models import Event

from . import queries, queries_desk
from .models import Badge, PrintFormat, PrintJob
from .pdf import BadgeFormat, render_badges
from .services import record_printed

logger = logging.getLogger("majlis.badges")

PROGRESS_EVERY = 20
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def badge_language(language: str) -> str:
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def document_title(event: Event, language: str) -> str:
    with translation.override(language):
        return _("Badges — %(event)s") % {"event": event.short_title or event.title}


def badge_pdf(
    badge: Badge, fmt: str, *, language: str, actor: Any, request: Any = None, purpose: str = "print"
) -> bytes:
    """One badge as a PDF (``fmt``: id1, a6 or a4), noted as printed in the audit log.

    Only an issued badge is printed: a revoked card must never be made again.
    """
    if fmt not in PrintFormat.values:
        raise ValidationError({"format": _("Choose a badge format: ID-1 card, A6 or A4 sheet.")})
    if badge.status != Badge.Status.ISSUED:
        raise ValidationError(_("Badge %(number)s is revoked: it cannot be printed.") % {"number": badge.number})
    language = badge_language(language)
    face = queries.face_for(badge, language)
    data = render_badges([face], BadgeFormat(fmt), title=document_title(badge.event, language))
    record_printed([badge], actor=actor, request=request, purpose=purpose)
    return data


def _enqueue(job: PrintJob) -> None:
    """Hand the job to the worker: in this transaction with the database queue (the job and its task
    are committed together), after commit with other backends (the immediate one in tests)."""
    from .tasks import render_print_job

    job_id = job.pk
    backend = render_print_job.get_backend()
    if type(backend).__module__.startswith("django_tasks_db"):
        render_print_job.enqueue(job_id)
    else:
        transaction.on_commit(lambda: render_print_job.enqueue(job_id))


@transaction.atomic
def create_print_job(
    event: Event,
    filters: queries_desk.BadgeFilter,
    *,
    fmt: str,
    language: str,
    actor: Any,
    request: Any = None,
) -> PrintJob:
    """Ask the worker for one PDF of every issued badge matching ``filters``."""
    if fmt not in PrintFormat.values:
        raise ValidationError({"format": _("Choose a badge format: ID-1 card, A6 or A4 sheet.")})
    total = queries_desk.printable(event, filters).count()
    if total == 0:
        raise ValidationError(_("No issued badge matches these filters: there is nothing to print."))
    job = PrintJob.objects.create(
        event=event,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        filters=filters.as_dict(),
        format=fmt,
        language=badge_language(language),
        total=total,
    )
    audit.record(
        "badges.print_job_created",
        actor=actor,
        obj=job,
        event_slug=event.slug,
        request=request,
        filters=job.filters,
        format=fmt,
        total=total,
    )
    _enqueue(job)
    return job


def _claim(job_id: int) -> PrintJob | None:
    with transaction.atomic():
        job = (
            PrintJob.objects.select_for_update(of=("self",))
            .select_related("event", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != PrintJob.Status.QUEUED:
            return None  # deleted with its event, or already run (a task delivered twice)
        job.status = PrintJob.Status.RUNNING
        job.done = 0
        job.started_at = timezone.now()
        job.save(update_fields=["status", "done", "started_at"])
        return job


def _count_progress(job_id: int, done: int, total: int) -> None:
    # Outside any transaction: each update is committed at once for the job page to see.
    if done == total or done % PROGRESS_EVERY == 0:
        PrintJob.objects.filter(pk=job_id).update(done=done, total=total)


def run_print_job(job_id: int) -> str:
    """Render the job's PDF (the worker's side). Returns what happened, for the task's result."""
    job = _claim(job_id)
    if job is None:
        return "nothing to do"
    event = job.event
    with translation.override(job.language):
        return _run(job, event)


def _run(job: PrintJob, event: Event) -> str:
    try:
        badges = list(queries_desk.printable(event, queries_desk.BadgeFilter.from_dict(job.filters)))
        total = len(badges)
        PrintJob.objects.filter(pk=job.pk).update(total=total)
        if total == 0:
            raise ValidationError(_("No issued badge matches these filters any more: there is nothing to print."))
        faces = queries.faces_for(badges, job.language)
        data = render_badges(
            faces,
            BadgeFormat(job.format),
            title=document_title(event, job.language),
            progress=lambda done, of: _count_progress(job.pk, done, of),
        )
        with transaction.atomic():
            job.file.save(f"badges-{job.pk}.pdf", ContentFile(data), save=False)
            job.status = PrintJob.Status.DONE
            job.total = job.done = total
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "status", "total", "done", "finished_at"])
            record_printed(badges, actor=job.requested_by, purpose="print_job")
            audit.record(
                "badges.print_job_done",
                actor=job.requested_by,
                obj=job,
                event_slug=event.slug,
                total=total,
                bytes=len(data),
            )
    except Exception as error:  # the job must say it failed, whatever the cause
        message = " ".join(error.messages) if isinstance(error, ValidationError) else f"{type(error).__name__}: {error}"
        if not isinstance(error, ValidationError):
            logger.exception("Badge print job %s failed", job.pk)
        _fail(job, message)
        return "failed"
    return f"{total} badge(s)"


@transaction.atomic
def _fail(job: PrintJob, message: str) -> None:
    job.status = PrintJob.Status.FAILED
    job.error = message[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    audit.record("badges.print_job_failed", actor=job.requested_by, obj=job, event_slug=job.event.slug, error=job.error)


def record_print_job_download(job: PrintJob, *, actor: Any, request: Any = None) -> None:
    """Every download of a print job's PDF (names and photos of many people) is in the audit log."""
    audit.record(
        "badges.print_job_downloaded", actor=actor, obj=job, event_slug=job.event.slug, request=request, total=job.total
    )


# --- Tidying (the scheduler's ``badges.tidy_print_jobs``) ------------------------------------------

# A print job's PDF holds many people's names and photos: it is deleted this long after it was made
# (the job's row stays, for the record). A job still "running" after STALE_AFTER lost its worker.
KEEP_FILES_FOR = timedelta(days=2)
STALE_AFTER = timedelta(hours=1)


def tidy_print_jobs(*, now: datetime) -> str:
    stale = 0
    for job in PrintJob.objects.filter(status=PrintJob.Status.RUNNING, started_at__lt=now - STALE_AFTER).select_related(
        "event", "requested_by"
    ):
        with translation.override(job.language):
            _fail(job, _("The worker stopped before the PDF was ready: print these badges again."))
        stale += 1
    deleted = 0
    for job in PrintJob.objects.filter(finished_at__lt=now - KEEP_FILES_FOR).exclude(file="").select_related("event"):
        job.file.delete(save=False)
        PrintJob.objects.filter(pk=job.pk).update(file="")
        audit.record("badges.print_file_deleted", obj=job, event_slug=job.event.slug)
        deleted += 1
    return f"{deleted} print file(s) deleted, {stale} stalled job(s) marked failed"
