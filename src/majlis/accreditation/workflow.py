"""The application workflow in one place: which action leads from which states to which, and who may take it.

``TRANSITIONS`` is the table (action → the states it may start from → the state it leads to → who
may take it). ``refusal(action, application, actor)`` says why an action is not possible (a
translated sentence) or returns ``None``; ``can`` is its boolean, ``allowed_actions`` lists what an
actor may do with an application (templates ask through ``{% load accreditation_workflow %}``, the
API and the views through these functions). ``check(action, application)`` is what every service
calls before a transition: it raises the one ``ValidationError`` (code ``transition_not_allowed``;
``closed`` for editing) for a state that does not allow the action.

The services check the state only, not the actor: the views and the API decide access before they
call a service (their decorators name a capability), and the system acts without a user (the demo
loader, waitlist promotion, scheduled jobs). ``can`` with an actor is what pages and the API use to
show, or refuse, an action before it is tried.

"edit" is an action without a target state: who may change an application's data, and until when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from majlis.core import capabilities

from .models import Application, Delegation

Status = Application.Status

# Who may take an action. "applicant": the person the application belongs to (its account);
# "focal_point": the focal point of the person's delegation; otherwise a capability in the event.
APPLICANT = "applicant"
FOCAL_POINT = "focal_point"
DECIDE = "accreditation.decide"
MANAGE = "accreditation.manage"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None  # approve ends on the waiting list instead when no seat is free; edit keeps the state
    by: frozenset[str]


def _transition(name: str, label: str | Promise, sources: Iterable[str], target: str | None, *by: str) -> Transition:
    return Transition(name=name, label=label, sources=frozenset(sources), target=target, by=frozenset(by))


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _transition("submit", gettext_lazy("Submit"), {Status.DRAFT}, Status.SUBMITTED, APPLICANT, FOCAL_POINT, MANAGE),
        _transition("start_review", gettext_lazy("Start the review"), {Status.SUBMITTED}, Status.UNDER_REVIEW, DECIDE),
        _transition("approve", gettext_lazy("Approve"), Status.decidable(), Status.APPROVED, DECIDE),
        _transition("waitlist", gettext_lazy("Put on the waitlist"), Status.pending(), Status.WAITLISTED, DECIDE),
        _transition("reject", gettext_lazy("Reject"), Status.counted(), Status.REJECTED, DECIDE),
        _transition("cancel", gettext_lazy("Cancel"), Status.live(), Status.CANCELLED, APPLICANT, FOCAL_POINT),
        _transition("withdraw", gettext_lazy("Withdraw"), Status.counted(), Status.WITHDRAWN, DECIDE),
        # Editing: the widest set of states here; who edits until when is narrowed in _edit_sources.
        _transition("edit", gettext_lazy("Change"), Status.live(), None, APPLICANT, FOCAL_POINT, MANAGE),
    )
}
# The organisers' decisions, in the order the pages offer them.
DECISIONS = ("approve", "waitlist", "start_review", "reject", "withdraw")


def _state_refusal(action: str) -> str:
    """Why an action is refused in the application's current state: one whole sentence per action."""
    messages = {
        "submit": _("An application that is “%(status)s” cannot be submitted."),
        "start_review": _("An application that is “%(status)s” cannot be put under review."),
        "approve": _("An application that is “%(status)s” cannot be approved."),
        "waitlist": _("An application that is “%(status)s” cannot be put on the waiting list."),
        "reject": _("An application that is “%(status)s” cannot be rejected."),
        "cancel": _("An application that is “%(status)s” cannot be cancelled."),
        "withdraw": _("An application that is “%(status)s” cannot be withdrawn."),
        "edit": _("An application that is “%(status)s” can no longer be changed."),
    }
    return messages[action]


def _get(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise ValueError(f"Unknown workflow action {action!r}") from None


def state_allows(action: str, application: Application) -> bool:
    return application.status in _get(action).sources


def check(action: str, application: Application) -> None:
    """Raise the workflow's error when the application's state does not allow ``action`` (the services call it)."""
    if not state_allows(action, application):
        raise ValidationError(
            _state_refusal(action),
            params={"status": application.get_status_display()},
            # Editing is no transition: a closed application is simply closed.
            code="closed" if action == "edit" else "transition_not_allowed",
        )


def holds(actor: Any, capability: str, application: Application) -> bool:
    """Whether ``actor`` holds an accreditation capability in the application's event."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return capabilities.has(actor, capability, application.event)


def _personal_roles(actor: Any, application: Application) -> set[str]:
    found: set[str] = set()
    if application.user_id is not None and application.user_id == actor.pk:
        found.add(APPLICANT)
    if application.delegation_id is not None:
        delegation = application.delegation
        if delegation is not None and FOCAL_POINT in delegation.roles_of(actor):
            found.add(FOCAL_POINT)
    return found


def roles_of(actor: Any, application: Application, transition: Transition | None = None) -> frozenset[str]:
    """What ``actor`` is to the application: its applicant, the focal point of its delegation, and/or
    holder of the accreditation capabilities of the event.

    With a ``transition``, only what it needs: the capabilities are not looked up (a query) when the
    actor already takes part as the applicant or the focal point."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    found = _personal_roles(actor, application)
    if transition is not None and found & transition.by:
        return frozenset(found)
    for capability in (DECIDE, MANAGE):
        if (transition is None or capability in transition.by) and holds(actor, capability, application):
            found.add(capability)
    return frozenset(found)


def _edit_sources(application: Application, roles: frozenset[str]) -> frozenset[str]:
    """The states in which these roles may change the application's data.

    Individual applicants and organisers: until the application is closed. A delegation member
    completing their own data: until the organisers decide. Their focal point: until the member is
    approved (a waitlisted member's data may still be corrected)."""
    allowed: set[str] = set()
    if MANAGE in roles or (APPLICANT in roles and application.delegation_id is None):
        allowed |= Status.live()
    if APPLICANT in roles and application.delegation_id is not None:
        allowed |= Status.undecided()
    if FOCAL_POINT in roles:
        allowed |= Status.undecided() | {Status.WAITLISTED}
    return frozenset(allowed)


def _credentials_refusal(application: Application) -> str | None:
    """A delegation member is decided only after the organisers approved the delegation's credentials."""
    if application.delegation_id is None:
        return None
    delegation = application.delegation
    if delegation is not None and delegation.status == Delegation.Status.APPROVED:
        return None
    return credentials_not_approved_message()


def credentials_not_approved_message() -> str:
    return _(
        "The credentials of this person's delegation have not been approved: approve the delegation's "
        "credentials before deciding on its members."
    )


def refusal(action: str, application: Application, actor: Any = None, *, check_actor: bool = True) -> str | None:
    """Why ``actor`` may not take ``action`` on the application now (a translated sentence), or ``None``.

    ``check_actor=False`` asks about the application alone (its state, its delegation, its data).
    """
    transition = _get(action)
    params = {"status": application.get_status_display()}
    roles = roles_of(actor, application, transition) if check_actor else frozenset()
    if check_actor and not roles & transition.by:
        return _("You may not do this with this application.")
    sources = _edit_sources(application, roles) if action == "edit" and check_actor else transition.sources
    if application.status not in sources:
        return _state_refusal(action) % params
    if action in {"cancel", "edit"} and application.personal_data_purged_at is not None:
        return _("The personal data of this application has been removed.")
    # Applicants change their own data until the event; their focal point and organisers may still correct it.
    if action == "edit" and roles & transition.by == {APPLICANT} and application.event.phase() == "past":
        return _("The event is over: the application can no longer be changed.")
    if action in {"approve", "waitlist"}:
        return _credentials_refusal(application)
    return None


def can(action: str, application: Application, actor: Any = None, *, check_actor: bool = True) -> bool:
    return refusal(action, application, actor, check_actor=check_actor) is None


def allowed_actions(application: Application, actor: Any, among: Iterable[str] | None = None) -> list[Transition]:
    """The actions ``actor`` may take on the application now, in the table's order (or among ``among``)."""
    names = list(among) if among is not None else list(TRANSITIONS)
    return [TRANSITIONS[name] for name in names if can(name, application, actor)]
