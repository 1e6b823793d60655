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
