"""The organisers' gate pages, under /<lang>/<event>/manage/gates/ (``gates.manage``).

Zones (who may enter, session rules, one entry, exit scanning, open days) and their gates; the scan
log with filters; the offline conflicts to acknowledge; and the live attendance page, whose figures
htmx reloads every few seconds (a plain link pauses it, for WCAG 2.2.2). Changes go through
``services``; a form with errors is shown again with everything typed.
"""

from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from majlis.core.forms import add_service_errors
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries, services
from .forms_manage import GateForm, ScanFilterForm, ZoneForm
from .models import Gate, Scan, Zone

LOG_PAGE_SIZE = 50
LIVE_SECONDS = 5


def url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"gates:{name}", kwargs={"event": event.slug, **kwargs})


def _render(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"event": event, "section": "manage", **context}
    return render(request, f"gates/manage/{template}", context, status=status)


def _zone(event: Event, pk: int) -> Zone:
    zone = Zone.objects.filter(event=event, pk=pk).first()
    if zone is None:
        raise Http404("No such zone.")
    return zone


def _gate(event: Event, pk: int) -> Gate:
    gate = Gate.objects.select_related("zone").filter(zone__event=event, pk=pk).first()
    if gate is None:
        raise Http404("No such gate.")
    return gate


# --- Zones ---------------------------------------------------------------------------------------


def _zones_page(request: HttpRequest, event: Event, form: ZoneForm, status: int = 200) -> HttpResponse:
    zones = list(Zone.objects.filter(event=event).select_related("room").prefetch_related("categories", "gates"))
    context = {"manage_section": "zones", "zones": zones, "form": form}
    return _render(request, "zones.html", event, context, status=status)


def _save_zone(request: HttpRequest, form: ZoneForm) -> Zone | None:
    if not form.is_valid():
        return None
    zone = form.save(commit=False)
    try:
        return services.save_zone(
            zone,
            categories=form.cleaned_data["categories"],
            actor=request.user,
            request=request,
            changed=form.changed_data,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@event_view("gates.manage")
def zones(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """The event's zones and their gates, and a form to add a zone."""
    if request.method == "POST":
        form = ZoneForm(request.POST, instance=Zone(event=event_obj), event=event_obj)
        zone = _save_zone(request, form)
        if zone is not None:
            messages.success(request, _("The zone “%(name)s” is added: now give it its gates.") % {"name": zone.name})
            return redirect(url("zone", event_obj, pk=zone.pk))
        return _zones_page(request, event_obj, form, status=400)
    return _zones_page(request, event_obj, ZoneForm(event=event_obj))


def _zone_page(
    request: HttpRequest,
    event: Event,
    zone: Zone,
    *,
    form: ZoneForm | None = None,
    gate_form: GateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "manage_section": "zones",
        "zone": zone,
        "form": form or ZoneForm(instance=zone, event=event),
        "gate_form": gate_form or GateForm(),
        "gates": list(zone.gates.all()),
        "deletion_refusal": services.zone_deletion_refusal(zone),
    }
    return _render(request, "zone.html", event, context, status=status)


@event_view("gates.manage")
def zone_edit(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    zone = _zone(event_obj, pk)
    if request.method == "POST":
        form = ZoneForm(request.POST, instance=zone, event=event_obj)
        if _save_zone(request, form) is not None:
            messages.success(request, _("The zone is saved."))
            return redirect(url("zone", event_obj, pk=zone.pk))
        return _zone_page(request, event_obj, _zone(event_obj, pk), form=form, status=400)
    return _zone_page(request, event_obj, zone)


@require_POST
@event_view("gates.manage")
def zone_delete(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    zone = _zone(event_obj, pk)
    try:
        services.delete_zone(zone, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url("zone", event_obj, pk=zone.pk))
    messages.success(request, _("The zone “%(name)s” is deleted.") % {"name": zone.name})
    return redirect(url("zones", event_obj))


# --- Gates ---------------------------------------------------------------------------------------


@require_POST
@event_view("gates.manage")
def gate_add(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    zone = _zone(event_obj, pk)
    form = GateForm(request.POST, instance=Gate(zone=zone))
    if form.is_valid():
        try:
            gate = services.save_gate(
                form.save(commit=False), actor=request.user, request=request, changed=form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The gate “%(name)s” is added.") % {"name": gate.name})
            return redirect(url("zone", event_obj, pk=zone.pk))
    return _zone_page(request, event_obj, zone, gate_form=form, status=400)


@event_view("gates.manage")
def gate_edit(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    gate = _gate(event_obj, pk)
    status = 200
    if request.method == "POST":
        form = GateForm(request.POST, instance=gate)
        if form.is_valid():
            try:
                services.save_gate(
                    form.save(commit=False), actor=request.user, request=request, changed=form.changed_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The gate is saved."))
                return redirect(url("zone", event_obj, pk=gate.zone_id))
        status = 400
        gate = _gate(event_obj, pk)  # the form changed the instance's fields
    else:
        form = GateForm(instance=gate)
    context = {"manage_section": "zones", "gate": gate, "form": form}
    return _render(request, "gate.html", event_obj, context, status=status)


@require_POST
@event_view("gates.manage")
def gate_delete(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    gate = _gate(event_obj, pk)
    try:
        services.delete_gate(gate, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The gate “%(name)s” is deleted.") % {"name": gate.name})
    return redirect(url("zone", event_obj, pk=gate.zone_id))


# --- The scan log and the conflicts --------------------------------------------------------------


def _page_of(request: HttpRequest, scans: Any) -> Any:
    page = Paginator(scans, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    for scan in page.object_list:
        scan.reason_label = services.refusal_message(scan.reason)
        scan.conflict_label = services.conflict_message(scan)
    return page


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(key, value) for key, value in request.GET.items() if key != "page"])


@require_GET
@event_view("gates.manage")
def scan_log(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Every scan, newest first, filtered by zone, gate, result, direction, reason, conflicts, manual admissions."""
    zones_list = list(Zone.objects.filter(event=event_obj).prefetch_related("gates"))
    form = ScanFilterForm(request.GET or None, event=event_obj, zones=zones_list)
    scans = form.apply(queries.scan_log(event_obj)) if request.GET else queries.scan_log(event_obj)
    context = {
        "manage_section": "scans",
        "filter_form": form,
        "page": _page_of(request, scans),
        "query": _query_without_page(request),
    }
    return _render(request, "scans.html", event_obj, context)


@require_GET
@event_view("gates.manage")
def conflicts(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Offline scans the server would have decided otherwise: those not yet acknowledged first."""
    show_all = request.GET.get("all") == "1"
    found = (
        queries.conflicts(event_obj)
        if show_all
        else queries.conflicts(event_obj).filter(conflict_acknowledged_at__isnull=True)
    )
    context = {
        "manage_section": "conflicts",
        "page": _page_of(request, found),
        "show_all": show_all,
        "query": "all=1" if show_all else "",
        "waiting": queries.unacknowledged_conflicts(event_obj).count(),
    }
    return _render(request, "conflicts.html", event_obj, context)


@require_POST
@event_view("gates.manage")
def conflict_acknowledge(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    scan = Scan.objects.filter(event=event_obj, pk=pk).exclude(conflict="").first()
    if scan is None:
        raise Http404("No such conflict.")
    services.acknowledge_conflict(scan, actor=request.user, request=request, note=request.POST.get("note", ""))
    messages.success(request, _("The conflict is marked as seen."))
    return redirect(url("conflicts", event_obj))


# --- Live attendance -----------------------------------------------------------------------------


def _htmx_login(view: Any) -> Any:
    """A poll whose session has expired sends the whole page to the login page (nothing is swapped in)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("HX-Request") == "true":
            back = reverse("gates:live", kwargs={"event": kwargs.get("event", "")})
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _live_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    paused = request.GET.get("paused") == "1"
    return {
        "manage_section": "live",
        "figures": queries.attendance(event),
        "paused": paused,
        "poll_seconds": LIVE_SECONDS,
        "minutes": queries.LIVE_MINUTES,
        "chart_width": queries.LIVE_MINUTES * 4,
    }


@require_GET
@event_view("gates.manage")
def live(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Live attendance; the figures refresh every few seconds without reloading the page."""
    return _render(request, "live.html", event_obj, _live_context(request, event_obj))


@_htmx_login
@require_GET
@event_view("gates.manage")
def live_figures(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """The figures alone, for htmx to swap in."""
    return _render(request, "_live_figures.html", event_obj, _live_context(request, event_obj))
