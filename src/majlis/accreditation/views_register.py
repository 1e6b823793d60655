"""The public registration form of individual applicants (experts, civil society, media).

Applicants have no password: the application is attached to an account for their e-mail address
(created if needed, with an unusable password); they follow it by logging in with a one-time
e-mail link. A submission with errors keeps everything entered, uploaded files included.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from majlis.core import capabilities
from majlis.events.access import event_view
from majlis.events.models import Event

from . import photos, queries, services
from .forms import SESSION_KINDS, ApplicationForm, add_service_errors, find_invitation_code
from .models import Application, Category
from .queries import registration_state
from .views_setup import setup_problems

PENDING_SESSION_KEY = "accreditation.pending_files"
REGISTERED_SESSION_KEY = "accreditation.registered"
MAX_PENDING_IN_SESSION = 20


# -- Shared with the account area -----------------------------------------------------------------


def render_event_page(
    request: HttpRequest, template: str, event: Event, context: dict[str, Any], status: int = 200, section: str = ""
) -> HttpResponse:
    """An event page; dates and times are shown (and read from forms) in the event's time zone."""
    context = {"event": event, "section": section or "register", **context}
    with timezone.override(event.tz):
        return render(request, template, context, status=status)


def open_categories(event: Event) -> list[Category]:
    return queries.open_categories(event)


def intended_sessions(event: Event) -> list[Any]:
    """Side events and breakouts of the published programme (not cancelled), in order."""
    from majlis.programme import queries as programme_queries
    from majlis.programme.models import Session

    programme = programme_queries.published(event)
    if programme is None:
        return []
    guids = {session.guid for session in programme.sessions if session.kind in SESSION_KINDS}
    sessions = Session.objects.filter(event=event, kind__in=SESSION_KINDS, is_cancelled=False).order_by(
        "starts_at", "id"
    )
    return [session for session in sessions if str(session.guid) in guids]


def allowed_pending(request: HttpRequest) -> set[str]:
    return set(request.session.get(PENDING_SESSION_KEY, []))


def remember_pending(request: HttpRequest, form: ApplicationForm) -> None:
    """Let this browser session (and only it) see and reuse the files kept from its submission."""
    names = [name for name in request.session.get(PENDING_SESSION_KEY, []) if isinstance(name, str)]
    for pending in (form.pending_photo, form.pending_document):
        if pending is not None and pending.name not in names:
            names.append(pending.name)
    request.session[PENDING_SESSION_KEY] = names[-MAX_PENDING_IN_SESSION:]


def forget_pending(request: HttpRequest, form: ApplicationForm) -> None:
    form.discard_pending_files()
    gone = {p.name for p in (form.pending_photo, form.pending_document) if p is not None}
    request.session[PENDING_SESSION_KEY] = [n for n in request.session.get(PENDING_SESSION_KEY, []) if n not in gone]


def submit_new_application(
    request: HttpRequest, event: Event, form: ApplicationForm, *, user: Any = None
) -> Application | None:
    """Create and submit the application of a valid form; on a refusal the errors go onto the form."""
    try:
        application = services.register_and_submit(
            event, data=form.application_data(), user=user, invitation=form.invitation, request=request
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    forget_pending(request, form)
    return application


# -- Views ------------------------------------------------------------------------------------------


@sensitive_post_parameters("passport_number")
@never_cache
@event_view(None)
def register(request: HttpRequest, ev: Event) -> HttpResponse:
    state = registration_state(ev)
    notice = services.current_privacy_notice(ev) if state == "open" else None
    if state == "open" and notice is None:
        state = "not_open"
    # Organisers see what keeps registration from opening (or limits it), with links to fix each point.
    problems = setup_problems(ev) if capabilities.has(request.user, "accreditation.manage", ev) else []
    if state != "open":
        return render_event_page(
            request, "accreditation/register/closed.html", ev, {"state": state, "problems": problems}
        )

    code_text = request.POST.get("invitation_code", "") if request.method == "POST" else request.GET.get("code", "")
    invitation = find_invitation_code(ev, str(code_text)[:64])
    categories = open_categories(ev)
    with timezone.override(ev.tz):
        form = ApplicationForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            initial={"invitation_code": invitation and code_text or ""},
            event=ev,
            categories=categories,
            sessions=intended_sessions(ev),
            privacy_notice=notice,
            code_category=invitation.category if invitation else None,
            allowed_pending=allowed_pending(request),
        )
        if request.method == "POST":
            if form.is_valid():
                application = submit_new_application(request, ev, form)
                if application is not None:
                    request.session[REGISTERED_SESSION_KEY] = application.pk
                    return redirect("accreditation:registered", event=ev.slug)
            remember_pending(request, form)
    status = 200
    context = {
        "form": form,
        "notice": notice,
        "categories": form.category_options,
        "invitation": invitation,
        "has_open_categories": bool(categories),
        "photo_preview_url": _pending_photo_url(ev, form),
        "problems": problems,
    }
    return render_event_page(request, "accreditation/register/form.html", ev, context, status=status)


def _pending_photo_url(event: Event, form: ApplicationForm) -> str:
    if form.pending_photo is None:
        return ""
    return reverse("accreditation:pending-photo", kwargs={"event": event.slug, "token": form.pending_photo.token})


@never_cache
@event_view(None)
def registered(request: HttpRequest, ev: Event) -> HttpResponse:
    """What happens next, after a successful application (only in the session that made it)."""
    pk = request.session.get(REGISTERED_SESSION_KEY)
    application = (
        Application.objects.select_related("category").filter(pk=pk, event=ev).first() if isinstance(pk, int) else None
    )
    if application is None:
        return redirect("accreditation:register", event=ev.slug)
    return render_event_page(request, "accreditation/register/done.html", ev, {"application": application})


@require_GET
@never_cache
@event_view(None)
def pending_photo(request: HttpRequest, ev: Event, token: str) -> FileResponse:
    """The preview of a photo kept from a submission with errors: only for the session that uploaded it."""
    pending = photos.load_pending(token, "photo")
    if pending is None or pending.name not in allowed_pending(request):
        raise Http404("No such photo.")
    response = FileResponse(default_storage.open(pending.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    return response
