from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def data_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Passport numbers are encrypted with MAJLIS_DATA_KEYS; production must not run without them."""
    if not settings.PRODUCTION:
        return []
    from majlis.core import crypto

    try:
        crypto.reset_keys_cache()
        crypto.encrypt("check")
    except Exception as error:  # noqa: BLE001 - reported to the operator as it is
        return [Error(str(error), hint="Set MAJLIS_DATA_KEYS.", id="majlis.E001")]
    if not os.environ.get("MAJLIS_DATA_KEYS"):
        return [Error("MAJLIS_DATA_KEYS is not set.", id="majlis.E001")]
    return []


@register(deploy=True)
def public_url_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Links in e-mails (log-in links) are built from MAJLIS_PUBLIC_URL, never from the request's Host."""
    if settings.PRODUCTION and not settings.MAJLIS_PUBLIC_URL.startswith("https://"):
        return [
            Error(
                "MAJLIS_PUBLIC_URL must be the https:// address of the site in production.",
                hint="For example MAJLIS_PUBLIC_URL=https://conference.example.org",
                id="majlis.E002",
            )
        ]
    return []
