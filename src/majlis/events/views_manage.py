"""The organisers' event pages that no single event owns: creating a conference (/<lang>/manage/events/new/).

Who may: superusers, holders of ``events.add_event``, and organisers of an event of a series (who
create the series' next event). Everyone else gets 403; anonymous visitors are sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from majlis.core.forms import add_service_errors

from . import services
from .forms_manage import EventCreateForm

View = Callable[..., HttpResponse]


def event_creator_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.may_create_event(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # Signed-in users; who may create an event is not a capability in one event (it exists before
    # the event does): ``services.may_create_event`` decides, inside the view.
    wrapper.majlis_access = "authenticated"  # type: ignore[attr-defined]
    return wrapper


def _initial_from(source: Any) -> dict[str, Any]:
    """The fields of a new event of the series that usually stay the same: a starting point only."""
    if source is None:
        return {}
    return {
        "copy_from": source.pk,
        "series": source.series_id,
        "time_zone": source.time_zone,
        "country": source.country,
        "format": source.format,
        **{f"city_{code}": getattr(source, f"city_{code}") for code in ("en", "ru", "uz")},
    }


@require_http_methods(["GET", "POST"])
@event_creator_required
def event_create(request: HttpRequest) -> HttpResponse:
    """A new draft conference, optionally from an earlier one; its creator becomes its organiser."""
    if request.method == "POST":
        form = EventCreateForm(request.POST, user=request.user)
        if form.is_valid():
            series = form.cleaned_data["series"]
            copy_from = form.cleaned_data["copy_from"]
            if not services.may_create_in_series(request.user, series):
                raise PermissionDenied
            try:
                event = services.create_event(
                    data=form.event_data(),
                    actor=request.user,
                    copy_from=copy_from,
                    copy=form.cleaned_data["copy"] if copy_from else (),
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The conference “%(title)s” is created as a draft. Now set up its registration.")
                    % {"title": event.title},
                )
                return redirect("events:accreditation-setup:registration", event=event.slug)
    else:
        from_pk = _int(request.GET.get("from"))  # no number: nothing to copy (as filter(pk=None) found nothing)
        source = services.copy_sources(request.user).filter(pk=from_pk).first() if from_pk is not None else None
        form = EventCreateForm(initial=_initial_from(source), user=request.user)
    # An invalid form comes back with its errors and everything typed (with 200, like the other forms).
    return render(request, "events/manage/event_create.html", {"form": form})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
