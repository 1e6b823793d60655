"""Invitation codes for individual applicants (only a hash is stored)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.core import audit

from ..models import (
    Category,
    InvitationCode,
)
from .setup import _audit_value

# --- Invitation codes --------------------------------------------------------------------------

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def generate_invitation_code() -> str:
    """Twelve random characters in three groups, e.g. ``K7QM-2XHD-R9PA`` (about 60 bits)."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_GROUP_LENGTH)) for _g in range(CODE_GROUPS)]
    return "-".join(groups)


def invitation_code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


@transaction.atomic
def create_invitation_code(
    category: Category,
    *,
    label: str = "",
    max_uses: int | None = None,
    expires_at: Any = None,
    actor: Any,
    request: Any = None,
) -> tuple[InvitationCode, str]:
    """A new code for ``category``; returns it with the code in clear, which is stored only as a hash."""
    if max_uses is not None and max_uses < 1:
        raise ValidationError({"max_uses": _("A code must be usable at least once.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    code = generate_invitation_code()
    while InvitationCode.objects.filter(code_hash=invitation_code_digest(code)).exists():  # pragma: no cover
        code = generate_invitation_code()
    invitation = InvitationCode.objects.create(
        category=category,
        code_hash=invitation_code_digest(code),
        label=(label or "").strip()[:200],
        max_uses=max_uses,
        expires_at=expires_at,
    )
    audit.record(
        "accreditation.invitationcode_created",
        actor=actor,
        obj=invitation,
        event_slug=category.event.slug,
        request=request,
        category=category.code,
        max_uses=max_uses,
        expires_at=_audit_value(expires_at),
    )
    return invitation, code


@transaction.atomic
def revoke_invitation_code(invitation: InvitationCode, *, actor: Any, request: Any = None) -> InvitationCode:
    """Stop a code from being used again; applications already made with it stay as they are."""
    locked = InvitationCode.objects.select_for_update().select_related("category__event").get(pk=invitation.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This invitation code was already revoked."), code="already_revoked")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(
        "accreditation.invitationcode_revoked",
        actor=actor,
        obj=locked,
        event_slug=locked.category.event.slug,
        request=request,
        uses=locked.uses,
    )
    invitation.revoked_at = locked.revoked_at
    return locked


@transaction.atomic
def update_invitation_code(
    invitation: InvitationCode,
    *,
    label: str,
    max_uses: int | None,
    expires_at: Any,
    actor: Any,
    request: Any = None,
) -> InvitationCode:
    """Change a code's label, number of uses or expiry (the back office's form); the code itself never changes."""
    locked = InvitationCode.objects.select_for_update().select_related("category__event").get(pk=invitation.pk)
    if max_uses is not None and max_uses < 1:
        raise ValidationError({"max_uses": _("A code must be usable at least once.")})
    if max_uses is not None and max_uses < locked.uses:
        message = ngettext(
            "The code has been used %(uses)d time: it must allow at least that many uses.",
            "The code has been used %(uses)d times: it must allow at least that many uses.",
            locked.uses,
        )
        raise ValidationError({"max_uses": ValidationError(message, params={"uses": locked.uses})})
    label = (label or "").strip()[:200]
    changes = {
        name: {"from": _audit_value(getattr(locked, name)), "to": _audit_value(value)}
        for name, value in (("label", label), ("max_uses", max_uses), ("expires_at", expires_at))
        if getattr(locked, name) != value
    }
    if not changes:
        return locked
    locked.label, locked.max_uses, locked.expires_at = label, max_uses, expires_at
    locked.save(update_fields=["label", "max_uses", "expires_at"])
    audit.record(
        "accreditation.invitationcode_changed",
        actor=actor,
        obj=locked,
        event_slug=locked.category.event.slug,
        request=request,
        changes=changes,
    )
    invitation.label, invitation.max_uses, invitation.expires_at = label, max_uses, expires_at
    return locked


def redeem_invitation_code(invitation: InvitationCode, *, actor: Any, request: Any = None) -> None:
    """Count one use of a code; refused if it was used up, expired or revoked meanwhile (concurrent
    submissions: one conditional UPDATE decides). Called inside the registration's transaction."""
    usable = Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
    usable &= Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    usable &= Q(revoked_at__isnull=True)
    if not InvitationCode.objects.filter(usable, pk=invitation.pk).update(uses=F("uses") + 1):
        raise ValidationError(
            {"invitation_code": _("This invitation code has just been used up. Ask the organisers for another one.")}
        )
    audit.record(
        "accreditation.invitationcode_redeemed",
        actor=actor,
        obj=invitation,
        event_slug=invitation.category.event.slug,
        request=request,
    )
