"""Is this scanned code a genuine, current badge of this event? The server's answer (the gate page
gives the same one offline from the public keys and the revocation list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.events.models import Event

from .models import Badge, SigningKey
from .tokens import Claims, Refusal, TokenError, parse

# What the gate officer reads on the red screen: precise enough to act on, nothing about the holder.
REFUSAL_LABELS = {
    Refusal.MALFORMED: _("This is not a Majlis badge code."),
    Refusal.TRUNCATED: _("The code was read only in part, or is damaged: scan it again."),
    Refusal.UNSUPPORTED_VERSION: _("The badge code has a format this gate does not know."),
    Refusal.UNKNOWN_KEY: _("The badge is signed by a key this event does not know: possibly forged."),
    Refusal.KEY_WITHDRAWN: _("The badge was signed with a withdrawn key: the holder must exchange it at the desk."),
    Refusal.OTHER_EVENT: _("The badge belongs to another event."),
    Refusal.FORGED: _("The signature does not match: the badge was altered or forged."),
    Refusal.NOT_YET_VALID: _("The badge is not valid yet."),
    Refusal.EXPIRED: _("The badge has expired."),
    Refusal.UNKNOWN_BADGE: _("No such badge was issued."),
    Refusal.REVOKED: _("The badge was revoked."),
    Refusal.SUPERSEDED: _("This badge was replaced by a newer one: the holder must use the new badge."),
}


@dataclass(frozen=True)
class Verification:
    refusal: Refusal | None
    badge: Badge | None = None
    claims: Claims | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        return str(REFUSAL_LABELS[self.refusal]) if self.refusal is not None else ""


def verify(event: Event, text: str, *, at: datetime | None = None, lock: bool = False) -> Verification:
    """Check a scanned text against ``event``; with ``lock`` the badge row is locked (inside a transaction)."""
    try:
        parsed = parse(text)
    except TokenError as error:
        return Verification(error.refusal)
    claims = parsed.claims
    key = SigningKey.objects.filter(key_id=claims.key_id).first()
    if key is None:
        return Verification(Refusal.UNKNOWN_KEY, claims=claims)
    if not parsed.signature_valid(bytes(key.public_key)):
        return Verification(Refusal.FORGED, claims=claims)
    if key.event_id != event.pk or claims.event_id != event.pk:
        return Verification(Refusal.OTHER_EVENT, claims=claims)
    if not key.verifies:
        return Verification(Refusal.KEY_WITHDRAWN, claims=claims)
    moment = int((at or timezone.now()).timestamp())
    if moment < claims.valid_from:
        return Verification(Refusal.NOT_YET_VALID, claims=claims)
    if moment >= claims.valid_until:
        return Verification(Refusal.EXPIRED, claims=claims)
    badges = Badge.objects.select_related("application", "category", "application__delegation")
    if lock:
        badges = badges.select_for_update(of=("self",))
    badge = badges.filter(pk=claims.badge_id, event=event).first()
    if badge is None:
        return Verification(Refusal.UNKNOWN_BADGE, claims=claims)
    if badge.revision != claims.revision:
        return Verification(Refusal.SUPERSEDED, badge=badge, claims=claims)
    if badge.status != Badge.Status.ISSUED:
        reason = Refusal.SUPERSEDED if badge.application.badges.filter(status=Badge.Status.ISSUED).exists() else None
        return Verification(reason or Refusal.REVOKED, badge=badge, claims=claims)
    return Verification(None, badge=badge, claims=claims)
