"""Keep passport numbers out of error reports and logs.

``PassportSafeExceptionReporterFilter`` (``DEFAULT_EXCEPTION_REPORTER_FILTER``) hides, in the error
pages and e-mails Django produces, every POST field and every local variable whose name mentions a
passport — also inside dictionaries such as a form's ``cleaned_data`` or a service's ``data`` — on
top of what Django already hides (passwords, keys, tokens; views marked with
``@sensitive_post_parameters``).

``RedactPassportFilter`` is a ``logging.Filter`` for the handlers: it rewrites any
``passport…=value`` or ``'passport…': 'value'`` found in a log message, so that a careless
``logger.info("%s", request.POST)`` does not write a number to disk.

``RedactTokenFilter`` does the same for the secrets some URLs carry (log-in links, private
calendar feeds, pending uploads): Django's "Not Found: /en/account/login/link/…/" and runserver's
request lines keep the path but not the token. ``redact_tokens`` is also used by the gunicorn
access log (``majlis.core.gunicorn_support``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

SUBSTITUTE = SafeExceptionReporterFilter.cleansed_substitute
PASSPORT_NAME = re.compile(r"passport", flags=re.IGNORECASE)
# passport_number=AB123, "passport_number": "AB123", 'passport': ['AB123'] …
PASSPORT_IN_TEXT = re.compile(
    r"""(?P<key>['"]?[\w-]*passport[\w-]*['"]?\s*(?:=|:)\s*\[?\s*)(?P<value>'[^']*'|"[^"]*"|[^\s,;&}\]\)]+)""",
    flags=re.IGNORECASE,
)
MAX_DEPTH = 6
REDACTED_TOKEN = "[token]"
# Path segments that are secrets: /<lang>/account/login/link/<token>/, …/agenda.ics/<token>/,
# …/register/photo/<token>/; and token=/key= query parameters.
TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/account/login/link/|/agenda\.ics/|/register/photo/)(?P<token>[^/\s?#\"']+)", flags=re.IGNORECASE
)
TOKEN_IN_QUERY = re.compile(r"(?P<prefix>[?&](?:token|key|otp_token)=)(?P<token>[^&\s#\"']+)", flags=re.IGNORECASE)


def redact_tokens(text: str) -> str:
    """``text`` with the secret part of every token-carrying path or query replaced by ``[token]``."""
    if not text or "/" not in text and "=" not in text:
        return text
    text = TOKEN_IN_PATH.sub(lambda match: match.group("prefix") + REDACTED_TOKEN, text)
    return TOKEN_IN_QUERY.sub(lambda match: match.group("prefix") + REDACTED_TOKEN, text)


def redact_text(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        value = match.group("value")
        quote = value[0] if value[:1] in {"'", '"'} else ""
        return f"{match.group('key')}{quote}{SUBSTITUTE}{quote}"

    return PASSPORT_IN_TEXT.sub(replace, text)


def cleanse(name: str, value: Any, depth: int = 0) -> Any:
    """``value`` with everything stored under a passport-like name replaced by the substitute."""
    if PASSPORT_NAME.search(str(name)):
        return SUBSTITUTE
    if depth >= MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {key: cleanse(key, item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(cleanse("", item, depth + 1) for item in value)
    return value


class PassportSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|PASSPORT|DATA_KEYS|DATABASE_URL", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request: Any) -> Any:
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        names = [name for name in params if PASSPORT_NAME.search(name)]
        if not names:
            return params
        params = params.copy()
        for name in names:
            params[name] = SUBSTITUTE
        return params

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        variables = super().get_traceback_frame_variables(request, tb_frame)
        cleansed = []
        for name, value in variables:
            value = cleanse(name, value)
            if isinstance(value, str) and value != SUBSTITUTE:
                value = redact_text(value)
            cleansed.append((name, value))
        return cleansed


class RedactPassportFilter(logging.Filter):
    """Rewrites passport values out of a record's message (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as it is
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactTokenFilter(logging.Filter):
    """Rewrites the tokens of log-in links and private feeds out of a record's message (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as it is
            return True
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
