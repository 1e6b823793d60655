"""Visa-support letters: asked for and downloaded by the participant, issued and downloaded by organisers.

The participant's pages sit under /<lang>/account/applications/<pk>/visa-letter/ (their own
application only, any other number is a 404); the organisers' under the participant pages of the
event (issuing: ``accreditation.decide``, downloading: ``accreditation.view``). Every download
goes through ``services_participants.visa_letter_pdf``, which writes the audit entry (and reads the
passport number through the audited service, only when the participant agreed to have it in the
letter).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from majlis.core.files import content_disposition
from majlis.core.permissions import login_required
from majlis.events.access import event_view
from majlis.events.models import Event

from .models import Application, VisaLetter
from .services import participants as services_participants
from .views_account import _own_application
from .views_manage import _application, manage_url
from .views_register import render_event_page


class VisaLetterRequestForm(forms.Form):
    embassy = forms.CharField(
        label=gettext_lazy("Embassy or consulate where you apply for the visa"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "For example: Embassy of the Republic of Uzbekistan in Berlin. Empty: the letter is addressed "
            "“To whom it may concern”."
        ),
    )
    include_passport = forms.BooleanField(
        label=gettext_lazy("Print my passport number in the letter"),
        required=False,
        help_text=gettext_lazy(
            "Many consulates ask for it. Without your agreement the letter names you without the number."
        ),
    )


def _letter(application: Application) -> VisaLetter | None:
    return VisaLetter.objects.filter(application=application).first()


def _pdf_response(data: bytes, letter: VisaLetter) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    filename = "visa-letter-" + letter.reference.replace("/", "-") + ".pdf"
    response["Content-Disposition"] = content_disposition(filename, "attachment")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The participant ---------------------------------------------------------------------------


@login_required
@never_cache
def visa_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the letter (or change the choices made); shows the download once it is issued."""
    application = _own_application(request, pk)
    letter = _letter(application)
    refusal = services_participants.visa_letter_refusal(application)
    status = 200
    if request.method == "POST" and not refusal:
        form = VisaLetterRequestForm(request.POST)
        if form.is_valid():
            try:
                services_participants.request_visa_letter(
                    application,
                    include_passport=form.cleaned_data["include_passport"],
                    embassy=form.cleaned_data["embassy"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        for item in errors:
                            form.add_error(field if field in form.fields else None, item)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Your visa-support letter is ready to download."))
                return redirect("applications:visa-letter", pk=application.pk)
        status = 400
    else:
        initial = {"embassy": letter.embassy, "include_passport": letter.include_passport} if letter else {}
        form = VisaLetterRequestForm(initial=initial)
    context = {
        "application": application,
        "letter": letter,
        "form": form,
        "refusal": refusal,
        "has_passport": bool(application.passport_number_encrypted),
    }
    return render_event_page(request, "accreditation/account/visa_letter.html", application.event, context, status)


@require_GET
@login_required
@never_cache
def visa_letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    letter = _letter(application)
    if letter is None or letter.status != VisaLetter.Status.ISSUED:
        raise Http404("No visa-support letter.")
    try:
        data = services_participants.visa_letter_pdf(letter, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:visa-letter", pk=application.pk)
    return _pdf_response(data, letter)


# --- The organisers ----------------------------------------------------------------------------


@require_POST
@event_view("accreditation.decide")
def issue_visa_letter(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    application = _application(event_obj, pk)
    try:
        letter = services_participants.issue_visa_letter(application, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Visa-support letter %(reference)s is issued.") % {"reference": letter.reference})
    return redirect(manage_url("detail", event_obj, pk=application.pk))


@require_GET
@never_cache
@event_view("accreditation.view")
def download_visa_letter(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    application = _application(event_obj, pk)
    letter = _letter(application)
    if letter is None or letter.status != VisaLetter.Status.ISSUED:
        raise Http404("No visa-support letter.")
    try:
        data = services_participants.visa_letter_pdf(letter, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(manage_url("detail", event_obj, pk=application.pk))
    return _pdf_response(data, letter)
