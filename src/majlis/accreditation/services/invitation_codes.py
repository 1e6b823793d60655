"""Invitation codes for individual applicants (only a hash is stored)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
