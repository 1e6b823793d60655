"""The public page of programme versions: every publication and what it changed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from majlis.core.permissions import public
from majlis.events.queries import get_visible_event
from majlis.events.rules import is_organiser

from .changes import version_history


@public
def changes(request: HttpRequest, event: str) -> HttpResponse:
    ev = get_visible_event(request.user, event)
    context = {
        "event": ev,
        "section": "programme",
        "history": version_history(ev),
        "organiser": is_organiser(request.user, ev),
    }
    with timezone.override(ev.tz):
        return render(request, "programme/changes.html", context)
