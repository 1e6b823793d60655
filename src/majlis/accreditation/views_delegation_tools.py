"""The accreditation officer's delegation tools (namespace events:delegations).

* Organisers: resend a focal point's or a member's invitation (POST), export the list of
  delegations in protocol order (CSV, XLSX), bulk nomination on a delegation's page.
* Focal points: bulk nomination for their own delegation (template download and upload).
* Security vetting (``vetting/``): the event's security officers (capability ``accreditation.vet``)
  set each member's status; whoever sees the applications (``accreditation.view``: organisers,
  accreditation officers) sees the page read-only. Focal points, members and the public get 403.

Every change is a function of ``services.delegation_tools`` or ``bulk_nomination``; every view of
personal data is audited.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from majlis.core import audit
from majlis.core.countries import country_name
from majlis.core.spreadsheets import safe_row
from majlis.events.access import event_view
from majlis.events.models import Event

from . import bulk_nomination
from .delegation_order import in_protocol_order
from .models import Application, Delegation, Vetting
from .services import delegation_tools as tools
from .views_delegations import (
    _organiser_delegation,
    _render,
    focal_point_view,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

S = Application.Status
VETTING_PER_PAGE = 50


class DelegationCounts(TypedDict):
    """The counts ``delegations_in_protocol_order`` annotates each delegation with."""

    members_total: int
    members_approved: int
    members_pending: int
    members_waitlisted: int
    documents_total: int


# --- Resending invitations -------------------------------------------------------------------------


@require_POST
@event_view("accreditation.mail")
def resend_invitation(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    delegation = _organiser_delegation(event_obj, pk)
    try:
        tools.resend_delegation_invitation(delegation, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(email)s; the links of earlier invitations no longer work.")
            % {"email": delegation.focal_point_email},
        )
    return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)


@require_POST
@event_view("accreditation.mail")
def resend_member_invitation(request: HttpRequest, event_obj: Event, pk: int, member: int) -> HttpResponse:
    delegation = _organiser_delegation(event_obj, pk)
    application = delegation.members.select_related("event").filter(pk=member).first()
    if application is None:
        raise Http404("No such member.")
    try:
        tools.resend_member_invitation(application, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(name)s at %(email)s; the links of earlier invitations no longer work.")
            % {"name": application.full_name, "email": application.email},
        )
    return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)


# --- The list of delegations, exported in protocol order ----------------------------------------------


EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": bulk_nomination.FORMATS["xlsx"]}


def delegations_in_protocol_order(
    event: Event, status: str = ""
) -> list[WithAnnotations[Delegation, DelegationCounts]]:
    delegations = (
        Delegation.objects.filter(event=event)
        .select_related("organisation", "default_category")
        .annotate(
            members_total=Count("members", filter=~Q(members__status__in=Application.Status.gone()), distinct=True),
            members_approved=Count("members", filter=Q(members__status=S.APPROVED), distinct=True),
            members_pending=Count("members", filter=Q(members__status__in=Application.Status.pending()), distinct=True),
            members_waitlisted=Count("members", filter=Q(members__status=S.WAITLISTED), distinct=True),
            documents_total=Count("documents", distinct=True),
        )
    )
    if status:
        delegations = delegations.filter(status=status)
    return in_protocol_order(delegations, event)


def _xlsx(table: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate(table, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            if row_number == 1:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(table: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@require_GET
@event_view("accreditation.view")
def delegation_export(request: HttpRequest, event_obj: Event, fmt: str) -> HttpResponse:
    """The delegations in protocol order, as on the list (with its status filter); audited."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format.")
    status = request.GET.get("status", "")
    if status not in Delegation.Status.values:
        status = ""
    delegations = delegations_in_protocol_order(event_obj, status)
    table = [
        safe_row(
            [
                _("Order"),
                _("State or organisation"),
                _("Kind"),
                _("Country"),
                _("Status"),
                _("Focal point"),
                _("Members"),
                _("Approved"),
                _("To decide"),
                _("Waitlisted"),
                _("Documents"),
            ]
        )
    ]
    for number, delegation in enumerate(delegations, start=1):
        table.append(
            safe_row(
                [
                    number,
                    str(delegation.organisation),
                    delegation.get_kind_display(),
                    country_name(delegation.country) if delegation.country else "",
                    delegation.get_status_display(),
                    delegation.focal_point_email,
                    delegation.members_total,
                    delegation.members_approved,
                    delegation.members_pending,
                    delegation.members_waitlisted,
                    delegation.documents_total,
                ]
            )
        )
    audit.record(
        "accreditation.delegations_exported",
        request=request,
        event_slug=event_obj.slug,
        format=fmt,
        status=status,
        rows=len(delegations),
    )
    content = _csv(table) if fmt == "csv" else _xlsx(table, _("Delegations"))
    stamp = timezone.localtime(timezone.now(), event_obj.tz).strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="delegations-{event_obj.slug}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response


# --- Bulk nomination -----------------------------------------------------------------------------


class BulkNominationForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (CSV or XLSX)"),
        help_text=gettext_lazy("At most 2 MB and 500 members."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Every person in the file has read the privacy notice and agrees that their data is processed as it "
            "describes."
        ),
        error_messages={
            "required": gettext_lazy(
                "Confirm that every person in the file agreed to the privacy notice: without their consent we "
                "cannot process the data."
            )
        },
    )


def _template_response(event: Event, delegation: Delegation, fmt: str) -> HttpResponse:
    if fmt not in bulk_nomination.FORMATS:
        raise Http404("Unknown format.")
    if fmt == "csv":
        content = bulk_nomination.template_csv(event, delegation)
    else:
        content = bulk_nomination.template_xlsx(event, delegation)
    response = HttpResponse(content, content_type=bulk_nomination.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="members-{event.slug}-{delegation.pk}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _bulk_page(request: HttpRequest, event: Event, delegation: Delegation, *, organiser: bool) -> HttpResponse:
    from .services import current_privacy_notice

    form = BulkNominationForm(request.POST or None, request.FILES or None)
    outcome: bulk_nomination.Outcome | None = None
    file_problem = ""
    status = 200
    can_nominate = delegation.status in Delegation.Status.nomination_open()
    if request.method == "POST":
        status = 400
        if not can_nominate:
            messages.error(request, _("Members cannot be added while the organisers are checking the credentials."))
        elif form.is_valid():
            try:
                outcome = bulk_nomination.import_members(
                    event, delegation, form.cleaned_data["file"], actor=request.user, request=request
                )
            except bulk_nomination.FileProblem as problem:
                file_problem = " ".join(problem.messages)
                form.add_error("file", problem)
            else:
                if outcome.ok:
                    count = len(outcome.imported)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d member was added to the delegation.",
                            "%(count)d members were added to the delegation.",
                            count,
                        )
                        % {"count": count},
                    )
                    if organiser:
                        return redirect("events:delegations:detail", event=event.slug, pk=delegation.pk)
                    return redirect("events:delegations:focal", event=event.slug, pk=delegation.pk)
    names = ("organiser-bulk", "organiser-bulk-template") if organiser else ("focal-bulk", "focal-bulk-template")
    template = "manage_bulk.html" if organiser else "focal_bulk.html"
    return _render(
        request,
        template,
        event,
        {
            "delegation": delegation,
            "form": form,
            "outcome": outcome,
            "outcome_summary": bulk_nomination.summary(outcome) if outcome is not None and not outcome.ok else "",
            "file_problem": file_problem,
            "can_nominate": can_nominate,
            "notice": current_privacy_notice(event),
            "columns": bulk_nomination.columns(event, delegation),
            "max_rows": bulk_nomination.MAX_ROWS,
            "upload_url_name": f"events:delegations:{names[0]}",
            "template_url_name": f"events:delegations:{names[1]}",
            "manage_section": "detail",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@focal_point_view
def focal_bulk(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    return _bulk_page(request, event, delegation, organiser=False)


@require_GET
@focal_point_view
def focal_bulk_template(request: HttpRequest, event: Event, delegation: Delegation, fmt: str) -> HttpResponse:
    return _template_response(event, delegation, fmt)


@require_http_methods(["GET", "POST"])
@event_view("accreditation.manage")
def organiser_bulk(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    return _bulk_page(request, event_obj, _organiser_delegation(event_obj, pk), organiser=True)


@require_GET
@event_view("accreditation.manage")
def organiser_bulk_template(request: HttpRequest, event_obj: Event, pk: int, fmt: str) -> HttpResponse:
    return _template_response(event_obj, _organiser_delegation(event_obj, pk), fmt)


# --- Security vetting ----------------------------------------------------------------------------


class VettingFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or e-mail"), required=False, max_length=200)
    vetting = forms.ChoiceField(label=gettext_lazy("Vetting status"), required=False)
    delegation = forms.TypedChoiceField(label=gettext_lazy("Delegation"), required=False, coerce=int, empty_value=None)
    nationality = forms.CharField(label=gettext_lazy("Nationality (ISO code)"), required=False, max_length=2)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["vetting"]).choices = [("", _("All"))] + [
            (v, str(label)) for v, label in Vetting.Status.choices
        ]
        cast(forms.ChoiceField, self.fields["delegation"]).choices = [("", _("All"))] + [
            (d.pk, str(d.organisation))
            for d in in_protocol_order(Delegation.objects.filter(event=event).select_related("organisation"), event)
        ]


class VettingForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Vetting status"), choices=Vetting.Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=tools.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Seen by organisers and vetting officers only. Required for a refusal."),
    )


def _vetting_queryset(event: Event, filters: dict[str, Any]):
    members = (
        Application.objects.filter(event=event, delegation__isnull=False)
        .not_gone()
        .select_related("delegation__organisation", "category", "vetting", "vetting__set_by")
        .order_by("delegation__organisation__name", "family_name", "given_names", "pk")
    )
    query = (filters.get("q") or "").replace("\x00", "").strip()
    if query:
        members = members.filter(
            Q(family_name__icontains=query) | Q(given_names__icontains=query) | Q(email__icontains=query)
        )
    status = filters.get("vetting") or ""
    if status == Vetting.Status.NOT_VETTED:
        members = members.filter(Q(vetting__isnull=True) | Q(vetting__status=status))
    elif status:
        members = members.filter(vetting__status=status)
    if filters.get("delegation"):
        members = members.filter(delegation_id=filters["delegation"])
    if filters.get("nationality"):
        members = members.filter(nationality__iexact=filters["nationality"].strip())
    return members


@never_cache
@require_http_methods(["GET", "POST"])
@event_view("accreditation.view")
def vetting_list(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Everyone who sees the applications sees the vetting statuses; security officers set them."""
    may_set = tools.may_set_vetting(request.user, event_obj)
    filter_form = VettingFilterForm(request.GET or None, event=event_obj)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    posted_form: tuple[int, VettingForm] | None = None
    status = 200
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        member = (
            Application.objects.filter(
                event=event_obj, delegation__isnull=False, pk=request.POST.get("member") or 0
            ).first()
            if (request.POST.get("member") or "").isdigit()
            else None
        )
        if member is None:
            raise Http404("No such member.")
        form = VettingForm(request.POST, prefix=f"v{member.pk}")
        if form.is_valid():
            try:
                tools.set_vetting_status(
                    member,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                from .forms import add_service_errors

                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The vetting status of %(name)s is now: %(status)s.")
                    % {"name": member.full_name, "status": tools.vetting_label(form.cleaned_data["status"])},
                )
                return redirect(request.get_full_path())
        posted_form = (member.pk, form)
        status = 400
    page = Paginator(_vetting_queryset(event_obj, filters), VETTING_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for member in page.object_list:
        current = getattr(member, "vetting", None)  # None: not vetted yet
        row_form: VettingForm | None = None
        if may_set:
            if posted_form and posted_form[0] == member.pk:
                row_form = posted_form[1]
            else:
                initial = {"status": current.status, "note": current.note} if current else {}
                row_form = VettingForm(prefix=f"v{member.pk}", initial=initial)
        rows.append(
            {
                "member": member,
                "vetting": current,
                "status": current.status if current else Vetting.Status.NOT_VETTED,
                "label": tools.vetting_label(current.status if current else Vetting.Status.NOT_VETTED),
                "nationality": country_name(member.nationality) or member.nationality,
                "form": row_form,
            }
        )
    audit.record(
        "accreditation.vetting_listed",
        request=request,
        event_slug=event_obj.slug,
        filters={k: v for k, v in filters.items() if v},
        page=page.number,
        rows=len(rows),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "vetting.html",
        event_obj,
        {
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "may_set": may_set,
            "query": query.urlencode(),
            "statuses": Vetting.Status.choices,
        },
        status=status,
    )
