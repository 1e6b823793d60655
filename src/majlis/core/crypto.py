"""Encryption at rest for personal data (passport numbers) and keyed digests to find duplicates.

Keys come from ``MAJLIS_DATA_KEYS``: comma-separated Fernet keys (AES-128-CBC with HMAC-SHA256,
authenticated), the first one encrypts, all of them decrypt. To rotate: put a new key first, keep
the old ones after it, run ``majlis rotate-data-keys``, then drop the old keys. Outside production a
key is generated once into ``var/data_keys``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """Stored data could not be decrypted with any configured key."""


def _configured_keys() -> list[str]:
    value = os.environ.get("MAJLIS_DATA_KEYS", "")
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if keys:
        return keys
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "MAJLIS_ENV=production needs MAJLIS_DATA_KEYS (generate one with: "
            "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        )
    key_file = settings.VAR_DIR / "data_keys"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return [key.strip() for key in key_file.read_text().split(",") if key.strip()]


@cache
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in _configured_keys()])
    except ValueError as error:
        raise ImproperlyConfigured(f"MAJLIS_DATA_KEYS holds an invalid key: {error}") from error


def reset_keys_cache() -> None:
    _fernet.cache_clear()


def encrypt(text: str) -> bytes:
    return _fernet().encrypt(text.encode("utf-8"))


def decrypt(token: bytes | memoryview | None) -> str:
    if token is None:
        return ""
    try:
        return _fernet().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken as error:
        raise DecryptionError("The stored value cannot be decrypted with the configured keys.") from error


def rotate(token: bytes | memoryview) -> bytes:
    """Re-encrypt a stored value with the current (first) key."""
    try:
        return _fernet().rotate(bytes(token))
    except InvalidToken as error:
        raise DecryptionError("The stored value cannot be decrypted with the configured keys.") from error


def digest(purpose: str, value: str) -> str:
    """A keyed hash to compare secret values (duplicate passports) without storing them in clear."""
    key = hashlib.sha256(f"majlis.digest.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
