from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_from_request

from majlis.core.permissions import public

logger = logging.getLogger(__name__)


@public
def root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"/{get_language_from_request(request, check_path=False)}/")


@public
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico even on pages without HTML (a PDF): point them at the real icon."""
    from django.templatetags.static import static

    return redirect(static("majlis/favicon.svg"), permanent=True)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from majlis.core.permissions import needs_second_factor

    user = getattr(request, "user", None)
    verify = bool(user is not None and user.is_authenticated and needs_second_factor(user))
    context = {"status": 403, "verify": verify, "next": request.get_full_path()}
    return render(request, "core/error.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "core/error.html", {"status": 500}, status=500)
    except Exception:  # the page itself failed (e.g. the database is down): say so plainly
        logger.exception("The error page could not be rendered.")
        return HttpResponseServerError(
            "<!doctype html><title>Server error</title><h1>Server error</h1>"
            "<p>Something went wrong on our side. Please try again later.</p>"
        )
