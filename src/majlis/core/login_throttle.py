"""Failed password log-ins are throttled per account and per client address.

After ``MAJLIS_LOGIN_FAILURES_PER_ACCOUNT`` failures for one user name, or
``MAJLIS_LOGIN_FAILURES_PER_ADDRESS`` from one client address, within
``MAJLIS_LOGIN_FAILURE_WINDOW`` seconds, every log-in attempt for that account or from that
address is refused with a clear message until the window ends, even with the right password.
User names that do not exist are counted the same way, so the refusal tells nobody whether an
account exists. The counters live in the shared cache; failures and refusals are audited.

Used by the site's log-in form and by the back office's (with or without its TOTP code).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import ngettext

from majlis.core import audit
from majlis.core.throttle import Throttle, address_bucket

# Errors that only ask for more (the code, which device): every other refusal (a wrong password, a
# wrong code, django-otp's own pause after wrong codes) counts as a failed attempt.
NOT_FAILURES = frozenset({"token_required", "device_required", "challenge_message", "not_interactive"})


def account_throttle() -> Throttle:
    return Throttle(
        "login-failures-account", settings.MAJLIS_LOGIN_FAILURES_PER_ACCOUNT, settings.MAJLIS_LOGIN_FAILURE_WINDOW
    )


def address_throttle() -> Throttle:
    return Throttle(
        "login-failures-address", settings.MAJLIS_LOGIN_FAILURES_PER_ADDRESS, settings.MAJLIS_LOGIN_FAILURE_WINDOW
    )


def account_key(username: str) -> str:
    return " ".join(str(username or "").split()).casefold()[:254]


def throttled_for(username: str, request: Any) -> int:
    """Seconds until log-ins for ``username`` from ``request``'s client are allowed again (0: now)."""
    waits = []
    accounts, addresses = account_throttle(), address_throttle()
    account = account_key(username)
    if accounts.exceeded(account):
        waits.append(accounts.seconds_left(account))
    address = address_bucket(audit.client_ip(request))
    if addresses.exceeded(address):
        waits.append(addresses.seconds_left(address))
    return max(waits, default=0)


def record_failure(username: str, request: Any) -> None:
    account_throttle().hit(account_key(username))
    address_throttle().hit(address_bucket(audit.client_ip(request)))
    audit.record("account.login_failed", request=request, username=str(username)[:150])


def record_success(username: str) -> None:
    account_throttle().reset(account_key(username))


def throttled_error(seconds: int) -> ValidationError:
    minutes = max(1, math.ceil(seconds / 60))
    return ValidationError(
        ngettext(
            "Too many failed log-in attempts. For your security, logging in is paused: try again in %(minutes)s "
            "minute.",
            "Too many failed log-in attempts. For your security, logging in is paused: try again in %(minutes)s "
            "minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="throttled",
    )


class ThrottledLoginMixin:
    """For ``AuthenticationForm`` subclasses: refuses throttled attempts before any password check,
    counts failures, clears the account's count after a successful log-in."""

    request: Any
    cleaned_data: dict[str, Any]
    errors: ErrorDict

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            # A mixin: the form class after it in the MRO defines clean(), object does not.
            unchecked: dict[str, Any] = super().clean()  # type: ignore[misc]
            return unchecked
        wait = throttled_for(username, self.request)
        if wait:
            audit.record(
                "account.login_throttled", request=self.request, username=str(username)[:150], wait_seconds=wait
            )
            raise throttled_error(wait)
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]  # as above
        except ValidationError as error:
            if getattr(error, "code", None) not in NOT_FAILURES:
                record_failure(username, self.request)
            raise
        if getattr(self, "user_cache", None) is not None and not self.errors:
            record_success(username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    """The site's log-in form."""
