"""Log-in by e-mail link: the request form and the confirmation page that uses a link.

Opening a link only shows a button: the log-in happens on POST, so that mail scanners and link
previews fetching the URL do not use up the link.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from majlis.core.permissions import public

from . import login_links
from .models import LoginLink


class LoginLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: never send it to another site or keep it in a shared cache. Not
    # "no-referrer": browsers then send "Origin: null" with the log-in POST and CSRF refuses it.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    next_url = login_links.safe_next_url(request.POST.get("next") or request.GET.get("next", ""), request)
    if request.method == "POST":
        form = LoginLinkRequestForm(request.POST)
        if form.is_valid():
            login_links.request_login_link(form.cleaned_data["email"], request=request, next_url=next_url)
            # The same answer whether a link went out, the address is unknown, or a limit was reached.
            return render(request, "accreditation/login_link_sent.html", {"email": form.cleaned_data["email"]})
    else:
        form = LoginLinkRequestForm()
    return render(request, "accreditation/login_link_request.html", {"form": form, "next": next_url})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        user = login_links.consume_login_link(token, request=request)
        if user is None:
            state = login_links.inspect_login_link(token)
            return _invalid(request, state.problem or "used", state)
        next_url = login_links.safe_next_url(request.POST.get("next", ""), request)
        return _no_referrer(redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL)))
    state = login_links.inspect_login_link(token)
    if not state.valid:
        return _invalid(request, state.problem, state)
    context = {"next": login_links.safe_next_url(request.GET.get("next", ""), request), "link": state.link}
    return _no_referrer(render(request, "accreditation/login_link_confirm.html", context))


def _invalid(request: HttpRequest, problem: str, state: login_links.LinkState | None = None) -> HttpResponse:
    status = 404 if problem == "unknown" else 410
    invitation = state is not None and state.link is not None and state.link.purpose == LoginLink.Purpose.INVITATION
    context = {"problem": problem, "invitation": invitation}
    response = render(request, "accreditation/login_link_invalid.html", context, status=status)
    return _no_referrer(response)
