"""The participant's own applications under /<lang>/account/applications/: see, edit, cancel, re-apply.

A participant sees only applications attached to their account; any other number is a 404 (the
same answer as for an application that does not exist). Passport numbers are never shown in clear
here: the last three characters are enough to recognise one's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from majlis.core.countries import country_name
from majlis.core.permissions import AuthenticatedHttpRequest, login_required

from . import photos, services, workflow
from .forms import ApplicationForm, add_service_errors, initial_from_application
from .models import Application, Mode, VisaLetter
from .services import participants as services_participants
from .services.passports import masked_passport_number
from .views_register import (
    REGISTERED_SESSION_KEY,
    allowed_pending,
    forget_pending,
    intended_sessions,
    remember_pending,
    render_event_page,
    submit_new_application,
)

Status = Application.Status


def _own_application(request: HttpRequest, pk: int) -> Application:
    """The user's own application, or 404 whether it belongs to someone else or does not exist."""
    return get_object_or_404(
        Application.objects.select_related("event", "category", "privacy_notice", "delegation__organisation"),
        pk=pk,
        user=request.user,
    )


def _edit_form(request: HttpRequest, application: Application, *args: Any) -> ApplicationForm:
    """The individual application form, or for a delegation member the form their focal point uses."""
    delegation = application.delegation  # None without a query when delegation_id is None
    if delegation is None:
        kwargs = _form_kwargs(request, application, categories=[application.category], application=application)
        if not args:
            kwargs["initial"] = initial_from_application(application)
        return ApplicationForm(*args, **kwargs)
    from .forms_delegations import MemberForm

    form = MemberForm(
        *args,
        event=application.event,
        delegation=delegation,
        application=application,
        allowed_pending=allowed_pending(request),
    )
    form.fields["consent"].label = _(
        "I have read the privacy notice above and agree that my data is processed as it describes."
    )
    return form


def may_reapply(application: Application) -> bool:
    if application.status != Status.REJECTED or application.delegation_id is not None:
        return False
    if application.event.phase() == "past":
        return False
    # One live application per person and event: a newer one makes re-applying pointless.
    return not services.live_applications(application.event).filter(user=application.user).exists()


def _form_kwargs(request: HttpRequest, basis: Application, **kwargs: Any) -> dict[str, Any]:
    return {
        "event": basis.event,
        "sessions": intended_sessions(basis.event),
        "privacy_notice": services.current_privacy_notice(basis.event),
        "allowed_pending": allowed_pending(request),
        **kwargs,
    }


def _photo_url(form: ApplicationForm, application: Application) -> str:
    if form.pending_photo is not None:
        return reverse(
            "accreditation:pending-photo", kwargs={"event": application.event.slug, "token": form.pending_photo.token}
        )
    return ""


@login_required
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = (
        Application.objects.filter(user=request.user)
        .select_related("event", "category")
        .order_by("-event__start_date", "-created_at", "-id")
    )
    return render(request, "accreditation/account/list.html", {"applications": applications})


@login_required
@never_cache
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    sessions = list(application.seats.select_related("session").order_by("session__starts_at", "session_id"))
    for seat in sessions:
        seat.waitlist_position = services_participants.session_waitlist_position(seat)  # type: ignore[attr-defined]
    context = {
        "application": application,
        "seats": sessions,
        "passport_masked": masked_passport_number(application),
        "may_reapply": may_reapply(application),
        "in_person": application.mode == Mode.IN_PERSON,
        "nationality": country_name(application.nationality),
        "passport_country": country_name(application.passport_country) if application.passport_country else "",
        "waitlist_position": services_participants.waitlist_position(application),
        "may_have_visa_letter": services_participants.may_have_visa_letter(application),
        "visa_letter": VisaLetter.objects.filter(application=application).first(),
    }
    return render_event_page(request, "accreditation/account/detail.html", application.event, context)


@sensitive_post_parameters("passport_number")
@login_required
@never_cache
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    if not workflow.can("edit", application, request.user):
        messages.error(request, _("This application can no longer be changed."))
        return redirect("applications:detail", pk=application.pk)
    with timezone.override(application.event.tz):
        if request.method == "POST":
            form = _edit_form(request, application, request.POST, request.FILES)
            if form.is_valid():
                from .forms_delegations import MemberForm

                was = application.status
                data = form.service_data() if isinstance(form, MemberForm) else form.application_data()
                try:
                    updated = services.update_application(application, data=data, actor=request.user, request=request)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    forget_pending(request, form)
                    if was in Status.decided() and updated.status == Status.UNDER_REVIEW:
                        messages.warning(
                            request,
                            _(
                                "Your changes are saved. Because they concern key data, the organisers will review "
                                "your application again."
                            ),
                        )
                    else:
                        messages.success(request, _("Your changes are saved."))
                    return redirect("applications:detail", pk=application.pk)
            remember_pending(request, form)
        else:
            form = _edit_form(request, application)
    context = {
        "form": form,
        "application": application,
        "notice": services.current_privacy_notice(application.event),
        "photo_preview_url": _photo_url(form, application),
        "decided": application.status in Status.decided(),
    }
    return render_event_page(request, "accreditation/account/edit.html", application.event, context)


@login_required
@never_cache
def application_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    if not workflow.can("cancel", application, request.user):
        messages.error(request, _("This application can no longer be cancelled."))
        return redirect("applications:detail", pk=application.pk)
    if request.method == "POST":
        try:
            services.cancel_application(application, actor=request.user, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your application has been cancelled."))
        return redirect("applications:detail", pk=application.pk)
    return render_event_page(
        request, "accreditation/account/cancel.html", application.event, {"application": application}
    )


@sensitive_post_parameters("passport_number")
@login_required
@never_cache
def application_reapply(request: HttpRequest, pk: int) -> HttpResponse:
    """A new application after a rejection, prefilled from the rejected one (its photo included)."""
    rejected = _own_application(request, pk)
    if not may_reapply(rejected):
        raise Http404("This application cannot be the basis of a new one.")
    event = rejected.event
    kwargs = _form_kwargs(request, rejected, categories=[rejected.category], code_category=rejected.category)
    with timezone.override(event.tz):
        if request.method == "POST":
            form = ApplicationForm(request.POST, request.FILES, initial={"email": rejected.email}, **kwargs)
            form.fields["email"].disabled = True  # the new application stays with this account's address
            if form.is_valid():
                application = submit_new_application(request, event, form, user=request.user)
                if application is not None:
                    request.session[REGISTERED_SESSION_KEY] = application.pk
                    messages.success(request, _("Your new application has been submitted."))
                    return redirect("applications:detail", pk=application.pk)
        else:
            initial = initial_from_application(rejected)
            kept = _keep_previous_photo(rejected)
            if kept is not None:
                initial["photo_token"] = kept.token
                kwargs["allowed_pending"] = {*kwargs["allowed_pending"], kept.name}
            form = ApplicationForm(initial=initial, **kwargs)
            form.fields["email"].disabled = True
        remember_pending(request, form)
    context = {
        "form": form,
        "previous": rejected,
        "notice": kwargs["privacy_notice"],
        "photo_preview_url": _photo_url(form, rejected),
    }
    return render_event_page(request, "accreditation/account/reapply.html", event, context)


def _keep_previous_photo(application: Application) -> photos.PendingFile | None:
    """The rejected application's photo, offered again so that it need not be uploaded a second time."""
    if not application.photo:
        return None
    try:
        with application.photo.open("rb") as handle:
            data = handle.read(photos.MAX_PHOTO_BYTES + 1)
        image = photos.normalise_photo(data)
    except (OSError, ValidationError):
        return None
    return photos.keep_pending("photo", photos.encode_jpeg(image, quality=92), "jpg", "photo.jpg")
