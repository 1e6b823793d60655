"""Delegations: invitations, categories, claims, members, credentials."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.core import audit
from majlis.core.models import AuditEntry
from majlis.core.signals import send_on_commit
from majlis.events.models import Event, EventRole
from majlis.events.rules import is_organiser

from .. import notifications, photos, signals
from ..models import (
    AccreditationSettings,
    Application,
    ApplicationQuerySet,
    Category,
    Delegation,
    DelegationCategory,
    DelegationDocument,
    DelegationMembership,
    SupportingDocument,
)
from ._common import Status, _mail, _normalise_email, _record, acting_for, user_for_email
from .applications import create_application, delegation_category_rules
from .transitions import _required_reason, submit_application

# --- Delegations -------------------------------------------------------------------------------


def _lock_delegation(delegation: Delegation, *related: str) -> Delegation:
    return Delegation.objects.select_for_update(of=("self",)).select_related("event", *related).get(pk=delegation.pk)


def _delegation_record(
    action: str, delegation: Delegation, *, actor: Any, request: Any, reason: str = "", **data: Any
) -> AuditEntry:
    if "on_behalf_of" not in data:
        data.update(acting_for(delegation, actor))
    return audit.record(
        f"accreditation.delegation_{action}",
        actor=actor,
        obj=delegation,
        event_slug=delegation.event.slug,
        reason=reason,
        request=request,
        **data,
    )


def _announce_decision(delegation: Delegation, *, old_status: str, actor: Any) -> None:
    """Tell other apps (once the transaction commits) that the credentials were decided."""
    send_on_commit(
        signals.delegation_decided,
        Delegation,
        delegation=delegation,
        old_status=old_status,
        new_status=delegation.status,
        actor=actor,
    )


def _mail_focal_point(delegation: Delegation, template: str, entry: Any) -> None:
    """Mail the focal point about the change ``entry`` recorded. An invitation's link logs in the
    account of the focal point's address, made here (not when the message is rendered)."""
    invitation = template == "delegation_invitation"
    notifications.queue(
        key=f"delegation:{delegation.pk}:{template}:{entry.pk}",
        template=template,
        recipient=delegation.focal_point_email,
        language=delegation.focal_point_language,
        event=delegation.event,
        delegation=delegation,
        user=user_for_email(delegation.focal_point_email) if invitation else None,
    )


def usual_delegation_categories(event: Event, kind: str) -> list[Category]:
    """The categories a delegation of this kind gets when the organisers choose none."""
    from ..defaults import DELEGATION_CATEGORY_CODES

    return list(
        Category.objects.filter(
            event=event, for_delegations=True, code__in=DELEGATION_CATEGORY_CODES.get(kind, ())
        ).order_by("position", "id")
    )


def _clean_category_rules(
    event: Event,
    categories: Iterable[Category],
    limits: dict[int, int | None],
    default_category: Category | None,
) -> tuple[list[Category], dict[str, str]]:
    errors: dict[str, str] = {}
    chosen = list({category.pk: category for category in categories}.values())
    for category in chosen:
        if category.event_id != event.pk:
            errors["categories"] = _("A chosen category belongs to another event.")
        elif not category.for_delegations or category.required_document == SupportingDocument.PRESS_CARD:
            errors["categories"] = _(
                "“%(category)s” cannot be given by a focal point: the organisers accredit these people themselves."
            ) % {"category": category.name}
    if not chosen and "categories" not in errors:
        errors["categories"] = _("Choose at least one category for the delegation's members.")
    for category_id, limit in limits.items():
        if limit is not None and limit < 1:
            errors["categories"] = _("A limit per category must be at least 1, or empty for no limit.")
        if category_id not in {category.pk for category in chosen}:
            errors["categories"] = _("A limit was given for a category that is not chosen.")
    if default_category is not None and default_category.pk not in {category.pk for category in chosen}:
        errors["default_category"] = _("The default category must be one of the delegation's categories.")
    return chosen, errors


def _store_category_rules(delegation: Delegation, categories: list[Category], limits: dict[int, int | None]) -> None:
    DelegationCategory.objects.filter(delegation=delegation).exclude(
        category__in=[category.pk for category in categories]
    ).delete()
    for category in categories:
        DelegationCategory.objects.update_or_create(
            delegation=delegation, category=category, defaults={"member_limit": limits.get(category.pk)}
        )


@transaction.atomic
def invite_delegation(
    event: Event,
    organisation: Any,
    *,
    kind: str,
    focal_point_email: str,
    language: str,
    actor: Any,
    default_category: Category | None = None,
    categories: Iterable[Category] | None = None,
    category_limits: dict[int, int | None] | None = None,
    member_limit: int | None = None,
    request: Any = None,
) -> Delegation:
    """Create a delegation and mail its focal point a personal log-in link.

    ``categories`` are those its members may have (default: the kind's usual ones, plus the default
    category when it may be given to delegations); never staff, interpreters, security or media.
    """
    errors: dict[str, str] = {}
    email = _normalise_email(focal_point_email)
    try:
        validate_email(email)
    except ValidationError:
        errors["focal_point_email"] = _("Enter a valid e-mail address.")
    if kind not in Delegation.Kind.values:
        errors["kind"] = _("Choose the kind of delegation.")
    if language not in {code for code, _name in Delegation._meta.get_field("focal_point_language").choices or ()}:
        errors["focal_point_language"] = _("Choose a language.")
    if default_category is not None and default_category.event_id != event.pk:
        errors["default_category"] = _("This category belongs to another event.")
    if Delegation.objects.filter(event=event, organisation=organisation).exists():
        errors["organisation"] = _("This state or organisation already has a delegation at this event.")
    limits = dict(category_limits or {})
    if categories is None:
        categories = usual_delegation_categories(event, kind)
        if default_category is not None and default_category.event_id == event.pk:
            categories = [*categories, default_category]
    chosen, category_errors = _clean_category_rules(
        event, categories, limits, default_category if "default_category" not in errors else None
    )
    errors = {**category_errors, **errors}
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        event=event,
        organisation=organisation,
        kind=kind,
        country=organisation.country or "",
        focal_point_email=email,
        focal_point_language=language,
        default_category=default_category,
        member_limit=member_limit,
    )
    _store_category_rules(delegation, chosen, limits)
    entry = _delegation_record(
        "invited",
        delegation,
        actor=actor,
        request=request,
        categories={category.code: limits.get(category.pk) for category in chosen},
    )
    _mail_focal_point(delegation, "delegation_invitation", entry)
    return delegation


@transaction.atomic
def set_delegation_categories(
    delegation: Delegation,
    *,
    categories: Iterable[Category],
    category_limits: dict[int, int | None] | None = None,
    default_category: Category | None = None,
    actor: Any,
    request: Any = None,
) -> Delegation:
    """The organisers change which categories the delegation's members may have, and the limits.

    A category still held by a live member cannot be removed, nor a limit set below their number:
    the organisers change or withdraw those members first.
    """
    locked = _lock_delegation(delegation)
    limits = dict(category_limits or {})
    chosen, errors = _clean_category_rules(locked.event, categories, limits, default_category)
    if not errors:
        chosen_ids = {category.pk for category in chosen}
        held = _live_members(locked).values_list("category_id", flat=True)
        counts: dict[int, int] = {}
        for category_id in held:
            counts[category_id] = counts.get(category_id, 0) + 1
        for category_id, count in counts.items():
            if category_id not in chosen_ids:
                name = Category.objects.get(pk=category_id).name
                errors["categories"] = ngettext(
                    "%(count)d member has the category “%(category)s”: change or withdraw them first.",
                    "%(count)d members have the category “%(category)s”: change or withdraw them first.",
                    count,
                ) % {"count": count, "category": name}
            elif limits.get(category_id) is not None and count > (limits[category_id] or 0):
                name = Category.objects.get(pk=category_id).name
                errors["categories"] = ngettext(
                    "%(count)d member already has the category “%(category)s”: the limit cannot be lower.",
                    "%(count)d members already have the category “%(category)s”: the limit cannot be lower.",
                    count,
                ) % {"count": count, "category": name}
    if errors:
        raise ValidationError(errors)
    previous = {rule.category.code: rule.member_limit for rule in delegation_category_rules(locked)}
    _store_category_rules(locked, chosen, limits)
    locked.default_category = default_category
    locked.save(update_fields=["default_category", "updated_at"])
    _delegation_record(
        "categories_changed",
        locked,
        actor=actor,
        request=request,
        previous=previous,
        categories={category.code: limits.get(category.pk) for category in chosen},
    )
    delegation.default_category = default_category
    return locked


@transaction.atomic
def resend_delegation_invitation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    """Mail the focal point a fresh log-in link (the first one expires after 20 minutes)."""
    entry = _delegation_record("invitation_resent", delegation, actor=actor, request=request)
    _mail_focal_point(delegation, "delegation_invitation", entry)
    return delegation


@transaction.atomic
def claim_delegation(delegation: Delegation, user: Any) -> Delegation:
    """The focal point's first log-in binds their account to the delegation (status: being prepared).

    The invitation's address decides who may claim; once claimed, only a focal point of the
    delegation adds further ones (``add_delegation_member``)."""
    locked = _lock_delegation(delegation, "organisation")
    focal_points = locked.memberships.filter(role=DelegationMembership.Role.FOCAL_POINT)
    if focal_points.filter(user=user).exists():
        return locked
    if focal_points.exists():
        raise ValidationError(_("Another person is already the focal point of this delegation."), code="claimed")
    if (user.email or "").strip().lower() != locked.focal_point_email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."), code="wrong_user")
    DelegationMembership.objects.create(
        delegation=locked, user=user, role=DelegationMembership.Role.FOCAL_POINT, created_by=user
    )
    locked.forget_roles()
    if locked.status == Delegation.Status.INVITED:
        locked.status = Delegation.Status.OPEN
    locked.save(update_fields=["status", "updated_at"])
    _give_focal_point_role(locked, user)
    _delegation_record("claimed", locked, actor=user, request=None)
    delegation.forget_roles()
    delegation.status = locked.status
    return locked


def _user_or_none(actor: Any) -> Any:
    """The account behind ``actor`` (an API token or the system has none)."""
    return actor if isinstance(actor, get_user_model()) else None


def _give_focal_point_role(delegation: Delegation, user: Any) -> None:
    EventRole.objects.get_or_create(
        event=delegation.event,
        user=user,
        role=EventRole.Role.FOCAL_POINT,
        defaults={"organisation": delegation.organisation},
    )


# Roles a focal point gives and takes away on the delegation's page; the head of delegation follows
# the member designated head (``set_head_of_delegation``).
ROLES_A_FOCAL_POINT_GIVES = (DelegationMembership.Role.FOCAL_POINT, DelegationMembership.Role.NEGOTIATOR)


@transaction.atomic
def add_delegation_member(
    delegation: Delegation, *, email: str, role: str, actor: Any, request: Any = None
) -> DelegationMembership:
    """A focal point makes the person at ``email`` another focal point (a deputy) or a negotiator of
    the delegation; the account is made if the address has none (they log in by e-mail link)."""
    locked = _lock_delegation(delegation, "organisation")
    if role not in ROLES_A_FOCAL_POINT_GIVES:
        raise ValidationError({"role": _("Choose focal point or negotiator.")})
    address = _normalise_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    user = user_for_email(address)
    if locked.memberships.filter(user=user, role=role).exists():
        raise ValidationError(
            {"email": _("%(email)s already has this role in the delegation.") % {"email": address}}, code="exists"
        )
    membership = DelegationMembership.objects.create(
        delegation=locked, user=user, role=role, created_by=_user_or_none(actor)
    )
    if role == DelegationMembership.Role.FOCAL_POINT:
        _give_focal_point_role(locked, user)
    _delegation_record("member_added", locked, actor=actor, request=request, person=user.pk, role=role)
    delegation.forget_roles()
    return membership


@transaction.atomic
def remove_delegation_member(membership: DelegationMembership, *, actor: Any, request: Any = None) -> None:
    """Take a focal point or negotiator off the delegation. Its last focal point stays: somebody
    must answer for the delegation."""
    locked = _lock_delegation(membership.delegation)
    current = locked.memberships.filter(pk=membership.pk).select_related("user").first()
    if current is None:
        raise ValidationError(_("This person no longer has this role in the delegation."), code="gone")
    if current.role not in ROLES_A_FOCAL_POINT_GIVES:
        raise ValidationError(_("This role follows the delegation's members and cannot be taken away here."))
    if current.role == DelegationMembership.Role.FOCAL_POINT and (
        locked.memberships.filter(role=DelegationMembership.Role.FOCAL_POINT).count() == 1
    ):
        raise ValidationError(_("A delegation keeps at least one focal point."), code="last_focal_point")
    # Recorded before the removal, so that a focal point taking themselves off is still recorded as
    # acting for the delegation.
    _delegation_record(
        "member_removed", locked, actor=actor, request=request, person=current.user_id, role=current.role
    )
    current.delete()
    membership.delegation.forget_roles()


@transaction.atomic
def add_delegation_document(
    delegation: Delegation, uploaded_file: Any, kind: str, *, actor: Any, request: Any = None
) -> DelegationDocument:
    """Store a note verbale or nomination letter under a random private name."""
    locked = _lock_delegation(delegation)
    if locked.status not in Delegation.Status.documents_open():
        raise ValidationError(_("The credentials have been submitted; documents can no longer be added."))
    if kind not in {SupportingDocument.NOTE_VERBALE, SupportingDocument.NOMINATION_LETTER}:
        raise ValidationError({"kind": _("Choose a note verbale or a nomination letter.")})
    try:
        checked = photos.check_document(uploaded_file)  # a PDF, or a scan as JPEG or PNG, checked by content
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = DelegationDocument(
        delegation=locked,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(f"document.{checked.extension}", ContentFile(checked.data), save=False)
    document.save()
    _delegation_record("document_added", locked, actor=actor, request=request, document=document.pk, kind=kind)
    return document


def nomination_closed(event: Event, now: Any = None) -> bool:
    """Whether the organisers' nomination deadline for focal points has passed."""
    settings_row = AccreditationSettings.objects.filter(event=event).first()
    return settings_row is not None and settings_row.nomination_closed(now or timezone.now())


def _live_members(delegation: Delegation) -> ApplicationQuerySet:
    return Application.objects.filter(delegation=delegation).live()


@transaction.atomic
def nominate_member(
    delegation: Delegation, *, data: dict[str, Any], actor: Any, invite: bool = False, request: Any = None
) -> Application:
    """Add a member to the delegation (a draft application); ``invite`` mails them a personal link."""
    locked = _lock_delegation(delegation)
    if nomination_closed(locked.event) and not is_organiser(actor, locked.event):
        raise ValidationError(
            _("The nomination deadline has passed: ask the organisers to add a member."), code="nomination_closed"
        )
    if locked.status == Delegation.Status.SUBMITTED:
        raise ValidationError(_("The credentials are being checked; members can be added once they are decided."))
    if locked.member_limit is not None and _live_members(locked).count() >= locked.member_limit:
        raise ValidationError(
            ngettext(
                "This delegation may have at most %(limit)d member.",
                "This delegation may have at most %(limit)d members.",
                locked.member_limit,
            ),
            params={"limit": locked.member_limit},
        )
    # Every member with an e-mail address gets an account (no password: they log in by e-mailed link),
    # so that the e-mails about their accreditation lead somewhere and they can ask for a link.
    user = user_for_email(data["email"]) if data.get("email") else None
    application = create_application(
        locked.event, data=data, actor=actor, user=user, delegation=locked, request=request
    )
    if invite:
        entry = _record("member_invited", application, actor=actor, request=request)
        _mail(application, "member_invitation", entry)
    return application


@transaction.atomic
def submit_new_members(delegation: Delegation, *, actor: Any, request: Any = None) -> list[Application]:
    """After the credentials were approved: submit the members added since (late additions and
    replacements) for the organisers' decision. All of them, or none when one is incomplete."""
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.APPROVED:
        raise ValidationError(
            _("New members are submitted with the delegation's credentials until those are approved.")
        )
    if nomination_closed(locked.event) and not is_organiser(actor, locked.event):
        raise ValidationError(
            _("The nomination deadline has passed: ask the organisers to add a member."), code="nomination_closed"
        )
    drafts = list(Application.objects.filter(delegation=locked, status=Status.DRAFT).order_by("pk"))
    if not drafts:
        raise ValidationError({"members": _("There is no new member to submit.")})
    submitted = []
    for member in drafts:
        try:
            submitted.append(submit_application(member, actor=actor, request=request))
        except ValidationError as error:
            raise ValidationError(
                {
                    "members": _("The data of %(name)s is incomplete: %(problems)s")
                    % {"name": member.full_name, "problems": " ".join(error.messages)}
                }
            ) from error
    _delegation_record(
        "members_submitted", locked, actor=actor, request=request, members=[member.pk for member in submitted]
    )
    return submitted


@transaction.atomic
def set_head_of_delegation(
    delegation: Delegation, application: Application, *, actor: Any, request: Any = None
) -> Application:
    locked = _lock_delegation(delegation)
    if application.delegation_id != locked.pk:
        raise ValidationError(_("This person is not a member of the delegation."))
    if application.status not in Status.live():
        raise ValidationError(_("This person's application is closed."))
    Application.objects.filter(delegation=locked, is_head_of_delegation=True).exclude(pk=application.pk).update(
        is_head_of_delegation=False
    )
    Application.objects.filter(pk=application.pk).update(is_head_of_delegation=True)
    application.is_head_of_delegation = True
    # The head of delegation acts for it (outcome documents) when they have an account.
    head = DelegationMembership.Role.HEAD_OF_DELEGATION
    previous_heads = locked.memberships.filter(role=head)
    if application.user_id is None:
        previous_heads.delete()
    else:
        previous_heads.exclude(user_id=application.user_id).delete()
        DelegationMembership.objects.get_or_create(
            delegation=locked, user_id=application.user_id, role=head, defaults={"created_by": _user_or_none(actor)}
        )
    locked.forget_roles()
    delegation.forget_roles()
    _delegation_record("head_designated", locked, actor=actor, request=request, application=application.pk)
    return application


def required_delegation_document(delegation: Delegation) -> str:
    if delegation.kind == Delegation.Kind.ORGANISATION:
        return SupportingDocument.NOMINATION_LETTER
    return SupportingDocument.NOTE_VERBALE


@transaction.atomic
def submit_delegation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    """Send the credentials for checking, and submit the members' drafts."""
    locked = _lock_delegation(delegation)
    if locked.status not in Delegation.Status.submission_open():
        raise ValidationError(
            _("A delegation that is “%(status)s” cannot be submitted."), params={"status": locked.get_status_display()}
        )
    needed = required_delegation_document(locked)
    if not locked.documents.filter(kind=needed).exists():
        first: dict[str, str] = {
            SupportingDocument.NOTE_VERBALE: _("Upload the note verbale first."),
            SupportingDocument.NOMINATION_LETTER: _("Upload the nomination letter first."),
        }
        raise ValidationError({"documents": first[needed]})
    if not _live_members(locked).exists():
        raise ValidationError({"members": _("Nominate at least one member first.")})
    locked.status = Delegation.Status.SUBMITTED
    locked.decision_reason = ""
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    _delegation_record("submitted", locked, actor=actor, request=request)
    for member in Application.objects.filter(delegation=locked, status=Status.DRAFT).order_by("pk"):
        try:
            submit_application(member, actor=actor, request=request)
        except ValidationError as error:
            raise ValidationError(
                {
                    "members": _("The data of %(name)s is incomplete: %(problems)s")
                    % {"name": member.full_name, "problems": " ".join(error.messages)}
                }
            ) from error
    delegation.status = locked.status
    return locked


@transaction.atomic
def approve_delegation(delegation: Delegation, *, actor: Any, request: Any = None) -> Delegation:
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.SUBMITTED:
        raise ValidationError(_("Only submitted credentials can be approved."))
    locked.status = Delegation.Status.APPROVED
    locked.save(update_fields=["status", "updated_at"])
    entry = _delegation_record("approved", locked, actor=actor, request=request)
    _announce_decision(locked, old_status=Delegation.Status.SUBMITTED, actor=actor)
    _mail_focal_point(locked, "delegation_approved", entry)
    delegation.status = locked.status
    return locked


@transaction.atomic
def reject_delegation(delegation: Delegation, *, actor: Any, reason: str, request: Any = None) -> Delegation:
    reason = _required_reason(reason)
    locked = _lock_delegation(delegation)
    if locked.status != Delegation.Status.SUBMITTED:
        raise ValidationError(_("Only submitted credentials can be rejected."))
    locked.status = Delegation.Status.REJECTED
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decision_reason", "updated_at"])
    entry = _delegation_record("rejected", locked, actor=actor, request=request, reason=reason)
    _announce_decision(locked, old_status=Delegation.Status.SUBMITTED, actor=actor)
    _mail_focal_point(locked, "delegation_rejected", entry)
    delegation.status = locked.status
    delegation.decision_reason = reason
    return locked
