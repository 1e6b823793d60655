"""The participant's own badge, under /<lang>/<event>/my-badge/ (signed-in; object-level check).

Only the badge of the person's own application is ever shown or downloaded (the application's
``user`` is the signed-in user); anyone else finds nothing (404). The A6 download is recorded as
printed by its holder (``services_printing.badge_pdf``, purpose ``holder_download``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from majlis.accreditation.models import Application
from majlis.events.access import event_view
from majlis.events.models import Event

from . import queries_desk, services_printing
from .models import Badge, PrintFormat
from .views_desk import badge_filename, pdf_response


@require_GET
@never_cache
@event_view(None, login=True)
def my_badge(request: HttpRequest, event_obj: Event) -> HttpResponse:
    user_id: int = request.user.pk  # type: ignore[assignment]  # signed in (event_view with login=True)
    badge = queries_desk.own_badge(event_obj, request.user)
    application = None
    revoked = False
    if badge is None:
        application = (
            Application.objects.filter(event=event_obj, user_id=user_id).order_by("-created_at", "-pk").first()
        )
        if application is None:
            raise Http404("You have no application in this event.")
        revoked = Badge.objects.filter(
            event=event_obj, application__user_id=user_id, status=Badge.Status.REVOKED
        ).exists()
    context = {
        "event": event_obj,
        "section": "register",
        "badge": badge,
        "application": application,
        "revoked": revoked,
    }
    return render(request, "badges/my_badge.html", context)


@require_GET
@never_cache
@event_view(None, login=True)
def my_badge_pdf(request: HttpRequest, event_obj: Event) -> HttpResponse:
    badge = queries_desk.own_badge(event_obj, request.user)
    if badge is None:
        raise Http404("You have no badge in this event.")
    try:
        data = services_printing.badge_pdf(
            badge,
            PrintFormat.A6,
            language=translation.get_language() or "en",
            actor=request.user,
            request=request,
            purpose="holder_download",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("badges:mine", event=event_obj.slug)
    return pdf_response(data, badge_filename(badge, PrintFormat.A6))
