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


@register(deploy=True)
def production_safety(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Settings that must never be on in production: they are errors, so `check --deploy` fails."""
    if not settings.PRODUCTION:
        return []
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "MAJLIS_DEBUG is on in production: error pages would show settings, code and personal data.",
                hint="Remove MAJLIS_DEBUG (or set MAJLIS_DEBUG=0).",
                id="majlis.E003",
            )
        )
    if not settings.MAJLIS_REQUIRE_STAFF_2FA:
        errors.append(
            Error(
                "MAJLIS_REQUIRE_STAFF_2FA is off in production: organisers and staff would act without a "
                "second factor.",
                hint="Remove MAJLIS_REQUIRE_STAFF_2FA (or set MAJLIS_REQUIRE_STAFF_2FA=1).",
                id="majlis.E004",
            )
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        errors.append(
            Error(
                "The cache is private to each process in production: rate limits and log-in throttles "
                "would count per worker.",
                hint="Set MAJLIS_REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="majlis.E005",
            )
        )
    return errors


@register(deploy=True)
def trusted_proxies_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Entries of MAJLIS_TRUSTED_PROXIES that are no address or network are ignored: say so."""
    from majlis.core.throttle import invalid_trusted_proxies

    invalid = invalid_trusted_proxies()
    if not invalid:
        return []
    return [
        Error(
            "MAJLIS_TRUSTED_PROXIES holds entries that are neither an IP address nor a network: "
            + ", ".join(repr(item) for item in invalid),
            hint="List addresses or CIDR networks, comma-separated, e.g. 10.0.0.5,192.0.2.0/24.",
            id="majlis.E006",
        )
    ]


@register(deploy=True)
def cache_answers(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A configured cache that cannot be reached (Redis down, a missing client library) fails the check,
    instead of failing the first request that throttles a log-in."""
    if not settings.PRODUCTION:
        return []
    from django.core.cache import cache

    probe = f"majlis:check:{os.getpid()}"
    try:
        cache.set(probe, "ok", timeout=10)
        answered = cache.get(probe)
        cache.delete(probe)
    except Exception as error:  # noqa: BLE001 - any failure (import, connection, auth) is the operator's to see
        return [
            Error(
                f"The cache does not answer: {type(error).__name__}: {error}",
                hint="Check MAJLIS_REDIS_URL and that the Redis server is running and reachable.",
                id="majlis.E007",
            )
        ]
    if answered != "ok":
        return [
            Error(
                "The cache accepted a value but did not return it.",
                hint="Check MAJLIS_REDIS_URL (database number, eviction policy).",
                id="majlis.E007",
            )
        ]
    return []


@register(deploy=True)
def digest_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Duplicate passports are found with keyed digests (MAJLIS_DIGEST_KEYS), which production must set."""
    if not settings.PRODUCTION:
        return []
    from majlis.core import crypto

    try:
        crypto.reset_keys_cache()
        crypto.digest("check", "check")
    except Exception as error:  # noqa: BLE001 - reported to the operator as it is
        return [Error(str(error), hint="Set MAJLIS_DIGEST_KEYS.", id="majlis.E008")]
    return []
