"""The organisers' page of an event's API tokens: /<lang>/<event>/manage/api-tokens/.

Whoever holds ``event.manage_tokens`` (the event's organiser administrators) lists the tokens,
creates one (its secret is shown once, in the answer to the request that created it: only its
digest is kept) and revokes one after a confirmation. Changes go through ``services_tokens``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from majlis.core import capabilities
from majlis.core.forms import add_service_errors

from . import services_tokens
from .access import event_view
from .extensions import token_zone_choices
from .forms_tokens import ApiTokenForm
from .models import Event, EventApiToken


def _tokens_url(event: Event) -> str:
    return reverse("events:api-tokens", kwargs={"event": event.slug})


def _rows(event: Event) -> list[dict[str, Any]]:
    declared = capabilities.declared()
    zones = dict(token_zone_choices(event))
    rows = []
    for token in EventApiToken.objects.filter(event=event).select_related("created_by"):
        scopes = [{"name": name, "label": declared[name].label if name in declared else name} for name in token.scopes]
        zone = zones.get(token.zone, _("%(zone)s (no longer exists)") % {"zone": token.zone}) if token.zone else ""
        rows.append({"token": token, "state": token.state, "scopes": scopes, "zone": zone})
    return rows


def _page(request: HttpRequest, event: Event, form: ApiTokenForm, **extra: Any) -> HttpResponse:
    context = {"event": event, "section": "manage", "form": form, "rows": _rows(event), **extra}
    return render(request, "events/manage/api_tokens.html", context, status=400 if form.errors else 200)


@never_cache  # the answer to a creation holds the secret: no cache may keep it
@require_http_methods(["GET", "POST"])
@event_view("event.manage_tokens")
def api_tokens(request: HttpRequest, event: Event) -> HttpResponse:
    if request.method != "POST":
        return _page(request, event, ApiTokenForm(event=event, user=request.user))
    form = ApiTokenForm(request.POST, event=event, user=request.user)
    if not form.is_valid():
        return _page(request, event, form)
    try:
        issued = services_tokens.create_token(
            event,
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            zone=form.cleaned_data["zone"],
            expires_at=form.expires_at(),
            request=request,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, event, form)
    # Shown in this answer only (never stored in the session or a message): the digest cannot give it back.
    return _page(request, event, ApiTokenForm(event=event, user=request.user), issued=issued)


@require_http_methods(["GET", "POST"])
@event_view("event.manage_tokens")
def api_token_revoke(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    token = EventApiToken.objects.filter(event=event, pk=pk).first()
    if token is None:
        raise Http404("No such API token.")
    if request.method != "POST":
        context = {"event": event, "section": "manage", "token": token}
        return render(request, "events/manage/api_token_revoke.html", context)
    services_tokens.revoke_token(token, actor=request.user, request=request)
    messages.success(request, _("The API token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect(_tokens_url(event))
