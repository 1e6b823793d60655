"""The organisers' participant pages, under /<lang>/<event>/manage/participants/.

Each page names the capability it needs (``events.access.event_view``): ``accreditation.view`` to
look, ``accreditation.decide`` to decide, ``accreditation.mail`` for e-mails; organisers hold them
all, accreditation and security officers some (``events.rules.ROLE_CAPABILITIES``). Others get 403,
anonymous visitors are sent to log in. The list, the exports and the API share ``queries.participants``; every decision
goes through ``services.bulk_transition``. Passport numbers are masked everywhere: a holder of
``accreditation.view_passports`` in the event (a security officer) may reveal one with a POST, which is audited.
Looking at the list or at one application writes an audit entry too (every view of personal data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from majlis.core import audit
from majlis.core.countries import country_name
from majlis.core.models import AuditEntry
from majlis.events.access import event_view
from majlis.events.models import Event

from . import exports, notifications, queries, services, stats, workflow
from .forms import add_service_errors
from .models import Application, Mode, SessionInvitation
from .services import participants as services_participants

View = Callable[..., HttpResponse]
NAMESPACE = "events:accreditation-manage"
PER_PAGE = 50
FAILED_MAIL_SHOWN = 20

BULK_ACTIONS = [(name, workflow.TRANSITIONS[name].label) for name in workflow.DECISIONS]
ACTIONS_NEEDING_A_REASON = {"reject", "withdraw"}


def manage_url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"{NAMESPACE}:{name}", kwargs={"event": event.slug, **kwargs})


def _render(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"event": event, "section": "manage", **context}
    return render(request, f"accreditation/manage/{template}", context, status=status)


# --- Forms -------------------------------------------------------------------------------------


class ParticipantFilterForm(forms.Form):
    """The filters of the list, read from the query string. Choices come from the event."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None)
    delegation = forms.TypedChoiceField(label=gettext_lazy("Delegation"), required=False, coerce=int, empty_value=None)
    nationality = forms.ChoiceField(label=gettext_lazy("Nationality"), required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Participation"), required=False)
    session = forms.TypedChoiceField(label=gettext_lazy("Session"), required=False, coerce=int, empty_value=None)
    visa_letter = forms.ChoiceField(
        label=gettext_lazy("Visa-support letter"),
        required=False,
        choices=[("", gettext_lazy("any")), ("yes", gettext_lazy("asked for or issued")), ("no", gettext_lazy("none"))],
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Names in any script, organisation or e-mail.")
        anything: list[tuple[Any, str]] = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["status"].choices = anything + list(Application.Status.choices)
        fields["category"].choices = anything + [(c.pk, c.name) for c in queries.categories(event)]
        fields["delegation"].choices = anything + [(d.pk, str(d.organisation)) for d in queries.delegations(event)]
        fields["nationality"].choices = anything + sorted(
            ((code, country_name(code) or code) for code in queries.nationalities(event)), key=lambda c: c[1]
        )
        fields["mode"].choices = anything + list(Mode.choices)
        fields["session"].choices = anything + [(s.pk, s.title) for s in queries.sessions_with_seats(event)]

    def filters(self) -> queries.ParticipantFilter:
        """The valid filters; an invalid one (an unknown id in an old link) is left out and shown as an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.ParticipantFilter(
            status=[data["status"]] if data.get("status") else [],
            category=data.get("category"),
            delegation=data.get("delegation"),
            nationality=data.get("nationality") or "",
            mode=data.get("mode") or "",
            session=data.get("session"),
            visa_letter=data.get("visa_letter") or "",
            q=(data.get("q") or "").strip(),
        )


class BulkActionForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Applications"),
        queryset=Application.objects.none(),
        error_messages={"required": gettext_lazy("Select at least one application.")},
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=BULK_ACTIONS)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required to reject or withdraw. The participant receives it by e-mail."),
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        applications: Any = self.fields["applications"]
        applications.queryset = Application.objects.filter(event=event)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") in ACTIONS_NEEDING_A_REASON and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the participant is told why."))
        return cleaned


class SessionInvitationForm(forms.Form):
    """An organiser invites one participant to a session by hand (any access rule)."""

    session = forms.TypedChoiceField(
        label=gettext_lazy("Session"),
        coerce=int,
        empty_value=None,
        error_messages={"required": gettext_lazy("Choose the session to invite this person to.")},
        help_text=gettext_lazy(
            "The person gets a seat even in a session by invitation or reserved for other categories, "
            "if there is room (otherwise a place on its waiting list), and is told by e-mail."
        ),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {session.pk: session for session in queries.sessions_to_invite_to(application)}
        field: Any = self.fields["session"]
        field.choices = [("", _("Choose a session"))] + [
            (pk, _session_choice_label(session)) for pk, session in self.sessions.items()
        ]

    def chosen_session(self) -> Any:
        return self.sessions[self.cleaned_data["session"]]


def _session_choice_label(session: Any) -> str:
    starts = timezone.localtime(session.starts_at)
    return f"{session.title} — {starts:%d.%m.%Y %H:%M} ({session.get_access_display()})"


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", gettext_lazy("Excel (XLSX)")), ("csv", gettext_lazy("CSV"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    include_passport = forms.BooleanField(
        label=gettext_lazy("Include passport data (number, expiry date, issuing country)"),
        required=False,
        help_text=gettext_lazy("Only when really needed, for example for the host country's security services."),
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


def _list_query(query: str) -> str:
    """A list query string from a form field, re-encoded (never a URL of its own)."""
    data = QueryDict(query or "")
    allowed = {name: data.getlist(name) for name in ParticipantFilterForm.base_fields if data.getlist(name)}
    return urlencode(allowed, doseq=True)


# --- The list ------------------------------------------------------------------------------------


@require_GET
@event_view("accreditation.view")
def participant_list(request: HttpRequest, event_obj: Event) -> HttpResponse:
    event = event_obj
    filter_form = ParticipantFilterForm(request.GET or None, event=event)
    filters = filter_form.filters() if request.GET else queries.ParticipantFilter()
    page = Paginator(queries.participants(event, filters), PER_PAGE).get_page(request.GET.get("page"))
    for application in page.object_list:
        application.event = event  # one event object: its reference prefix is read once for the page
        application.nationality_name = country_name(application.nationality) or application.nationality  # type: ignore[attr-defined]
    query = _list_query(request.GET.urlencode())
    audit.record(
        "accreditation.participants_listed",
        request=request,
        event_slug=event.slug,
        filters=filters.as_dict(),
        page=page.number,
        rows=len(page.object_list),
    )
    failed = queries.failed_notifications(event)
    return _render(
        request,
        "participants.html",
        event,
        {
            "manage_section": "list",
            "filter_form": filter_form,
            "filters": filters,
            "page": page,
            "query": query,
            "bulk_form": BulkActionForm(event=event, initial={"query": query}),
            "export_form": ExportForm(initial={"query": query}),
            "may_see_passports": exports.may_see_passports(request.user, event_obj),
            "failed_mail": list(failed[:FAILED_MAIL_SHOWN]),
            "failed_mail_count": failed.count(),
        },
    )


@require_POST
@event_view("accreditation.decide")
def bulk_action(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Approve, waitlist, start the review of, reject or withdraw the chosen applications; say how each went."""
    event = event_obj
    form = BulkActionForm(request.POST, event=event)
    query = _list_query(request.POST.get("query", ""))
    back = manage_url("list", event) + (f"?{query}" if query else "")
    if not form.is_valid():
        return _render(
            request,
            "bulk_result.html",
            event,
            {"manage_section": "list", "form": form, "results": [], "back": back},
            status=400,
        )
    action = form.cleaned_data["action"]
    chosen = list(form.cleaned_data["applications"].select_related("category").order_by("family_name", "pk"))
    outcome = services.bulk_transition(
        chosen, action, actor=request.user, reason=form.cleaned_data["reason"].strip(), request=request
    )
    fresh = queries.participants(event).in_bulk([application.pk for application, _error in outcome])
    results = [{"application": fresh[application.pk], "error": error} for application, error in outcome]
    failures = sum(1 for item in results if item["error"])
    done = len(results) - failures
    if done:
        messages.success(
            request,
            _("%(action)s: done for %(count)d of %(total)d applications.")
            % {"action": dict(BULK_ACTIONS)[action], "count": done, "total": len(results)},
        )
    if failures:
        messages.warning(
            request,
            _("%(count)d applications could not be changed; see the reasons below.") % {"count": failures},
        )
    if action == "approve":
        from .services.delegation_tools import uncleared_count

        uncleared = uncleared_count(item["application"] for item in results if not item["error"])
        if uncleared:
            messages.warning(
                request,
                ngettext(
                    "%(count)d approved delegation member has no security clearance yet.",
                    "%(count)d approved delegation members have no security clearance yet.",
                    uncleared,
                )
                % {"count": uncleared},
            )
    return _render(
        request,
        "bulk_result.html",
        event,
        {"manage_section": "list", "form": None, "results": results, "back": back, "action": action},
    )


# --- One application -----------------------------------------------------------------------------


def _file_url(name: str, application: Application) -> str | None:
    try:
        return reverse(f"accreditation-files:{name}", kwargs={"application": application.pk})
    except NoReverseMatch:  # the file views are not installed
        return None


def _detail_page(
    request: HttpRequest,
    event: Event,
    application: Application,
    *,
    passport_number: str | None = None,
    invitation_form: SessionInvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = AuditEntry.objects.filter(object_type=Application._meta.label, object_id=str(application.pk)).order_by(
        "at", "id"
    )
    response = _render(
        request,
        "participant_detail.html",
        event,
        {
            "manage_section": "list",
            "application": application,
            "nationality": country_name(application.nationality) or application.nationality,
            "passport_country": country_name(application.passport_country) if application.passport_country else "",
            "has_passport_number": bool(application.passport_number_encrypted),
            "passport_number": passport_number,
            "may_see_passports": exports.may_see_passports(request.user, event),
            "photo_url": _file_url("photo", application) if application.photo else None,
            "document_url": _file_url("document", application) if application.supporting_document else None,
            "history": history,
            "may_have_visa_letter": services_participants.may_have_visa_letter(application),
            "visa_letter": getattr(application, "visa_letter", None),
            "waitlist_position": services_participants.waitlist_position(application),
            "bulk_form": BulkActionForm(event=event),
            "invitation_form": invitation_form or SessionInvitationForm(application=application),
            "invitations": SessionInvitation.objects.filter(application=application)
            .select_related("session", "invited_by")
            .order_by("session__starts_at", "session_id"),
            "back": manage_url("list", event),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _application(event: Event, pk: int) -> Application:
    application = queries.participant(event, pk)
    if application is None:
        raise Http404("No such application.")
    return application


@require_GET
@never_cache
@event_view("accreditation.view")
def participant_detail(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    application = _application(event_obj, pk)
    # Every look at a person's data is on record (the passport number has its own entry when revealed).
    audit.record("accreditation.application_viewed", request=request, obj=application, event_slug=event_obj.slug)
    return _detail_page(request, event_obj, application)


@require_POST
@never_cache
@event_view("accreditation.view_passports")
def passport_reveal(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """Show one passport number, to organisers with the permission; the service writes the audit entry."""
    if not exports.may_see_passports(request.user, event_obj):
        raise PermissionDenied
    application = _application(event_obj, pk)
    number = services.passport_number(application, actor=request.user, request=request)
    return _detail_page(request, event_obj, application, passport_number=number or "")


@require_POST
@never_cache
@event_view("accreditation.decide")
def session_invite(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """Invite the participant to a session by hand (``services.invite_to_session``: audited, mailed)."""
    application = _application(event_obj, pk)
    form = SessionInvitationForm(request.POST, application=application)
    if form.is_valid():
        session = form.chosen_session()
        try:
            seat = services.invite_to_session(application, session, actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited to “%(session)s” (seat: %(status)s).")
                % {"name": application.full_name, "session": session.title, "status": seat.get_status_display()},
            )
            return redirect(manage_url("detail", event_obj, pk=application.pk))
    return _detail_page(request, event_obj, application, invitation_form=form, status=400)


@require_POST
@never_cache
@event_view("accreditation.decide")
def session_invitation_withdraw(request: HttpRequest, event_obj: Event, pk: int, session: int) -> HttpResponse:
    """Withdraw an invitation to a session; a seat the person is then not eligible for is released."""
    application = _application(event_obj, pk)
    invitation = (
        SessionInvitation.objects.filter(application=application, session_id=session).select_related("session").first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        services.withdraw_session_invitation(application, invitation.session, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation of %(name)s to “%(session)s” is withdrawn.")
            % {"name": application.full_name, "session": invitation.session.title},
        )
    return redirect(manage_url("detail", event_obj, pk=application.pk))


# --- Exports -------------------------------------------------------------------------------------


@require_POST
@event_view("accreditation.view")
def export(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """The filtered list as CSV or XLSX. POST (with CSRF): an export is an audited access to personal data."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose CSV or XLSX for the export."))
        return participant_list_redirect(event_obj, request.POST.get("query", ""))
    include_passport = form.cleaned_data["include_passport"]
    if include_passport and not exports.may_see_passports(request.user, event_obj):
        raise PermissionDenied
    filter_form = ParticipantFilterForm(QueryDict(form.cleaned_data["query"] or ""), event=event_obj)
    return exports.export(
        event_obj,
        filter_form.filters(),
        form.cleaned_data["format"],
        actor=request.user,
        include_passport=include_passport,
        request=request,
    )


def participant_list_redirect(event: Event, query: str) -> HttpResponse:
    query = _list_query(query)
    return redirect(manage_url("list", event) + (f"?{query}" if query else ""))


# --- Statistics ----------------------------------------------------------------------------------


@require_GET
@event_view("accreditation.view")
def statistics(request: HttpRequest, event_obj: Event) -> HttpResponse:
    figures = stats.statistics(event_obj)
    return _render(request, "statistics.html", event_obj, {"manage_section": "statistics", "stats": figures})


# --- Failed e-mails ------------------------------------------------------------------------------


@require_POST
@event_view("accreditation.mail")
def retry_mail(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """Queue a failed e-mail of this event again (it keeps its key: it is still never sent twice)."""
    notification = queries.failed_notifications(event_obj).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such failed e-mail.")
    try:
        notifications.retry_notification(notification, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The e-mail to %(recipient)s is queued again.") % {"recipient": notification.recipient}
        )
    return participant_list_redirect(event_obj, request.POST.get("query", ""))
