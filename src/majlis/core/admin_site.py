"""The back office: Django's admin, restricted to staff, with TOTP required in production.

With ``MAJLIS_REQUIRE_STAFF_2FA`` on, only active staff whose session was verified with one of
their confirmed OTP devices get in; the login form then asks for the six-digit code as well. A
staff member who logged in elsewhere with a password only is sent back to this login form.
``majlis otp-enroll <username>`` gives a staff member a device.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from majlis.core.login_throttle import ThrottledLoginMixin


# django-otp ships no type information, so its form and admin site are Any to mypy.
class MajlisOTPAuthenticationForm(OTPAdminAuthenticationForm):  # type: ignore[misc]
    """Password and the current code on one form.

    A staff member with a single authenticator app (the usual case) needs not choose a device: it
    is taken as the one meant. With several devices (say an app and recovery codes), the form asks
    which one after the password was accepted, as django-otp's own form does.
    """

    otp_device = forms.CharField(required=False, widget=forms.Select)
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "size": 8}
        ),
    )

    def _chosen_device(self, user: Any) -> Any:  # a django-otp Device (untyped) or None
        device = super()._chosen_device(user)
        if device is not None and not device.confirmed:
            device = None  # a device still being set up does not count (django-otp would accept it)
        if device is None:
            confirmed = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(confirmed) == 1:
                device = confirmed[0]
        return device


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The back office's log-in form without TOTP: failed log-ins are throttled."""


class ThrottledOTPAuthenticationForm(ThrottledLoginMixin, MajlisOTPAuthenticationForm):
    """Password and code: a wrong password or a wrong code counts as a failed log-in."""


class MajlisAdminSite(OTPAdminSite):  # type: ignore[misc]  # django-otp is untyped, as above
    site_header = _("Majlis back office")
    site_title = _("Majlis")
    index_title = _("Conference administration")
    site_url = "/"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def require_otp(self) -> bool:
        return bool(settings.MAJLIS_REQUIRE_STAFF_2FA)

    def has_permission(self, request: HttpRequest) -> bool:
        if self.require_otp:
            return bool(super().has_permission(request))  # active staff with a verified OTP device
        return AdminSite.has_permission(self, request)

    # Read on every login request, so that the setting can change without re-creating the site.
    @property
    def login_form(self) -> type[AdminAuthenticationForm]:
        return ThrottledOTPAuthenticationForm if self.require_otp else ThrottledAdminAuthenticationForm

    @property
    def login_template(self) -> str | None:
        return "otp/admin/login.html" if self.require_otp else None


admin_site = MajlisAdminSite()
