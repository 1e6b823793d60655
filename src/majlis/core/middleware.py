"""Platform-wide response headers and the shorter sessions of organisers and staff.

``PermissionsPolicyMiddleware`` switches off the browser features no page uses (camera,
microphone, geolocation, payment …): ``MAJLIS_PERMISSIONS_POLICY``.

``OrganiserSessionMiddleware``: a session in which an organiser or a staff member logged in (any
organiser-type event role, ``is_staff`` or ``is_superuser``, decided at log-in and at the second
factor) ends after ``MAJLIS_ORGANISER_SESSION_IDLE`` seconds without a request and at the latest
``MAJLIS_ORGANISER_SESSION_MAX`` seconds after the log-in. Participants keep the normal session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from majlis.core import audit

SHORT_SESSION_KEY = "majlis_short_session"
LOGGED_IN_AT_KEY = "majlis_logged_in_at"
SEEN_AT_KEY = "majlis_seen_at"
# The last activity is written back at most this often (not on every request).
SEEN_RESOLUTION = 60
# Event roles whose sessions are short: those that let a user change an event or see others' data.
SHORT_SESSION_ROLES = frozenset({"organiser_admin", "co_organiser", "side_event_organiser", "gate_officer"})


def needs_short_session(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.event_roles.filter(role__in=SHORT_SESSION_ROLES).exists())


def start_short_session(request: HttpRequest, user: Any) -> None:
    """Mark ``request``'s session as an organiser's if ``user`` is one (called at log-in and at the
    second factor)."""
    session = getattr(request, "session", None)
    if session is None or not needs_short_session(user):
        return
    now = int(time.time())
    if not session.get(SHORT_SESSION_KEY):
        session[SHORT_SESSION_KEY] = True
        session[LOGGED_IN_AT_KEY] = now
    session[SEEN_AT_KEY] = now
    session.set_expiry(settings.MAJLIS_ORGANISER_SESSION_IDLE)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        start_short_session(request, user)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "MAJLIS_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class OrganiserSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and hasattr(request, "session"):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        if not session.get(SHORT_SESSION_KEY):
            return
        now = int(time.time())
        logged_in_at = int(session.get(LOGGED_IN_AT_KEY) or 0)
        seen_at = int(session.get(SEEN_AT_KEY) or 0)
        idle = now - seen_at > settings.MAJLIS_ORGANISER_SESSION_IDLE
        too_old = now - logged_in_at > settings.MAJLIS_ORGANISER_SESSION_MAX
        if idle or too_old:
            user = request.user if request.user.is_authenticated else None
            audit.record(
                "account.session_expired",
                actor=user,
                obj=user,
                request=request,
                reason="idle" if idle else "maximum length",
            )
            logout(request)
            messages.info(request, _("Your session has ended for your security. Please log in again."))
            return
        if now - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT_KEY] = now
            session.set_expiry(settings.MAJLIS_ORGANISER_SESSION_IDLE)
