from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login

from majlis.core import account, audit
from majlis.core.login_throttle import ThrottledAuthenticationForm
from majlis.core.middleware import start_short_session
from majlis.core.permissions import AuthenticatedHttpRequest, login_required


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm  # failed log-ins are throttled (login_throttle.py)


@login_required
def account_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own page: the sections the apps contribute (``core.account``)."""
    return render(request, "core/account_home.html", {"sections": account.sections_for(request.user)})


class VerifyForm(forms.Form):
    """The current code of one of the user's confirmed authenticator devices."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Any = None

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        for device in devices_for_user(self.user, confirmed=True):
            allowed, _details = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(
            _("This code is not valid. Enter the six-digit code your authenticator app shows now.")
        )


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Second factor for organisers and staff: confirms a TOTP code for this session."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    has_device = any(True for _device in devices_for_user(request.user, confirmed=True))
    form = VerifyForm(request.user, request.POST or None)
    if request.method == "POST" and has_device and form.is_valid():
        otp_login(request, form.device)
        start_short_session(request, request.user)
        audit.record("account.second_factor_confirmed", request=request, obj=request.user)
        return redirect(next_url or "account:home")
    return render(request, "core/verify.html", {"form": form, "next": next_url, "has_device": has_device})
