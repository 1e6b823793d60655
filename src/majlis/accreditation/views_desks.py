"""The organisers' page for accreditation desks and their address and letterhead, under
/<lang>/<event>/manage/participants/desks/ (organisers only). What is set here appears in the
approval e-mails (desks, hours, address) and on the visa-support letters (letterhead, signatory)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from majlis.events.access import event_view
from majlis.events.models import Event, Organisation

from .models import AccreditationDesk, OrganiserDetails
from .services import participants as services_participants
from .views_manage import _render, manage_url

CODES = [code for code, _name in settings.LANGUAGES]


def _per_language(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in CODES]


class DeskForm(forms.ModelForm):
    class Meta:
        model = AccreditationDesk
        fields = [*_per_language("location", "address", "opening_hours"), "position"]
        widgets = {f"opening_hours_{code}": forms.Textarea(attrs={"rows": 2}) for code in CODES}


class OrganiserDetailsForm(forms.ModelForm):
    class Meta:
        model = OrganiserDetails
        fields = [
            "organisation",
            *_per_language("address"),
            "phone",
            "email",
            "signatory_name",
            *_per_language("signatory_title"),
            "reference_prefix",
        ]
        widgets = {f"address_{code}": forms.Textarea(attrs={"rows": 3}) for code in CODES}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation: Any = self.fields["organisation"]
        organisation.queryset = Organisation.objects.filter(event_roles__event=event).distinct().order_by("name")


def _page(
    request: HttpRequest,
    event: Event,
    *,
    desk_form: DeskForm | None = None,
    details_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    details = OrganiserDetails.objects.filter(event=event).first() or OrganiserDetails(event=event)
    context = {
        "manage_section": "desks",
        "desks": services_participants.desks(event),
        "desk_form": desk_form or DeskForm(),
        "details_form": details_form or OrganiserDetailsForm(instance=details, event=event),
    }
    return _render(request, "desks.html", event, context, status=status)


@event_view("accreditation.manage")
def desks(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """The list of desks, a form to add one, and the organisers' address and letterhead."""
    if request.method == "POST":
        form = DeskForm(request.POST, instance=AccreditationDesk(event=event_obj))
        if form.is_valid():
            services_participants.save_desk(
                form.save(commit=False), changed=form.changed_data, actor=request.user, request=request
            )
            messages.success(request, _("The accreditation desk is added."))
            return redirect(manage_url("desks", event_obj))
        return _page(request, event_obj, desk_form=form, status=400)
    return _page(request, event_obj)


def _desk(event: Event, pk: int) -> AccreditationDesk:
    desk = AccreditationDesk.objects.filter(event=event, pk=pk).first()
    if desk is None:
        raise Http404("No such desk.")
    return desk


@event_view("accreditation.manage")
def desk_edit(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    desk = _desk(event_obj, pk)
    status = 200
    if request.method == "POST":
        form = DeskForm(request.POST, instance=desk)
        if form.is_valid():
            services_participants.save_desk(
                form.save(commit=False), changed=form.changed_data, actor=request.user, request=request
            )
            messages.success(request, _("The accreditation desk is saved."))
            return redirect(manage_url("desks", event_obj))
        status = 400
    else:
        form = DeskForm(instance=desk)
    context = {"manage_section": "desks", "desk": desk, "desk_form": form}
    return _render(request, "desk_edit.html", event_obj, context, status=status)


@require_POST
@event_view("accreditation.manage")
def desk_delete(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    services_participants.delete_desk(_desk(event_obj, pk), actor=request.user, request=request)
    messages.success(request, _("The accreditation desk is removed."))
    return redirect(manage_url("desks", event_obj))


@require_POST
@event_view("accreditation.manage")
def organiser_details(request: HttpRequest, event_obj: Event) -> HttpResponse:
    details = OrganiserDetails.objects.filter(event=event_obj).first() or OrganiserDetails(event=event_obj)
    form = OrganiserDetailsForm(request.POST, instance=details, event=event_obj)
    if form.is_valid():
        services_participants.save_organiser_details(
            form.save(commit=False), changed=form.changed_data, actor=request.user, request=request
        )
        messages.success(request, _("The organisers' address and letterhead are saved."))
        return redirect(manage_url("desks", event_obj))
    return _page(request, event_obj, details_form=form, status=400)
