"""The organisers' registration set-up, under /<lang>/<event>/manage/: what keeps registration from
opening (with a link to each fix), the registration switch and dates (of the event and of each
category), the nomination deadline, capacity and data retention, and invitation codes.

Holders of ``accreditation.manage`` (publishing the event: ``event.manage``); every change goes
through ``services.py`` (transactional, audited). Times are shown and typed in the event's time zone.
An invitation code is shown once, in the answer to the request that created it: only its hash is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from majlis.events import services as event_services
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries, services
from .forms import add_service_errors
from .forms_setup import InvitationCodeForm, RegistrationSettingsForm
from .models import AccreditationSettings, EventCapacity, InvitationCode

NAMESPACE = "events:accreditation-setup"


def setup_url(name: str, event: Event, anchor: str = "", **kwargs: Any) -> str:
    url = reverse(f"{NAMESPACE}:{name}", kwargs={"event": event.slug, **kwargs})
    return f"{url}#{anchor}" if anchor else url


def _when(value: Any, event: Event) -> str:
    return formats.date_format(timezone.localtime(value, event.tz), "j E Y, H:i")


def setup_problems(event: Event, now: Any = None) -> list[dict[str, Any]]:
    """What keeps the public from registering, each with what to do and a link to where to do it."""
    now = now or timezone.now()
    settings_row = AccreditationSettings.objects.filter(event=event).first()
    page = "registration"
    problems = []
    for code in queries.registration_problems(event, now):
        url = setup_url(page, event, "settings")
        if code == "past":
            message, url = _("The conference has ended: registration is closed for good."), ""
        elif code == "not_published":
            message, url = (
                _("The conference is a draft: publish it so that the public can see it."),
                setup_url(page, event, "publish"),
            )
        elif code == "no_settings":
            message = _("Registration has not been set up yet: save the settings below.")
        elif code == "switched_off":
            message, url = _("Registration is switched off."), setup_url(page, event, "id_registration_open")
        elif code == "not_open_yet" and settings_row is not None:
            message = _("Registration opens only on %(when)s.") % {
                "when": _when(settings_row.registration_opens_at, event)
            }
            url = setup_url(page, event, "id_registration_opens_at")
        elif code == "closed_by_date" and settings_row is not None:
            message = _("Registration closed on %(when)s.") % {
                "when": _when(settings_row.registration_closes_at, event)
            }
            url = setup_url(page, event, "id_registration_closes_at")
        elif code == "no_privacy_notice":
            message = _("There is no privacy notice: applicants must accept one before they apply.")
            url = setup_url(page, event, "privacy-notice")
        elif code == "no_open_category":
            message = _(
                "No category is open to individual applicants now: only holders of an invitation code can apply."
            )
            url = setup_url(page, event, "categories")
        elif code == "no_capacity":
            message = _("No in-person capacity is set: approvals will not be limited by seats.")
            url = setup_url(page, event, "id_in_person_capacity")
        else:  # pragma: no cover - every code is handled above
            continue
        problems.append({"code": code, "message": message, "url": url, "blocks": code in queries.REGISTRATION_BLOCKERS})
    return problems


def _render(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"event": event, "section": "manage", **context}
    return render(request, f"accreditation/setup/{template}", context, status=status)


# --- Registration settings -------------------------------------------------------------------------


def _settings_page(request: HttpRequest, event: Event, form: RegistrationSettingsForm, status: int = 200):
    return _render(
        request,
        "registration.html",
        event,
        {
            "setup_section": "registration",
            "form": form,
            "problems": setup_problems(event),
            "state": queries.registration_state(event),
            "privacy_notice": services.current_privacy_notice(event),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@event_view("accreditation.manage")
def registration_settings(request: HttpRequest, event_obj: Event) -> HttpResponse:
    event = event_obj
    categories = list(queries.categories(event))
    settings_row = AccreditationSettings.objects.filter(event=event).first() or AccreditationSettings(event=event)
    capacity_row = EventCapacity.objects.filter(event=event).first()
    initial = RegistrationSettingsForm.initial_for(settings_row, capacity_row)
    if request.method != "POST":
        return _settings_page(request, event, RegistrationSettingsForm(initial=initial, categories=categories))
    form = RegistrationSettingsForm(request.POST, initial=initial, categories=categories)
    if not form.is_valid():
        return _settings_page(request, event, form)
    try:
        with transaction.atomic():
            services.update_registration_settings(event, data=form.settings_data(), actor=request.user, request=request)
            new_capacity = form.cleaned_data["in_person_capacity"]
            if (capacity_row.in_person_capacity if capacity_row else None) != new_capacity:
                services.set_capacity(event, in_person_capacity=new_capacity, actor=request.user, request=request)
            for category in categories:
                prefix = f"category-{category.pk}"
                try:
                    services.set_category_registration(
                        category,
                        self_registration=form.cleaned_data[f"{prefix}-self_registration"],
                        opens_at=form.cleaned_data[f"{prefix}-opens_at"],
                        closes_at=form.cleaned_data[f"{prefix}-closes_at"],
                        actor=request.user,
                        request=request,
                    )
                except ValidationError as error:
                    form.add_error(f"{prefix}-closes_at", error)
                    raise
    except ValidationError as error:
        if not form.errors:
            add_service_errors(form, error)
        return _settings_page(request, event, form)
    messages.success(request, _("The registration settings are saved."))
    return redirect(setup_url("registration", event))


@require_POST
@event_view("event.manage")
def publish(request: HttpRequest, event_obj: Event) -> HttpResponse:
    try:
        event_services.publish_event(event_obj, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The conference is published: its pages are public now."))
    return redirect(setup_url("registration", event_obj))


@require_POST
@event_view("accreditation.manage")
def privacy_notice(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Create the standard privacy notice (in three languages) for an event that has none."""
    if services.create_default_privacy_notice(event_obj, actor=request.user, request=request) is None:
        messages.info(request, _("The conference already has a privacy notice."))
    else:
        messages.success(request, _("The standard privacy notice is in place; you can adapt it in the back office."))
    return redirect(setup_url("registration", event_obj, "privacy-notice"))


# --- Invitation codes ------------------------------------------------------------------------------


def _codes_page(
    request: HttpRequest, event: Event, form: InvitationCodeForm, *, new_code: str = "", status: int = 200
) -> HttpResponse:
    now = timezone.now()
    codes = list(
        InvitationCode.objects.filter(category__event=event).select_related("category").order_by("-created_at", "-pk")
    )
    rows = [{"invitation": code, "state": code.state(now)} for code in codes]
    response = _render(
        request,
        "invitation_codes.html",
        event,
        {
            "setup_section": "codes",
            "form": form,
            "rows": rows,
            "new_code": new_code,
            "register_url": reverse("accreditation:register", kwargs={"event": event.slug}),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("accreditation.manage")
def invitation_codes(request: HttpRequest, event_obj: Event) -> HttpResponse:
    event = event_obj
    if request.method != "POST":
        return _codes_page(request, event, InvitationCodeForm(event=event))
    form = InvitationCodeForm(request.POST, event=event)
    if not form.is_valid():
        return _codes_page(request, event, form)
    try:
        _invitation, code = services.create_invitation_code(
            form.cleaned_data["category"],
            label=form.cleaned_data["label"],
            max_uses=form.cleaned_data["max_uses"],
            expires_at=form.cleaned_data["expires_at"],
            actor=request.user,
            request=request,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _codes_page(request, event, form)
    # Shown in this answer only (never stored in the session or a message): the hash cannot give it back.
    return _codes_page(request, event, InvitationCodeForm(event=event), new_code=code)


@require_POST
@event_view("accreditation.manage")
def revoke_invitation_code(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    invitation = InvitationCode.objects.filter(pk=pk, category__event=event_obj).select_related("category").first()
    if invitation is None:
        raise Http404("No such invitation code.")
    try:
        services.revoke_invitation_code(invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation code “%(label)s” is revoked.") % {"label": invitation})
    return redirect(setup_url("invitation-codes", event_obj))
