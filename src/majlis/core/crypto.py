"""Encryption at rest for personal data (passport numbers) and keyed digests to find duplicates.

Encryption keys come from ``MAJLIS_DATA_KEYS``: comma-separated Fernet keys (AES-128-CBC with
HMAC-SHA256, authenticated), the first one encrypts, all of them decrypt. To rotate: put a new key
first, keep the old ones after it, run ``majlis rotate-data-keys``, then drop the old keys. Outside
production a key is generated once into ``var/data_keys``.

Digest keys come from ``MAJLIS_DIGEST_KEYS``: comma-separated ``id:key`` pairs (the key is 32 or
more random bytes, URL-safe base64), the first one digests, all of them are tried when looking a
value up. A stored digest names its key (``id$hex``), so rotating ``SECRET_KEY`` no longer breaks
duplicate detection, and rotating a digest key is the same three steps as a data key
(``majlis rotate-data-keys`` recomputes every registered digest column from the decrypted value).
Digests written before key ids existed (plain hex, keyed from ``SECRET_KEY``) are still matched
until they are recomputed. Outside production a digest key is generated once into ``var/digest_keys``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
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
    _digest_keys.cache_clear()


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


KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
DIGEST_SEPARATOR = "$"


def _configured_digest_keys() -> list[tuple[str, bytes]]:
    value = os.environ.get("MAJLIS_DIGEST_KEYS", "")
    if not value.strip():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "MAJLIS_ENV=production needs MAJLIS_DIGEST_KEYS (generate one with: "
                "python3 -c 'import secrets; print(\"d1:\" + secrets.token_urlsafe(32))')."
            )
        key_file = settings.VAR_DIR / "digest_keys"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(f"local{secrets.token_hex(3)}:{secrets.token_urlsafe(32)}")
        value = key_file.read_text()
    keys: list[tuple[str, bytes]] = []
    for item in value.split(","):
        if not item.strip():
            continue
        key_id, _sep, encoded = item.strip().partition(":")
        if not KEY_ID_PATTERN.match(key_id) or not encoded:
            raise ImproperlyConfigured(
                "MAJLIS_DIGEST_KEYS holds id:key pairs; an id is 1 to 16 letters, digits, '-' or '_'."
            )
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError as error:
            raise ImproperlyConfigured(f"MAJLIS_DIGEST_KEYS: the key of {key_id!r} is not base64.") from error
        if len(raw) < 32:
            raise ImproperlyConfigured(f"MAJLIS_DIGEST_KEYS: the key of {key_id!r} has fewer than 32 bytes.")
        keys.append((key_id, raw))
    if len({key_id for key_id, _raw in keys}) != len(keys):
        raise ImproperlyConfigured("MAJLIS_DIGEST_KEYS names the same key id twice.")
    return keys


@dataclass(frozen=True)
class DigestKeys:
    current: tuple[str, bytes]
    by_id: dict[str, bytes]


@cache
def _digest_keys() -> DigestKeys:
    keys = _configured_digest_keys()
    return DigestKeys(current=keys[0], by_id=dict(keys))


def _keyed(key: bytes, purpose: str, value: str) -> str:
    # One key per purpose, derived from the configured key: a passport digest never equals an
    # audit-chain hash of the same text.
    purpose_key = hmac.new(key, f"majlis.digest.{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(purpose_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _legacy_digest(purpose: str, value: str) -> str:
    key = hashlib.sha256(f"majlis.digest.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def digest(purpose: str, value: str) -> str:
    """A keyed hash to compare secret values (duplicate passports) without storing them in clear: ``id$hex``."""
    key_id, key = _digest_keys().current
    return f"{key_id}{DIGEST_SEPARATOR}{_keyed(key, purpose, value)}"


def digest_with(key_id: str, purpose: str, value: str) -> str:
    """The digest under a named key (to verify something hashed earlier); LookupError if the key is gone."""
    try:
        key = _digest_keys().by_id[key_id]
    except KeyError:
        raise LookupError(f"No digest key {key_id!r} is configured.") from None
    return _keyed(key, purpose, value)


def current_digest_key_id() -> str:
    return _digest_keys().current[0]


def digest_key_id(stored: str) -> str:
    """The key id a stored digest names ('' for a digest written before key ids)."""
    key_id, separator, _hex = stored.partition(DIGEST_SEPARATOR)
    return key_id if separator else ""


def digest_candidates(purpose: str, value: str) -> list[str]:
    """Every form the digest of ``value`` may be stored in: one per configured key, and the legacy one."""
    keys = _digest_keys()
    forms = [f"{key_id}{DIGEST_SEPARATOR}{_keyed(key, purpose, value)}" for key_id, key in keys.by_id.items()]
    forms.append(_legacy_digest(purpose, value))
    return forms


@dataclass(frozen=True)
class DigestColumn:
    """A column holding ``digest(purpose, value)`` of a decrypted column, recomputed on key rotation."""

    model_label: str
    digest_field: str
    encrypted_field: str
    purpose: str


_DIGEST_COLUMNS: list[DigestColumn] = []


def register_digest_column(model_label: str, digest_field: str, encrypted_field: str, purpose: str) -> None:
    """Called by an app's ``ready``: ``majlis rotate-data-keys`` will recompute this column."""
    column = DigestColumn(model_label, digest_field, encrypted_field, purpose)
    if column not in _DIGEST_COLUMNS:
        _DIGEST_COLUMNS.append(column)


def digest_columns() -> list[DigestColumn]:
    return list(_DIGEST_COLUMNS)
