"""Who may hold a seat in a session: the one rule every form, API call and service asks.

A session's ``access`` (``programme.models.Session.Access``) decides:

- open: everyone accredited in the event;
- restricted: only applications whose category code is in the session's ``restricted_to``;
- by invitation: only people an organiser invited to that session by hand.

An organiser's personal invitation (``SessionInvitation``) makes its person eligible whatever the
rule, so that an organiser may still invite someone into a restricted session. A session of
another event is never eligible. Offering a session (forms) and confirming a seat (services,
waitlist promotion) both go through ``may_attend`` / ``is_eligible``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Application, Category, SessionInvitation


def _access(session: Any) -> str:
    from majlis.programme.models import Session

    return session.access if session.access in Session.Access.values else Session.Access.INVITATION


def is_eligible(session: Any, *, category: Category | None, invited: bool = False) -> bool:
    """Whether someone of ``category`` (invited to ``session`` or not) may hold a seat in it."""
    from majlis.programme.models import Session

    if category is not None and category.event_id != session.event_id:
        return False
    if invited:
        return True
    access = _access(session)
    if access == Session.Access.OPEN:
        return True
    if access == Session.Access.RESTRICTED:
        return category is not None and category.code in (session.restricted_to or [])
    return False  # by invitation, and not invited


def invited_session_ids(application: Application | None) -> set[int]:
    if application is None or application.pk is None:
        return set()
    return set(SessionInvitation.objects.filter(application=application).values_list("session_id", flat=True))


def is_invited(application: Application, session: Any) -> bool:
    if application.pk is None:
        return False
    return SessionInvitation.objects.filter(application=application, session=session).exists()


def may_attend(application: Application, session: Any) -> bool:
    """Whether this application may hold a seat in the session (its category now, its invitations)."""
    if application.event_id != session.event_id:
        return False
    category = Category.objects.get(pk=application.category_id)
    return is_eligible(session, category=category, invited=is_invited(application, session))


def eligible_sessions(
    sessions: Iterable[Any],
    *,
    categories: Iterable[Category],
    application: Application | None = None,
) -> list[Any]:
    """The sessions to offer to someone who will be in one of ``categories`` (and has ``application``'s
    invitations). With several categories (the applicant still chooses one), a session is offered
    when it is open to at least one of them; the choice is checked again once the category is known."""
    categories = list(categories)
    invited = invited_session_ids(application)
    return [
        session
        for session in sessions
        if any(is_eligible(session, category=c, invited=session.pk in invited) for c in categories)
    ]


def refusal(session: Any) -> str:
    """Why a seat in this session is refused, in the current language: one sentence naming it."""
    from majlis.programme.models import Session

    if _access(session) == Session.Access.RESTRICTED:
        return _(
            "The session “%(session)s” is reserved for some categories of participants, and the chosen "
            "category is not one of them."
        ) % {"session": session.title}
    return _("The session “%(session)s” is open only to those the organisers invite to it.") % {
        "session": session.title
    }


def check_requested(application: Application, sessions: Iterable[Any]) -> None:
    """Raise a ValidationError on ``sessions`` naming every session the application may not ask for."""
    category = Category.objects.get(pk=application.category_id)
    invited = invited_session_ids(application)
    refused = [
        refusal(session)
        for session in sessions
        if not is_eligible(session, category=category, invited=session.pk in invited)
    ]
    if refused:
        raise ValidationError({"sessions": refused}, code="session_not_eligible")
