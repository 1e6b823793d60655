"""Delegation pages: organisers invite delegations and decide; each focal point prepares their own.

Who holds ``accreditation.view`` in the event (organisers, accreditation and security officers)
sees every delegation of it; deciding needs ``accreditation.decide``, inviting
``accreditation.manage``. A focal point prepares only the delegation they are a focal point of
(``delegation.manage``, asked of the delegation; the event's accreditation managers hold it too):
anyone else asking for it is told it does not exist (404), so that nobody can even learn which
delegations are registered. Every change is one function of ``services.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from majlis.core import capabilities
from majlis.events import services as event_services
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries, services, workflow
from .delegation_order import in_protocol_order
from .forms import add_service_errors
from .forms_delegations import (
    DecisionForm,
    DelegationCategoriesForm,
    DelegationDocumentForm,
    DelegationPersonForm,
    HeadOfDelegationForm,
    InviteDelegationForm,
    MemberForm,
    MemberInvitationForm,
)
from .models import (
    Application,
    Delegation,
    DelegationDocument,
    DelegationMembership,
    SupportingDocument,
    Vetting,
)
from .services import delegation_tools as tools
from .views_register import allowed_pending, forget_pending, remember_pending

View = Callable[..., HttpResponse]
S = Application.Status


def _email_matches(user: Any, delegation: Delegation) -> bool:
    email = (getattr(user, "email", "") or "").strip().lower()
    return bool(email) and email == delegation.focal_point_email.strip().lower()


def _claimable(request: HttpRequest, event: Event) -> QuerySet[Delegation]:
    """Delegations of the event invited at the user's address that nobody has accepted yet."""
    email = (getattr(request.user, "email", "") or "").strip()
    if not email:
        return Delegation.objects.none()
    claimed = DelegationMembership.objects.filter(role=DelegationMembership.Role.FOCAL_POINT).values("delegation_id")
    return Delegation.objects.filter(event=event, focal_point_email__iexact=email).exclude(pk__in=claimed)


def _may_claim(request: HttpRequest, delegation: Delegation) -> bool:
    return _email_matches(request.user, delegation) and not delegation.is_claimed()


def _own_delegation(request: HttpRequest, event: Event, pk: int) -> Delegation | HttpResponse:
    """The delegation, when the user may prepare it (``delegation.manage``: its focal points and the
    event's accreditation managers); the invited person who has not accepted yet is sent to accept
    it (a GET never claims); everybody else is told it does not exist."""
    delegation = (
        Delegation.objects.select_related("event", "organisation", "default_category")
        .filter(event=event, pk=pk)
        .first()
    )
    if delegation is None:
        raise Http404("No such delegation.")
    if capabilities.has(request.user, "delegation.manage", delegation):
        return delegation
    if request.method == "GET" and _may_claim(request, delegation):
        return redirect("events:delegations:focal-accept", event=event.slug, pk=delegation.pk)
    raise Http404("No such delegation.")


def focal_point_view(view: View) -> View:
    """Who may prepare this very delegation only (``delegation.manage``); everybody else gets 404.

    The person invited at the delegation's address who has not accepted yet is sent to accept it
    (a GET never claims). The view is called with the ``Event`` and the ``Delegation``, inside the
    event's time zone.
    """

    @event_view(None, login=True)
    @wraps(view)
    def wrapper(request: HttpRequest, event: Event, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        delegation = _own_delegation(request, event, pk)
        if isinstance(delegation, HttpResponse):
            return delegation
        return view(request, event, delegation, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _render(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"event": event, "section": "delegations", **context}
    return render(request, f"accreditation/delegations/{template}", context, status=status)


def _service_error_message(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _members(delegation: Delegation) -> list[Application]:
    return list(
        delegation.members.select_related("event", "category", "vetting").order_by(
            "-is_head_of_delegation", "family_name", "given_names"
        )
    )


def _checklist(delegation: Delegation, documents: list[DelegationDocument], members: list[Application]) -> list[dict]:
    needed = services.required_delegation_document(delegation)
    active = [m for m in members if m.status not in S.gone()]
    return [
        {
            "done": any(document.kind == needed for document in documents),
            "label": _("Upload the note verbale.")
            if needed == SupportingDocument.NOTE_VERBALE
            else _("Upload the nomination letter."),
        },
        {"done": bool(active), "label": _("Nominate the members of the delegation.")},
        {
            "done": any(m.is_head_of_delegation for m in active),
            "label": _("Designate the head of delegation."),
        },
        {
            "done": delegation.status not in Delegation.Status.in_preparation(),
            "label": _("Submit the delegation to the organisers."),
        },
    ]


def _awaiting_own_data(member: Application) -> bool:
    """Invited to complete their own data (an account was made for them) and not done yet."""
    return member.status == S.DRAFT and member.user_id is not None and not member.nationality


# --- Organisers ----------------------------------------------------------------------------------


@event_view("accreditation.view")
def delegation_list(request: HttpRequest, event_obj: Event) -> HttpResponse:
    status = request.GET.get("status", "")
    delegations = (
        Delegation.objects.filter(event=event_obj)
        .select_related("organisation", "default_category")
        .annotate(
            members_total=Count("members", filter=~Q(members__status__in=S.gone()), distinct=True),
            members_approved=Count("members", filter=Q(members__status=S.APPROVED), distinct=True),
            members_pending=Count("members", filter=Q(members__status__in=S.pending()), distinct=True),
            members_waitlisted=Count("members", filter=Q(members__status=S.WAITLISTED), distinct=True),
            documents_total=Count("documents", distinct=True),
        )
        .order_by("organisation__name", "id")
    )
    counts = dict(Delegation.objects.filter(event=event_obj).values_list("status").annotate(n=Count("id")).order_by())
    if status in Delegation.Status.values:
        delegations = delegations.filter(status=status)
    else:
        status = ""
    filters = [
        {"value": value, "label": label, "count": counts.get(value, 0), "current": value == status}
        for value, label in Delegation.Status.choices
    ]
    return _render(
        request,
        "organiser_list.html",
        event_obj,
        {
            "delegations": in_protocol_order(delegations, event_obj),
            "filters": filters,
            "status": status,
            "total": sum(counts.values()),
            "manage_section": "list",
        },
    )


@require_http_methods(["GET", "POST"])
@event_view("accreditation.manage")
def delegation_invite(request: HttpRequest, event_obj: Event) -> HttpResponse:
    form = InviteDelegationForm(request.POST or None, event=event_obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                new_organisation = form.new_organisation_data()
                if new_organisation is not None:
                    organisation = event_services.create_organisation(
                        new_organisation, actor=request.user, event=event_obj, request=request
                    )
                else:
                    organisation = data["organisation"]
                delegation = services.invite_delegation(
                    event_obj,
                    organisation,
                    kind=data["kind"],
                    focal_point_email=data["focal_point_email"],
                    language=data["focal_point_language"],
                    actor=request.user,
                    default_category=data["default_category"],
                    categories=form.chosen_categories(),
                    member_limit=data["member_limit"],
                    request=request,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The delegation of %(name)s was created and its focal point was invited at %(email)s.")
                % {"name": delegation.organisation, "email": delegation.focal_point_email},
            )
            return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)
    return _render(
        request,
        "invite.html",
        event_obj,
        {"form": form, "manage_section": "invite"},
        status=400 if form.errors else 200,
    )


def _organiser_delegation(event: Event, pk: int) -> Delegation:
    delegation = (
        Delegation.objects.select_related("organisation", "default_category")
        .prefetch_related(Prefetch("documents", queryset=DelegationDocument.objects.select_related("uploaded_by")))
        .filter(event=event, pk=pk)
        .first()
    )
    if delegation is None:
        raise Http404("No such delegation.")
    return delegation


def _detail_page(
    request: HttpRequest,
    event: Event,
    delegation: Delegation,
    *,
    decision_form: DecisionForm | None = None,
    member_form: tuple[int, DecisionForm] | None = None,
    categories_form: DelegationCategoriesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    documents = list(delegation.documents.all())
    members = _members(delegation)
    credentials_approved = delegation.status == Delegation.Status.APPROVED
    rules = services.delegation_category_rules(delegation)
    rows = []
    for member in members:
        form = None
        # Members are decided once the credentials are approved (the workflow says so, the services refuse it);
        # who decides was checked by the page's decorator.
        if member_form and member_form[0] == member.pk:
            form = member_form[1]  # the decision just refused, with its errors
        elif workflow.can("approve", member, check_actor=False):
            form = DecisionForm(prefix=f"m{member.pk}")
        awaiting = _awaiting_own_data(member)
        rows.append(
            {
                "member": member,
                "form": form,
                "awaiting_own_data": awaiting,
                "vetting": tools.vetting_status(member),
                "last_invitation": tools.last_sending(tools.last_member_invitation(member)) if awaiting else None,
            }
        )
    can_decide = delegation.status == Delegation.Status.SUBMITTED
    return _render(
        request,
        "organiser_detail.html",
        event,
        {
            "delegation": delegation,
            "documents": documents,
            "rows": rows,
            "checklist": _checklist(delegation, documents, members),
            "decision_form": (decision_form or DecisionForm(allow_waitlist=False)) if can_decide else None,
            "credentials_approved": credentials_approved,
            "categories_form": categories_form or DelegationCategoriesForm(delegation=delegation, rules=rules),
            "category_rules": rules,
            "manage_section": "detail",
            "last_invitation": tools.last_invitation(delegation),
            "can_resend": delegation.status != Delegation.Status.APPROVED,
            "can_nominate": delegation.status in Delegation.Status.nomination_open(),
            "vetting_statuses": dict(Vetting.Status.choices),
        },
        status=status,
    )


@event_view("accreditation.view")
def delegation_detail(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    return _detail_page(request, event_obj, _organiser_delegation(event_obj, pk))


@require_POST
@event_view("accreditation.decide")
def delegation_decide(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    delegation = _organiser_delegation(event_obj, pk)
    form = DecisionForm(request.POST, allow_waitlist=False)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_delegation(delegation, actor=request.user, request=request)
                messages.success(request, _("The credentials of the delegation were approved."))
            else:
                services.reject_delegation(
                    delegation, actor=request.user, reason=form.cleaned_data["reason"], request=request
                )
                messages.success(request, _("The credentials of the delegation were rejected."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)
    return _detail_page(request, event_obj, delegation, decision_form=form, status=400)


@require_POST
@event_view("accreditation.decide")
def delegation_set_categories(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    delegation = _organiser_delegation(event_obj, pk)
    form = DelegationCategoriesForm(request.POST, delegation=delegation)
    if form.is_valid():
        categories, limits = form.rules()
        try:
            services.set_delegation_categories(
                delegation,
                categories=categories,
                category_limits=limits,
                default_category=form.cleaned_data["default_category"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The categories of the delegation's members were saved."))
            return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)
    return _detail_page(request, event_obj, delegation, categories_form=form, status=400)


@require_POST
@event_view("accreditation.decide")
def member_decide(request: HttpRequest, event_obj: Event, pk: int, member: int) -> HttpResponse:
    delegation = _organiser_delegation(event_obj, pk)
    application = delegation.members.filter(pk=member).first()
    if application is None:
        raise Http404("No such member.")
    form = DecisionForm(request.POST, prefix=f"m{application.pk}")
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "approve":
                application = services.approve_application(
                    application, actor=request.user, reason=reason, request=request
                )
                warning = tools.approval_warning(application)
                if warning and application.status == S.APPROVED:
                    messages.warning(request, warning)
            elif decision == "reject":
                services.reject_application(application, actor=request.user, reason=reason, request=request)
            else:
                services.waitlist_application(application, actor=request.user, reason=reason, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _("The application of %(name)s is now: %(status)s.")
                % {"name": application.full_name, "status": application.get_status_display()},
            )
            return redirect("events:delegations:detail", event=event_obj.slug, pk=delegation.pk)
    return _detail_page(request, event_obj, delegation, member_form=(application.pk, form), status=400)


# --- Focal points --------------------------------------------------------------------------------


@event_view(None, login=True)
def my_delegations(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Where the invitation link leads: the delegations the user acts for, and those they are invited
    to accept (accepting is a POST on the delegation's accept page)."""
    invitations = list(
        _claimable(request, event_obj).select_related("organisation").order_by("organisation__name", "id")
    )
    delegations = list(
        queries.delegations_of(request.user, DelegationMembership.Role.FOCAL_POINT, event=event_obj)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    if not delegations and not invitations:
        raise Http404("You are not the focal point of a delegation to this event.")
    if len(delegations) + len(invitations) == 1:
        name = "focal" if delegations else "focal-accept"
        return redirect(f"events:delegations:{name}", event=event_obj.slug, pk=(delegations or invitations)[0].pk)
    return _render(request, "mine.html", event_obj, {"delegations": delegations, "invitations": invitations})


@require_http_methods(["GET", "POST"])
@event_view(None, login=True)
def focal_accept(request: HttpRequest, event_obj: Event, pk: int) -> HttpResponse:
    """The invited focal point accepts the delegation: the GET asks, only the POST binds the account."""
    delegation = Delegation.objects.select_related("event", "organisation").filter(event=event_obj, pk=pk).first()
    if delegation is None:
        raise Http404("No such delegation.")
    if capabilities.has(request.user, "delegation.manage", delegation) and delegation.roles_of(request.user):
        return redirect("events:delegations:focal", event=event_obj.slug, pk=delegation.pk)
    if not _may_claim(request, delegation):
        raise Http404("No such delegation.")
    if request.method == "POST":
        try:
            services.claim_delegation(delegation, request.user)  # also gives the user the focal-point role
        except ValidationError as error:
            _service_error_message(request, error)
        else:
            messages.success(
                request,
                _("You are now the focal point of %(name)s.") % {"name": delegation.organisation},
            )
            return redirect("events:delegations:focal", event=event_obj.slug, pk=delegation.pk)
    return _render(request, "accept.html", event_obj, {"delegation": delegation})


def _focal_page(
    request: HttpRequest,
    event: Event,
    delegation: Delegation,
    *,
    upload_form: DelegationDocumentForm | None = None,
    head_form: HeadOfDelegationForm | None = None,
    person_form: DelegationPersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    documents = list(delegation.documents.order_by("-uploaded_at"))
    members = _members(delegation)
    active = delegation.members.live()
    head = next((m for m in members if m.is_head_of_delegation and m.status not in S.gone()), None)
    rows = [
        {
            "member": m,
            "editable": workflow.can("edit", m, request.user),
            "cancellable": workflow.can("cancel", m, request.user),
            "awaiting_own_data": _awaiting_own_data(m),
        }
        for m in members
    ]
    counted = [m for m in members if m.status in S.live()]
    return _render(
        request,
        "focal_overview.html",
        event,
        {
            "delegation": delegation,
            "documents": documents,
            "rows": rows,
            "checklist": _checklist(delegation, documents, members),
            "required_document": SupportingDocument(services.required_delegation_document(delegation)).label,
            "upload_form": upload_form
            or DelegationDocumentForm(initial={"kind": services.required_delegation_document(delegation)}),
            "head_form": head_form or HeadOfDelegationForm(members=active, initial={"member": head}),
            "can_upload": delegation.status in Delegation.Status.documents_open(),
            "can_nominate": delegation.status in Delegation.Status.nomination_open(),
            "can_submit": delegation.status in Delegation.Status.submission_open(),
            "new_members": [m for m in members if m.status == S.DRAFT]
            if delegation.status == Delegation.Status.APPROVED
            else [],
            "categories": services.delegation_category_rules(delegation),
            "people": delegation.memberships.select_related("user").order_by("role", "created_at", "id"),
            "person_form": person_form or DelegationPersonForm(),
            "removable_roles": services.ROLES_A_FOCAL_POINT_GIVES,
            "places_left": None if delegation.member_limit is None else max(delegation.member_limit - len(counted), 0),
        },
        status=status,
    )


@focal_point_view
def focal_overview(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    return _focal_page(request, event, delegation)


def _back(delegation: Delegation) -> HttpResponse:
    return redirect("events:delegations:focal", event=delegation.event.slug, pk=delegation.pk)


@require_POST
@focal_point_view
def focal_upload(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    form = DelegationDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_delegation_document(
                delegation, form.cleaned_data["file"], form.cleaned_data["kind"], actor=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The %(kind)s “%(name)s” was uploaded.")
                % {"kind": document.get_kind_display(), "name": document.original_name},
            )
            return _back(delegation)
    return _focal_page(request, event, delegation, upload_form=form, status=400)


def _member_page(
    request: HttpRequest, event: Event, delegation: Delegation, form: Any, template: str, **extra: Any
) -> HttpResponse:
    return _render(
        request,
        template,
        event,
        {"delegation": delegation, "form": form, **extra},
        status=400 if form.errors else 200,
    )


def _member_form_page(
    request: HttpRequest, event: Event, delegation: Delegation, form: MemberForm, member: Application | None
) -> HttpResponse:
    preview = ""
    if form.pending_photo is not None:
        preview = reverse(
            "accreditation:pending-photo", kwargs={"event": event.slug, "token": form.pending_photo.token}
        )
    current = reverse("accreditation-files:photo", kwargs={"application": member.pk}) if member and member.photo else ""
    return _member_page(
        request,
        event,
        delegation,
        form,
        "member_form.html",
        member=member,
        notice=form.privacy_notice,
        photo_preview_url=preview,
        current_photo_url=current,
    )


@sensitive_post_parameters("passport_number")
@require_http_methods(["GET", "POST"])
@focal_point_view
def focal_member_new(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    if delegation.status not in Delegation.Status.nomination_open():
        messages.error(request, _("Members cannot be added while the organisers are checking the credentials."))
        return _back(delegation)
    posted = request.method == "POST"
    form = MemberForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        event=event,
        delegation=delegation,
        allowed_pending=allowed_pending(request),
    )
    if posted:
        if form.is_valid():
            try:
                member = services.nominate_member(
                    delegation, data=form.service_data(), actor=request.user, invite=False, request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                forget_pending(request, form)
                messages.success(request, _("%(name)s was added to the delegation.") % {"name": member.full_name})
                return _back(delegation)
        remember_pending(request, form)
    return _member_form_page(request, event, delegation, form, None)


@require_http_methods(["GET", "POST"])
@focal_point_view
def focal_member_invite(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    form = MemberInvitationForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.nominate_member(
                delegation, data=form.service_data(), actor=request.user, invite=True, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was invited at %(email)s to complete their own data.")
                % {"name": member.full_name, "email": member.email},
            )
            return _back(delegation)
    return _member_page(request, event, delegation, form, "member_invite.html")


@sensitive_post_parameters("passport_number")
@require_http_methods(["GET", "POST"])
@focal_point_view
def focal_member_edit(request: HttpRequest, event: Event, delegation: Delegation, member: int) -> HttpResponse:
    application = delegation.members.select_related("category", "event").filter(pk=member).first()
    if application is None:
        raise Http404("No such member.")
    if not workflow.can("edit", application, request.user):
        messages.error(
            request,
            _("The data of %(name)s can no longer be changed: the application is “%(status)s”.")
            % {"name": application.full_name, "status": application.get_status_display()},
        )
        return _back(delegation)
    posted = request.method == "POST"
    form = MemberForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        event=event,
        delegation=delegation,
        application=application,
        allowed_pending=allowed_pending(request),
    )
    if posted:
        if form.is_valid():
            try:
                services.update_application(application, data=form.service_data(), actor=request.user, request=request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                forget_pending(request, form)
                messages.success(request, _("The data of %(name)s were saved.") % {"name": application.full_name})
                return _back(delegation)
        remember_pending(request, form)
    return _member_form_page(request, event, delegation, form, application)


@require_POST
@focal_point_view
def focal_head(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    active = delegation.members.live()
    form = HeadOfDelegationForm(request.POST, members=active)
    if form.is_valid():
        try:
            services.set_head_of_delegation(
                delegation, form.cleaned_data["member"], actor=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is the head of delegation.") % {"name": form.cleaned_data["member"].full_name},
            )
            return _back(delegation)
    return _focal_page(request, event, delegation, head_form=form, status=400)


@require_POST
@focal_point_view
def focal_submit(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    try:
        services.submit_delegation(delegation, actor=request.user, request=request)
    except ValidationError as error:
        _service_error_message(request, error)
    else:
        messages.success(request, _("The delegation was submitted to the organisers for approval."))
    return _back(delegation)


@require_POST
@focal_point_view
def focal_submit_new_members(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    """Late additions and replacements, after the credentials were approved, go to the organisers."""
    try:
        submitted = services.submit_new_members(delegation, actor=request.user, request=request)
    except ValidationError as error:
        _service_error_message(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d new member was submitted to the organisers for approval.",
                "%(count)d new members were submitted to the organisers for approval.",
                len(submitted),
            )
            % {"count": len(submitted)},
        )
    return _back(delegation)


@require_POST
@focal_point_view
def focal_member_cancel(request: HttpRequest, event: Event, delegation: Delegation, member: int) -> HttpResponse:
    """The focal point takes a member off the delegation (e.g. to replace them); their seat is freed."""
    application = delegation.members.select_related("event").filter(pk=member).first()
    if application is None:
        raise Http404("No such member.")
    try:
        services.cancel_application(application, actor=request.user, request=request)
    except ValidationError as error:
        _service_error_message(request, error)
    else:
        messages.success(request, _("%(name)s no longer belongs to the delegation.") % {"name": application.full_name})
    return _back(delegation)


@require_POST
@focal_point_view
def focal_people_add(request: HttpRequest, event: Event, delegation: Delegation) -> HttpResponse:
    """A focal point adds a deputy focal point or a negotiator to the delegation."""
    form = DelegationPersonForm(request.POST)
    if form.is_valid():
        try:
            membership = services.add_delegation_member(
                delegation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is now %(role)s of the delegation.")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return _back(delegation)
    return _focal_page(request, event, delegation, person_form=form, status=400)


@require_POST
@focal_point_view
def focal_people_remove(request: HttpRequest, event: Event, delegation: Delegation, membership: int) -> HttpResponse:
    """A focal point takes a deputy focal point or a negotiator off the delegation."""
    found = delegation.memberships.select_related("user", "delegation").filter(pk=membership).first()
    if found is None:
        raise Http404("No such person in the delegation.")
    try:
        services.remove_delegation_member(found, actor=request.user, request=request)
    except ValidationError as error:
        _service_error_message(request, error)
    else:
        messages.success(
            request,
            _("%(email)s is no longer %(role)s of the delegation.")
            % {"email": found.user.email, "role": found.get_role_display()},
        )
    if not capabilities.has(request.user, "delegation.manage", Delegation.objects.get(pk=delegation.pk)):
        return redirect("events:home", event=event.slug)  # they took themselves off
    return _back(delegation)
