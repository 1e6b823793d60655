"""The accreditation officer's delegation tools: resending invitations, bulk nomination, vetting.

Each state change is one transactional, audited function, called by the views (and usable from the
API, the admin and tasks alike). Permission checks belong to the views; these functions check that
the change itself is allowed.

Security vetting (decided here, documented in the vetting page): the host country's services set a
member's status (not vetted, pending, cleared, refused) with an optional note. An organiser may
approve a member who is not vetted or whose vetting is pending, and is warned; a member whose
vetting was refused cannot be approved (``check_vetting_allows_approval``, called by
``services.approve_application``) until the services change their decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from majlis.core import audit, capabilities, outbox
from majlis.core.models import OutboxMessage
from majlis.core.signals import send_on_commit

from .. import services, signals
from ..login_links import revoke_invitation_links
from ..models import Application, Delegation, Vetting

NOTE_MAX_LENGTH = 2000


# --- Invitations ---------------------------------------------------------------------------------


def _users_with_email(email: str) -> list[Any]:
    email = (email or "").strip()
    if not email:
        return []
    return list(get_user_model().objects.filter(email__iexact=email))


def last_invitation(delegation: Delegation) -> OutboxMessage | None:
    """The latest invitation e-mail to the delegation's focal point (queued, sent or failed)."""
    return (
        OutboxMessage.objects.filter(
            template="delegation_invitation", key__startswith=f"delegation:{delegation.pk}:delegation_invitation:"
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def last_member_invitation(application: Application) -> OutboxMessage | None:
    return (
        outbox.messages_about(application).filter(template="member_invitation").order_by("-created_at", "-pk").first()
    )


def last_sending(notification: OutboxMessage | None) -> datetime | None:
    if notification is None:
        return None
    return notification.sent_at or notification.created_at


@transaction.atomic
def resend_delegation_invitation(delegation: Delegation, *, actor: Any, request: Any = None) -> OutboxMessage:
    """Mail the focal point a new invitation; the links of earlier invitations stop working at once.

    The new link (issued when the e-mail leaves) lasts ``MAJLIS_INVITATION_LINK_HOURS`` and works once.
    """
    locked = services._lock_delegation(delegation)
    if locked.status == Delegation.Status.APPROVED:
        raise ValidationError(
            _("The credentials of this delegation are approved: its focal point can log in with a log-in link."),
            code="approved",
        )
    revoked = sum(revoke_invitation_links(user) for user in _users_with_email(locked.focal_point_email))
    entry = services._delegation_record("invitation_resent", locked, actor=actor, request=request, revoked=revoked)
    services._mail_focal_point(locked, "delegation_invitation", entry)
    notification = last_invitation(locked)
    assert notification is not None
    return notification


@transaction.atomic
def resend_member_invitation(application: Application, *, actor: Any, request: Any = None) -> OutboxMessage:
    """Mail a member invited to complete their own data a new invitation; earlier links stop working."""
    _capacity, locked = services._lock_application(application.event, application)
    if locked.delegation_id is None or locked.user_id is None:
        raise ValidationError(_("This person was not invited to complete their own data."), code="not_invited")
    if locked.status != Application.Status.DRAFT:
        raise ValidationError(
            _("The application of %(name)s is already “%(status)s”: there is nothing left for them to complete."),
            params={"name": locked.full_name, "status": locked.get_status_display()},
            code="not_draft",
        )
    revoked = revoke_invitation_links(locked.user)
    entry = services._record("member_invitation_resent", locked, actor=actor, request=request, revoked=revoked)
    services._mail(locked, "member_invitation", entry)
    notification = last_member_invitation(locked)
    assert notification is not None
    return notification


# --- Security vetting ----------------------------------------------------------------------------


def may_set_vetting(user: Any, event: Any) -> bool:
    """The event's security officers (``accreditation.vet``) and superusers past the second factor."""
    return capabilities.has(user, "accreditation.vet", event)


def may_view_vetting(user: Any, event: Any) -> bool:
    """Who sees the event's applications sees their vetting statuses; so do those who set them."""
    return capabilities.has(user, "accreditation.view", event) or may_set_vetting(user, event)


def vetting_status(application: Application) -> str:
    try:
        return application.vetting.status
    except Vetting.DoesNotExist:
        return Vetting.Status.NOT_VETTED


def vetting_label(status: str) -> str:
    return str(Vetting.Status(status).label)


@transaction.atomic
def set_vetting_status(
    application: Application, *, status: str, note: str = "", actor: Any, request: Any = None
) -> Vetting:
    """Record the host country's vetting decision on a member (who, when); audited, never mailed."""
    if status not in Vetting.Status.values:
        raise ValidationError({"status": _("Choose a vetting status.")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("The note may be at most %(limit)d characters long.") % {"limit": NOTE_MAX_LENGTH}}
        )
    if status == Vetting.Status.REFUSED and not note:
        raise ValidationError({"note": _("Give the reason for the refusal in the note (organisers only see it).")})
    _capacity, locked = services._lock_application(application.event, application)
    vetting, _created = Vetting.objects.select_for_update().get_or_create(application=locked)
    previous = vetting.status
    vetting.status = status
    vetting.note = note
    vetting.set_by = actor if getattr(actor, "is_authenticated", False) else None
    vetting.set_at = timezone.now()
    vetting.save()
    audit.record(
        "accreditation.vetting_set",
        actor=actor,
        obj=locked,
        event_slug=locked.event.slug,
        request=request,
        status=status,
        previous_status=previous,
        with_note=bool(note),  # the note itself stays in the vetting row, not in the log
    )
    if status != previous:
        # A refusal takes the badge away (badges reacts); the status itself goes to no one else.
        send_on_commit(
            signals.application_changed,
            Application,
            application=locked,
            action="vetting_set",
            old_status=locked.status,
            new_status=locked.status,
            actor=actor,
        )
    application.vetting = vetting
    return vetting


def check_vetting_allows_approval(application: Application) -> None:
    """A member whose vetting was refused cannot be approved (the services must change their decision)."""
    if vetting_status(application) == Vetting.Status.REFUSED:
        raise ValidationError(
            _(
                "The host country's security services refused %(name)s: the application cannot be approved unless "
                "they change their decision."
            ),
            params={"name": application.full_name},
            code="vetting_refused",
        )


def uncleared_count(applications: Any) -> int:
    """How many of these approved delegation members the security services have not cleared."""
    return sum(
        1
        for a in applications
        if a.delegation_id and a.status == Application.Status.APPROVED and vetting_status(a) != Vetting.Status.CLEARED
    )


def approval_warning(application: Application) -> str:
    """What to tell an organiser who approves a member who is not cleared (empty when cleared)."""
    status = vetting_status(application)
    if status == Vetting.Status.CLEARED:
        return ""
    return _("%(name)s was approved without security clearance (vetting: %(status)s).") % {
        "name": application.full_name,
        "status": vetting_label(status),
    }
