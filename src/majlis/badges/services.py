"""Every change of a badge or a signing key: one transactional, audited function each.

Badges follow accreditation: ``sync_badge`` is called (through a signal) after every change of an
application and issues, keeps, re-issues or revokes the person's badge so that exactly the approved
in-person participants whose vetting was not refused hold one, printed with their current details.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.accreditation.capacity import lock_event
from majlis.accreditation.models import Application, Mode, Vetting
from majlis.core import audit, crypto
from majlis.core.signals import send_on_commit
from majlis.events.models import Event

from . import signals, tokens
from .models import Badge, IdentityDocument, RevokeReason, SigningKey

# Badges are picked up before the opening: they are valid from three days before the first day.
VALID_BEFORE_OPENING = timedelta(days=3)


# --- Keys ------------------------------------------------------------------------------------------


def _new_key(event: Event) -> SigningKey:
    private, public = tokens.new_key_pair()
    return SigningKey.objects.create(
        event=event,
        key_id=tokens.key_id_for(public),
        public_key=public,
        private_key_encrypted=crypto.encrypt(private.hex()),
    )


def current_key(event: Event) -> SigningKey:
    """The event's signing key, created on first use (the event row is locked so two callers make one)."""
    key = SigningKey.objects.filter(event=event, retired_at__isnull=True, withdrawn_at__isnull=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        lock_event(event)  # the lock accreditation takes first too: one order, no deadlock
        key = SigningKey.objects.filter(event=event, retired_at__isnull=True, withdrawn_at__isnull=True).first()
        if key is None:
            key = _new_key(event)
            audit.record("badges.key_created", obj=key, event_slug=event.slug, key_id=key.key_id_hex)
        return key


@lru_cache(maxsize=64)
def _private_key(key_pk: int, encrypted: bytes) -> bytes:
    # Decrypting costs a Fernet round per badge otherwise; the cache is keyed by the ciphertext too,
    # so a key re-encrypted by rotate-data-keys is simply decrypted again.
    return bytes.fromhex(crypto.decrypt(encrypted))


@transaction.atomic
def rotate_key(
    event: Event, *, actor: Any, request: Any = None, withdraw: bool = False, reason: str = ""
) -> SigningKey:
    """Start signing with a new key.

    A rotation retires the current key: badges it signed still pass. ``withdraw`` is for a key that
    may have leaked: every key of the event so far stops verifying and every issued badge is re-issued
    under the new key (the old cards must be exchanged at the desk).
    """
    reason = (reason or "").strip()
    if withdraw and not reason:
        raise ValidationError({"reason": _("Say why the key is withdrawn (it is kept in the audit log).")})
    lock_event(event)
    now = timezone.now()
    old_keys = list(SigningKey.objects.select_for_update().filter(event=event, withdrawn_at__isnull=True))
    for old in old_keys:
        if withdraw:
            old.withdrawn_at = now
            old.withdrawn_reason = reason[:300]
        if old.retired_at is None:
            old.retired_at = now
        old.save(update_fields=["retired_at", "withdrawn_at", "withdrawn_reason"])
    key = _new_key(event)
    audit.record(
        "badges.key_withdrawn" if withdraw else "badges.key_rotated",
        actor=actor,
        obj=key,
        event_slug=event.slug,
        request=request,
        reason=reason,
        key_id=key.key_id_hex,
        previous=[old.key_id_hex for old in old_keys],
    )
    if withdraw:
        for badge in Badge.objects.select_for_update().filter(event=event, status=Badge.Status.ISSUED):
            _revoke(badge, RevokeReason.KEY_WITHDRAWN, actor=actor, request=request)
            _issue(badge.application, key, actor=actor, request=request, serial=badge.serial)
    return key


def public_keys(event: Event) -> list[SigningKey]:
    """The keys a gate needs to verify the event's badges (withdrawn keys are left out on purpose)."""
    return list(SigningKey.objects.filter(event=event, withdrawn_at__isnull=True).order_by("created_at"))


# --- Badges ----------------------------------------------------------------------------------------


def needs_badge(application: Application) -> bool:
    """Approved, attending in person, data not purged, and not refused by the security services."""
    if application.status != Application.Status.APPROVED or application.mode != Mode.IN_PERSON:
        return False
    if application.personal_data_purged_at is not None:
        return False
    vetting = Vetting.objects.filter(application=application).values_list("status", flat=True).first()
    return vetting != Vetting.Status.REFUSED


def printed_fingerprint(application: Application) -> str:
    """A digest of what the card shows: when it changes, the printed card is wrong and is re-issued."""
    parts = [
        str(application.category_id),
        application.honorific,
        application.given_names,
        application.family_name,
        application.name_native,
        application.organisation_name,
        application.nationality,
        str(application.delegation_id or ""),
        application.photo.name if application.photo else "",
    ]
    return hashlib.sha256("\x1f".join(part or "" for part in parts).encode("utf-8")).hexdigest()


def validity(event: Event) -> tuple[datetime, datetime]:
    """From three days before the first day to the end of the last day, in the event's time zone."""
    start = datetime.combine(event.start_date, time.min, tzinfo=event.tz) - VALID_BEFORE_OPENING
    end = datetime.combine(event.end_date + timedelta(days=1), time.min, tzinfo=event.tz)
    return start, end


def _next_serial(event: Event) -> int:
    highest = Badge.objects.filter(event=event).aggregate(Max("serial"))["serial__max"]
    return (highest or 0) + 1


def _issue(application: Application, key: SigningKey, *, actor: Any, request: Any, serial: int | None = None) -> Badge:
    event = application.event
    if serial is None:
        previous = Badge.objects.filter(application=application).order_by("-revision").first()
        serial = previous.serial if previous is not None else _next_serial(event)
    revision = (Badge.objects.filter(event=event, serial=serial).aggregate(Max("revision"))["revision__max"] or 0) + 1
    valid_from, valid_until = validity(event)
    badge = Badge.objects.create(
        event=event,
        application=application,
        serial=serial,
        revision=revision,
        category_id=application.category_id,
        key=key,
        valid_from=valid_from,
        valid_until=valid_until,
        printed_fingerprint=printed_fingerprint(application),
    )
    audit.record(
        "badges.issued",
        actor=actor,
        obj=badge,
        event_slug=event.slug,
        request=request,
        application=application.pk,
        number=badge.number,
    )
    send_on_commit(signals.badge_issued, Badge, badge=badge, actor=actor)
    return badge


def _revoke(badge: Badge, reason: str, *, actor: Any, request: Any, note: str = "") -> Badge:
    badge.status = Badge.Status.REVOKED
    badge.revoked_at = timezone.now()
    badge.revoke_reason = reason
    badge.save(update_fields=["status", "revoked_at", "revoke_reason"])
    audit.record(
        "badges.revoked",
        actor=actor,
        obj=badge,
        event_slug=badge.event.slug,
        request=request,
        reason=note,
        why=reason,
        number=badge.number,
    )
    send_on_commit(signals.badge_revoked, Badge, badge=badge, reason=reason, actor=actor)
    return badge


def _lock_issued(application: Application) -> Badge | None:
    return (
        Badge.objects.select_for_update()
        .select_related("event")
        .filter(application=application, status=Badge.Status.ISSUED)
        .first()
    )


@transaction.atomic
def sync_badge(application: Application, *, actor: Any = None, request: Any = None) -> Badge | None:
    """Bring the person's badge in line with their accreditation; returns the issued badge, if any."""
    # The event first, then the application: the order accreditation's services lock them in. The
    # event lock also keeps two badges from taking the same serial.
    lock_event(application.event)
    locked = Application.objects.select_for_update(of=("self",)).select_related("event").get(pk=application.pk)
    badge = _lock_issued(locked)
    if not needs_badge(locked):
        if badge is not None:
            vetting = Vetting.objects.filter(application=locked).values_list("status", flat=True).first()
            why = RevokeReason.VETTING_REFUSED if vetting == Vetting.Status.REFUSED else RevokeReason.NOT_ACCREDITED
            _revoke(badge, why, actor=actor, request=request)
        return None
    if badge is not None:
        # The card prints the event's dates and its code carries the validity they give: new dates
        # (a postponed conference, the practice conference of the demo) make it a wrong card too.
        same_dates = (badge.valid_from, badge.valid_until) == validity(locked.event)
        if badge.printed_fingerprint == printed_fingerprint(locked) and same_dates:
            return badge
        why = RevokeReason.CATEGORY_CHANGED if badge.category_id != locked.category_id else RevokeReason.DATA_CHANGED
        _revoke(badge, why, actor=actor, request=request)
    return _issue(locked, current_key(locked.event), actor=actor, request=request)


@transaction.atomic
def reissue_lost(badge: Badge, *, actor: Any, request: Any = None, note: str = "") -> Badge:
    """The holder lost the card: the old one is revoked (refused at every gate) and a new one is issued."""
    lock_event(badge.event)
    locked = Badge.objects.select_for_update().select_related("event", "application").get(pk=badge.pk)
    if locked.status != Badge.Status.ISSUED:
        raise ValidationError(
            _("Badge %(number)s is already revoked: re-issue the person's current badge.") % {"number": locked.number}
        )
    _revoke(locked, RevokeReason.LOST, actor=actor, request=request, note=note)
    return _issue(locked.application, current_key(locked.event), actor=actor, request=request, serial=locked.serial)


@transaction.atomic
def revoke_badge(badge: Badge, *, actor: Any, request: Any = None, note: str) -> Badge:
    """Take a badge away without issuing another (the organisers' decision; the reason is required)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the badge is revoked (it is kept in the audit log).")})
    locked = Badge.objects.select_for_update().select_related("event").get(pk=badge.pk)
    if locked.status != Badge.Status.ISSUED:
        raise ValidationError(_("Badge %(number)s is already revoked.") % {"number": locked.number})
    return _revoke(locked, RevokeReason.ORGANISER, actor=actor, request=request, note=note)


@transaction.atomic
def mark_collected(badge: Badge, *, actor: Any, request: Any = None, document: str, collector_name: str = "") -> Badge:
    """The card was handed over, after the desk checked a photo identity document."""
    if document not in IdentityDocument.values:
        raise ValidationError({"document": _("Choose the identity document you checked.")})
    collector_name = (collector_name or "").strip()[:200]
    locked = Badge.objects.select_for_update().select_related("event").get(pk=badge.pk)
    if locked.status != Badge.Status.ISSUED:
        raise ValidationError(_("Badge %(number)s is revoked: do not hand it over.") % {"number": locked.number})
    if locked.collected_at is not None:
        raise ValidationError(
            _("Badge %(number)s was already handed over on %(when)s.")
            % {"number": locked.number, "when": timezone.localtime(locked.collected_at).strftime("%Y-%m-%d %H:%M")}
        )
    locked.collected_at = timezone.now()
    locked.collected_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.collector_document = document
    locked.collector_name = collector_name
    locked.save(update_fields=["collected_at", "collected_by", "collector_document", "collector_name"])
    audit.record(
        "badges.collected",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        document=document,
        by_someone_else=bool(collector_name),
    )
    return locked


def token_for(badge: Badge) -> str:
    """The QR code's content: the badge's claims signed by its key (Ed25519 is deterministic)."""
    key = badge.key
    claims = tokens.Claims(
        key_id=key.key_id,
        event_id=badge.event_id,
        badge_id=badge.pk,
        revision=badge.revision,
        valid_from=int(badge.valid_from.timestamp()),
        valid_until=int(badge.valid_until.timestamp()),
    )
    return tokens.sign(claims, _private_key(key.pk, bytes(key.private_key_encrypted)))


@transaction.atomic
def record_printed(badges: list[Badge], *, actor: Any, request: Any = None, purpose: str = "print") -> None:
    """Note that these badges were printed (or downloaded by their holder)."""
    now = timezone.now()
    Badge.objects.filter(pk__in=[badge.pk for badge in badges]).update(printed_at=now)
    if badges:
        audit.record(
            "badges.printed",
            actor=actor,
            event_slug=badges[0].event.slug,
            request=request,
            purpose=purpose,
            count=len(badges),
            numbers=[badge.number for badge in badges[:200]],
        )
