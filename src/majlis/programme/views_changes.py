"""The public page of programme versions: every publication and what it changed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from majlis.core import capabilities
from majlis.events.access import event_view
from majlis.events.models import Event

from .changes import version_history


@event_view(None)
def changes(request: HttpRequest, ev: Event) -> HttpResponse:
    context = {
        "event": ev,
        "section": "programme",
        "history": version_history(ev),
        "organiser": capabilities.has(request.user, "programme.edit", ev),
    }
    with timezone.override(ev.tz):
        return render(request, "programme/changes.html", context)
