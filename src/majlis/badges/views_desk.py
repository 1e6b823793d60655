"""The badge desk of the accreditation team, under /<lang>/<event>/manage/badges/ (``badges.issue``).

The list (filters, search by name or number, photo thumbnails through accreditation's
permission-checked photo view), one badge with its revisions, its PDF (ID-1 card or A6), the
hand-over (the holder's photo large beside the form, the identity document checked, who collected
it), re-issuing a lost badge and revoking one (each with a confirmation page), and printing every
issued badge matching the filters as one PDF built by the worker, with a progress bar (htmx polling,
no inline script) and an audited download. Every change goes through ``services`` or
``services_printing``; every look at the list or at one badge is audited, as accreditation does.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from majlis.core import audit, capabilities
from majlis.core.countries import country_name
from majlis.core.files import content_disposition
from majlis.core.forms import add_service_errors
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries_desk, services, services_printing
from .forms import BadgeFilterForm, HandOverForm, NoteForm, PrintForm
from .models import Badge, PrintFormat, PrintJob

NAMESPACE = "badges"
PER_PAGE = 50
JOBS_SHOWN = 20
FILE_CSP = "default-src 'none'; sandbox"


def desk_url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"{NAMESPACE}:{name}", kwargs={"event": event.slug, **kwargs})


def _render(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"event": event, "section": "manage", **context}
    return render(request, f"badges/manage/{template}", context, status=status)


def list_query(query: str) -> str:
    """A list query string from a form field or a request, re-encoded (never a URL of its own)."""
    data = QueryDict(query or "")
    allowed = {name: data.getlist(name) for name in BadgeFilterForm.base_fields if data.getlist(name)}
    return urlencode(allowed, doseq=True)


def _filters(event: Event, query: str) -> tuple[BadgeFilterForm, queries_desk.BadgeFilter]:
    form = BadgeFilterForm(QueryDict(query or ""), event=event)
    return form, form.filters() if query else queries_desk.BadgeFilter()


def _badge(event: Event, pk: int) -> Badge:
    badge = queries_desk.badge(event, pk)
    if badge is None:
        raise Http404("No such badge.")
    return badge


def _may_see_photos(request: HttpRequest, event: Event) -> bool:
    # The photos come from accreditation's file view, which lets through who may see the applications.
    return capabilities.has(request.user, "accreditation.view", event)


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, "attachment")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def badge_filename(badge: Badge, fmt: str) -> str:
    return f"badge-{badge.event.slug}-{badge.number}-{fmt}.pdf"


def summary(form: BadgeFilterForm, filters: queries_desk.BadgeFilter) -> list[tuple[str, str]]:
    """The filters in words: (label, chosen value) pairs."""
    shown = []
    for name, value in filters.as_dict().items():
        field = form.fields.get(name)
        if field is None:
            continue
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown.append((str(field.label), str(choices.get(str(value), value))))
    return shown


# --- The list -------------------------------------------------------------------------------------


@require_GET
@never_cache
@event_view("badges.issue")
def badge_list(request: HttpRequest, event_obj: Event) -> HttpResponse:
    event = event_obj
    filter_form = BadgeFilterForm(request.GET or None, event=event)
    filters = filter_form.filters() if request.GET else queries_desk.BadgeFilter()
    paginator = Paginator(queries_desk.badges(event, filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = list_query(request.GET.urlencode())
    audit.record(
        "badges.listed",
        request=request,
        event_slug=event.slug,
        filters=filters.as_dict(),
        page=page.number,
        rows=len(page.object_list),
    )
    context = {
        "desk_section": "list",
        "filter_form": filter_form,
        "page": page,
        "query": query,
        "printable": queries_desk.printable(event, filters).count(),
        "print_form": PrintForm(initial={"query": query, "language": translation.get_language()}),
        "jobs": queries_desk.recent_print_jobs(event),
        "may_see_photos": _may_see_photos(request, event),
    }
    return _render(request, "list.html", event, context)


# --- One badge ------------------------------------------------------------------------------------


@require_GET
@never_cache
@event_view("badges.issue")
def badge_detail(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    badge = _badge(event_obj, pk)
    revisions = list(
        Badge.objects.filter(event=event_obj, serial=badge.serial).exclude(pk=badge.pk).order_by("revision")
    )
    audit.record("badges.viewed", request=request, obj=badge, event_slug=event_obj.slug, number=badge.number)
    context = {
        "desk_section": "list",
        "badge": badge,
        "application": badge.application,
        "revisions": revisions,
        "formats": [(PrintFormat.ID1, _("ID-1 card")), (PrintFormat.A6, _("A6"))],
        "may_see_photos": _may_see_photos(request, event_obj),
        "may_see_application": capabilities.has(request.user, "accreditation.view", event_obj),
    }
    return _render(request, "detail.html", event_obj, context)


@require_GET
@never_cache
@event_view("badges.issue")
def badge_pdf(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """One badge as a PDF: ``?format=id1`` (card printer) or ``a6``; noted as printed, audited."""
    badge = _badge(event_obj, pk)
    fmt = request.GET.get("format", PrintFormat.ID1)
    language = request.GET.get("language") or translation.get_language() or "en"
    try:
        data = services_printing.badge_pdf(badge, fmt, language=language, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(desk_url("detail", event_obj, pk=badge.pk))
    return pdf_response(data, badge_filename(badge, fmt))


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("badges.issue")
def hand_over(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """The holder's photo large beside the form: the desk compares it with the person and their document."""
    badge = _badge(event_obj, pk)
    status = 200
    if request.method == "POST":
        form = HandOverForm(request.POST)
        if form.is_valid():
            try:
                services.mark_collected(
                    badge,
                    actor=request.user,
                    request=request,
                    document=form.cleaned_data["document"],
                    collector_name=form.cleaned_data["collector_name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Badge %(number)s was handed over.") % {"number": badge.number})
                return redirect(desk_url("detail", event_obj, pk=badge.pk))
        status = 400
    else:
        form = HandOverForm()
    context = {
        "desk_section": "list",
        "badge": badge,
        "application": badge.application,
        "form": form,
        "nationality": country_name(badge.application.nationality) or badge.application.nationality,
        "may_see_photos": _may_see_photos(request, event_obj),
    }
    return _render(request, "hand_over.html", event_obj, context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("badges.issue")
def reissue(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """A lost badge: confirm, then the old card is refused at every gate and a new one is issued."""
    badge = _badge(event_obj, pk)
    help_text = _("For example: lost at the hotel on the first evening, reported by the holder in person.")
    status = 200
    if request.method == "POST":
        form = NoteForm(request.POST, help_text=help_text)
        if form.is_valid():
            try:
                new = services.reissue_lost(badge, actor=request.user, request=request, note=form.cleaned_data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Badge %(old)s is revoked and no gate accepts it any more. The new badge is %(new)s: print it.")
                    % {"old": badge.number, "new": new.number},
                )
                return redirect(desk_url("detail", event_obj, pk=new.pk))
        status = 400
    else:
        form = NoteForm(help_text=help_text)
    context = {"desk_section": "list", "badge": badge, "application": badge.application, "form": form}
    return _render(request, "reissue.html", event_obj, context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("badges.issue")
def revoke(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """Take a badge away without another (the reason is required and kept in the audit log)."""
    badge = _badge(event_obj, pk)
    help_text = _(
        "No new badge is issued. The accreditation itself is not changed: withdraw it on the participant page."
    )
    status = 200
    if request.method == "POST":
        form = NoteForm(request.POST, required=True, help_text=help_text)
        if form.is_valid():
            try:
                services.revoke_badge(badge, actor=request.user, request=request, note=form.cleaned_data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Badge %(number)s is revoked: no gate accepts it any more.") % {"number": badge.number}
                )
                return redirect(desk_url("detail", event_obj, pk=badge.pk))
        status = 400
    else:
        form = NoteForm(required=True, help_text=help_text)
    context = {"desk_section": "list", "badge": badge, "application": badge.application, "form": form}
    return _render(request, "revoke.html", event_obj, context, status=status)


# --- Print jobs -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("badges.issue")
def print_jobs(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """GET: the form for the list's filters and the recent jobs; POST: queue one job."""
    event = event_obj
    source = request.POST if request.method == "POST" else request.GET
    query = list_query(source.get("query", "") if request.method == "POST" else request.GET.urlencode())
    filter_form, filters = _filters(event, query)
    status = 200
    if request.method == "POST":
        form = PrintForm(request.POST)
        if form.is_valid():
            try:
                job = services_printing.create_print_job(
                    event,
                    filters,
                    fmt=form.cleaned_data["format"],
                    language=form.cleaned_data["language"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(desk_url("print-job", event, pk=job.pk))
        status = 400
    else:
        form = PrintForm(initial={"query": query, "language": translation.get_language()})
    context = {
        "desk_section": "print",
        "form": form,
        "query": query,
        "summary": summary(filter_form, filters),
        "printable": queries_desk.printable(event, filters).count(),
        "jobs": queries_desk.recent_print_jobs(event, JOBS_SHOWN),
    }
    return _render(request, "print.html", event, context, status=status)


def _job(event: Event, pk: int) -> PrintJob:
    job = queries_desk.print_job(event, pk)
    if job is None:
        raise Http404("No such print job.")
    return job


@require_GET
@never_cache
@event_view("badges.issue")
def print_job(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """How far the worker is; htmx asks for the fragment every two seconds until the job is finished."""
    job = _job(event_obj, pk)
    filter_form, filters = _filters(event_obj, urlencode(job.filters))
    context = {"desk_section": "print", "job": job, "summary": summary(filter_form, filters)}
    if request.headers.get("HX-Request") == "true":
        return _render(request, "_print_progress.html", event_obj, context)
    return _render(request, "print_job.html", event_obj, context)


@require_GET
@never_cache
@event_view("badges.issue")
def print_job_download(request: HttpRequest, event_obj: Event, pk: int) -> FileResponse:
    job = _job(event_obj, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404("The PDF is not ready.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    services_printing.record_print_job_download(job, actor=request.user, request=request)
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"badges-{event_obj.slug}-{job.pk}.pdf", "attachment")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response
