"""Mass e-mail from the organisers to a filtered list of participants: write, preview, confirm, follow.

Under /<lang>/<event>/manage/participants/mass-mail/ (``accreditation.mail``). The
recipients are the participant list with the same filters (``queries.participants``). The organiser
writes the subject and message per language (English required, the others fall back to it), sees the
message as one real recipient will receive it, in that person's language, then confirms the number of
recipients; ``services_participants.send_mailing`` queues one e-mail per recipient through the outbox.
The progress page polls with htmx (no inline script) and can simply be reloaded without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from majlis.core import audit, outbox
from majlis.core.models import OutboxMessage
from majlis.events.access import event_view
from majlis.events.models import Event

from . import notifications, queries
from .models import MassMailing
from .services import participants as services_participants
from .views_manage import ParticipantFilterForm, _list_query, _render, manage_url

PREVIEW_CHOICES = 50


class MassMailForm(forms.Form):
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            required = code == settings.LANGUAGE_CODE
            suffix = "" if required else " " + _("(empty: the English text is sent)")
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject in %(language)s") % {"language": name} + suffix,
                required=required,
                max_length=200,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": name} + suffix,
                required=required,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def texts(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "query"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code, _name in settings.LANGUAGES:
            subject, body = cleaned.get(f"subject_{code}", ""), cleaned.get(f"body_{code}", "")
            if bool((subject or "").strip()) != bool((body or "").strip()) and code != settings.LANGUAGE_CODE:
                missing = f"body_{code}" if subject else f"subject_{code}"
                self.add_error(missing, _("Write both the subject and the message in this language, or neither."))
        return cleaned

    def language_pairs(self) -> list[tuple[str, Any, Any]]:
        return [(str(name), self[f"subject_{code}"], self[f"body_{code}"]) for code, name in settings.LANGUAGES]


def _filters(event: Event, query: str) -> tuple[ParticipantFilterForm, queries.ParticipantFilter]:
    form = ParticipantFilterForm(QueryDict(query or ""), event=event)
    return form, form.filters() if query else queries.ParticipantFilter()


def _mailing(event: Event, pk: int) -> MassMailing:
    mailing = MassMailing.objects.filter(event=event, pk=pk).first()
    if mailing is None:
        raise Http404("No such mass e-mail.")
    return mailing


def _filter_summary(form: ParticipantFilterForm, filters: queries.ParticipantFilter) -> list[tuple[str, str]]:
    """The filters in words: (label, chosen value) pairs."""
    summary = []
    for name, value in filters.as_dict().items():
        field = form.fields.get(name)
        if field is None:
            continue
        values = value if isinstance(value, list) else [value]
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown = ", ".join(str(choices.get(str(item), item)) for item in values)
        summary.append((str(field.label), shown))
    return summary


@event_view("accreditation.mail")
def mailing_new(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Write the e-mail for the participants matching the list's filters."""
    event = event_obj
    query = _list_query(request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode())
    filter_form, filters = _filters(event, query)
    status = 200
    if request.method == "POST":
        form = MassMailForm(request.POST)
        if form.is_valid():
            try:
                mailing = services_participants.create_mailing(
                    event, texts=form.texts(), filters=filters, actor=request.user, request=request
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(manage_url("mass-mail-preview", event, pk=mailing.pk))
        status = 400
    else:
        form = MassMailForm(initial={"query": query})
    count = services_participants.mailing_recipients(event, filters).count()
    context = {
        "manage_section": "list",
        "form": form,
        "count": count,
        "summary": _filter_summary(filter_form, filters),
        "back": manage_url("list", event) + (f"?{query}" if query else ""),
    }
    return _render(request, "mass_mail_form.html", event, context, status=status)


def _preview(mailing: MassMailing, application: Any) -> dict[str, str]:
    """The e-mail exactly as ``application``'s person will receive it (nothing is saved or sent)."""
    notification = OutboxMessage(
        key=services_participants.mass_mail_key(mailing, application),
        event_id=mailing.event_id,
        related=outbox.related_key(application),
        recipient=application.email,
        language=application.language or "en",
        template=services_participants.MASS_MAIL_TEMPLATE,
        context={"application": application.pk, "mailing": mailing.pk},
    )
    message = notifications.build_message(notification)
    return {"subject": str(message.subject), "body": str(message.body), "language": notification.language}


@require_GET
@never_cache
@event_view("accreditation.mail")
def mailing_preview(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """The message as one real recipient receives it, and the confirmation with the number of recipients."""
    mailing = _mailing(event_obj, pk)
    if mailing.status != MassMailing.Status.DRAFT:
        return redirect(manage_url("mass-mail-progress", event_obj, pk=mailing.pk))
    recipients = services_participants.mailing_recipients(event_obj, services_participants.filters_of(mailing))
    count = recipients.count()
    choices = list(recipients[:PREVIEW_CHOICES])
    chosen = request.GET.get("recipient", "")
    sample = next((item for item in choices if str(item.pk) == chosen), choices[0] if choices else None)
    preview = _preview(mailing, sample) if sample is not None else None
    if sample is not None:
        audit.record(
            "accreditation.mass_mail_previewed",
            request=request,
            obj=mailing,
            event_slug=event_obj.slug,
            recipient=sample.pk,
        )
    context = {
        "manage_section": "list",
        "mailing": mailing,
        "count": count,
        "choices": choices,
        "sample": sample,
        "preview": preview,
        "back": manage_url("list", event_obj),
    }
    return _render(request, "mass_mail_preview.html", event_obj, context)


@require_POST
@event_view("accreditation.mail")
def mailing_send(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    mailing = _mailing(event_obj, pk)
    try:
        expected = int(request.POST.get("expected_count", ""))
    except ValueError:
        messages.error(request, _("Please confirm the number of recipients again."))
        return redirect(manage_url("mass-mail-preview", event_obj, pk=mailing.pk))
    try:
        count = services_participants.send_mailing(
            mailing, expected_count=expected, actor=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if mailing.status != MassMailing.Status.DRAFT or error.code == "sent":
            return redirect(manage_url("mass-mail-progress", event_obj, pk=mailing.pk))
        return redirect(manage_url("mass-mail-preview", event_obj, pk=mailing.pk))
    messages.success(
        request, ngettext("%(count)d e-mail is queued.", "%(count)d e-mails are queued.", count) % {"count": count}
    )
    return redirect(manage_url("mass-mail-progress", event_obj, pk=mailing.pk))


@require_GET
@never_cache
@event_view("accreditation.mail")
def mailing_progress(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """How many e-mails are sent; htmx asks for the fragment every few seconds until all are out."""
    mailing = _mailing(event_obj, pk)
    context = {
        "manage_section": "list",
        "mailing": mailing,
        "progress": services_participants.mailing_progress(mailing),
        "back": manage_url("list", event_obj),
    }
    if request.headers.get("HX-Request") == "true":
        return _render(request, "_mass_mail_progress.html", event_obj, context)
    return _render(request, "mass_mail_progress.html", event_obj, context)
