"""The signed token in a badge's QR code: compact, versioned, verifiable offline, no personal data.

Layout (87 bytes, then base64url without padding: 116 characters, a version-5 QR code at level Q)::

    [0]      version (1)
    [1:5]    key id: first four bytes of SHA-256(raw Ed25519 public key), big-endian
    [5:9]    event id
    [9:13]   badge id (a revoked or re-issued badge keeps its id: revocation lists are exact)
    [13:15]  revision of the badge
    [15:19]  valid from, Unix seconds
    [19:23]  valid until, Unix seconds
    [23:87]  Ed25519 signature of bytes [0:23]

The version byte comes first so that a later layout can be told apart before anything else is read;
the key id lets a gate pick the right public key (keys rotate) without trying each. Everything here
is pure: no database, so the gate page's JavaScript verifier can be tested against the same vectors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
_CLAIMS = struct.Struct(">BIIIHII")
CLAIMS_LENGTH = _CLAIMS.size  # 23
SIGNATURE_LENGTH = 64
TOKEN_LENGTH = CLAIMS_LENGTH + SIGNATURE_LENGTH  # 87
TEXT_LENGTH = 116


class Refusal(StrEnum):
    """Why a token is refused, most basic first (the order in which ``verify`` finds them)."""

    MALFORMED = "malformed"  # not a Majlis badge code at all
    TRUNCATED = "truncated"  # too short or too long: a damaged or partly read code
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_KEY = "unknown_key"  # signed by a key this gate does not know
    KEY_WITHDRAWN = "key_withdrawn"  # signed by a key the organisers withdrew
    OTHER_EVENT = "other_event"
    FORGED = "forged"  # the signature does not match: altered or forged
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    UNKNOWN_BADGE = "unknown_badge"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # an older revision of a re-issued badge


class TokenError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Claims:
    key_id: int
    event_id: int
    badge_id: int
    revision: int
    valid_from: int
    valid_until: int
    version: int = VERSION

    def pack(self) -> bytes:
        return _CLAIMS.pack(
            self.version, self.key_id, self.event_id, self.badge_id, self.revision, self.valid_from, self.valid_until
        )


@dataclass(frozen=True)
class ParsedToken:
    claims: Claims
    signed: bytes
    signature: bytes

    def signature_valid(self, public_key: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(self.signature, self.signed)
        except (InvalidSignature, ValueError):
            return False
        return True


def key_id_for(public_key: bytes) -> int:
    value: int = struct.unpack(">I", hashlib.sha256(public_key).digest()[:4])[0]
    return value


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh (private, public) pair, both as 32 raw bytes."""
    from cryptography.hazmat.primitives import serialization

    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw_private, raw_public


def sign(claims: Claims, private_key: bytes) -> str:
    signed = claims.pack()
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(signed)
    return base64.urlsafe_b64encode(signed + signature).rstrip(b"=").decode("ascii")


def parse(text: str) -> ParsedToken:
    """Decode a scanned text; ``TokenError`` says what is wrong with its form (not whether it is genuine)."""
    text = text.strip()
    if not text or len(text) > 4 * TEXT_LENGTH or any(c not in _ALPHABET for c in text):
        raise TokenError(Refusal.MALFORMED)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError(Refusal.TRUNCATED) from None
    if len(raw) < 1:
        raise TokenError(Refusal.MALFORMED)
    if raw[0] != VERSION:
        # A code of a later layout, or something else that happens to be base64url.
        raise TokenError(Refusal.UNSUPPORTED_VERSION if len(raw) == TOKEN_LENGTH else Refusal.MALFORMED)
    if len(raw) != TOKEN_LENGTH:
        raise TokenError(Refusal.TRUNCATED)
    version, key_id, event_id, badge_id, revision, valid_from, valid_until = _CLAIMS.unpack(raw[:CLAIMS_LENGTH])
    claims = Claims(
        version=version,
        key_id=key_id,
        event_id=event_id,
        badge_id=badge_id,
        revision=revision,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return ParsedToken(claims=claims, signed=raw[:CLAIMS_LENGTH], signature=raw[CLAIMS_LENGTH:])


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
