"""The back office: Django's admin, restricted to staff, with TOTP required in production."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class MajlisAdminSite(OTPAdminSite):
    site_header = _("Majlis back office")
    site_title = _("Majlis")
    index_title = _("Conference administration")

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.MAJLIS_REQUIRE_STAFF_2FA:
            return super().has_permission(request)  # active staff with a verified OTP device
        return request.user.is_active and request.user.is_staff

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def login_form(self):  # type: ignore[no-untyped-def,override]
        from django.contrib.admin.forms import AdminAuthenticationForm
        from django_otp.admin import OTPAdminAuthenticationForm

        return OTPAdminAuthenticationForm if settings.MAJLIS_REQUIRE_STAFF_2FA else AdminAuthenticationForm

    @property
    def login_template(self) -> str | None:  # type: ignore[override]
        return "otp/admin/login.html" if settings.MAJLIS_REQUIRE_STAFF_2FA else None


admin_site = MajlisAdminSite()
