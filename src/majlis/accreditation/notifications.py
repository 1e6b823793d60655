"""Accreditation's e-mails: their registry entries in the core outbox, their context, their links.

Every e-mail goes through ``majlis.core.outbox`` (see there: one ``OutboxMessage`` per occurrence,
sent by a background task, retried, never sent twice). This module registers accreditation's
templates (``register_templates``, from ``apps.py``) and queues its messages with a JSON context
of ids (``queue``); ``build_context`` turns those ids back into what the templates show, reading
only. The one-time log-in links that invitations and the log-in page's e-mails carry are issued by
the registered ``prepare`` step, just before the message leaves — so that a link is never stored in
clear and its lifetime starts when the message leaves —, and a link of an attempt that failed is
voided, so a retried message never leaves two live links.

Nothing secret is put in a message: no passport number, no other person's data.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from majlis.core import audit, outbox
from majlis.core.models import OutboxMessage
from majlis.events.models import Event

from .models import Application, Delegation, LoginLink, MassMailing, Mode
from .salutations import salutation

MAX_ATTEMPTS = outbox.MAX_ATTEMPTS
RETRY_DELAYS_MINUTES = outbox.RETRY_DELAYS_MINUTES

SUBJECTS = {
    "received": _("We have received your application"),
    "under_review": _("Your application is being reviewed"),
    "approved": _("Your accreditation is approved"),
    "waitlisted": _("You are on the waiting list"),
    "rejected": _("Your application was not accepted"),
    "cancelled": _("Your application is cancelled"),
    "withdrawn": _("Your accreditation was withdrawn"),
    "promoted": _("A place is free: your accreditation is approved"),
    "back_to_review": _("Your changed application is being reviewed again"),
    "session_seat_confirmed": _("A seat is free for you in a session"),
    "session_invitation": _("You are invited to a session"),
    "session_invitation_withdrawn": _("Your invitation to a session was withdrawn"),
    "session_seat_released": _("Your seat in a session was released"),
    "delegation_invitation": _("You are invited to register your delegation"),
    "member_invitation": _("You are invited to complete your accreditation"),
    "delegation_approved": _("Your delegation's credentials are approved"),
    "delegation_rejected": _("Your delegation's credentials were not accepted"),
    "mass_mail": _("A message from the organisers"),
    "visa_letter_issued": _("Your visa-support letter is ready"),
}

# Decision e-mails that tell where and when to collect the badge.
DESK_TEMPLATES = frozenset({"approved", "promoted"})
# Messages about one session: their context names it (``"session": <id>``).
SESSION_TEMPLATES = frozenset(
    {"session_seat_confirmed", "session_invitation", "session_invitation_withdrawn", "session_seat_released"}
)
# Invitations carry a personal long-lived log-in link, issued when the message leaves.
INVITATION_TEMPLATES = frozenset({"delegation_invitation", "member_invitation"})
# The log-in page's e-mail: a 20-minute link (``login_links.request_login_link``).
LOGIN_LINK_TEMPLATE = "login_link"
TEMPLATES = frozenset(SUBJECTS) | {LOGIN_LINK_TEMPLATE}


def public_url(path: str) -> str:
    """An absolute address for a link in an e-mail."""
    base = getattr(settings, "MAJLIS_PUBLIC_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def _reverse(name: str, fallback: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


def subject_for(template: str, event: Any, language: str | None = None) -> str:
    """``"<event's short title>: <the template's subject>"`` in the active language."""
    from django.utils import translation

    with translation.override(language or translation.get_language()):
        title = str(event.short_title or event.title) if event is not None else "Majlis"
        return f"{title}: {SUBJECTS[template]}"[:300]


# --- Queueing -------------------------------------------------------------------------------------


def queue(
    *,
    key: str,
    template: str,
    recipient: str,
    language: str,
    event: Any = None,
    application: Application | None = None,
    delegation: Delegation | None = None,
    session: Any = None,
    mailing: MassMailing | None = None,
    user: Any = None,
) -> OutboxMessage:
    """Queue an accreditation e-mail about these objects (only their ids are stored). Idempotent per key.

    An invitation names the ``user`` its link logs in (the services create the account first: the
    sending only issues the link)."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown e-mail template {template!r}")
    objects = {"application": application, "delegation": delegation, "session": session, "mailing": mailing}
    context: dict[str, Any] = {name: obj.pk for name, obj in objects.items() if obj is not None}
    if user is not None:
        context["user"] = user.pk
    if event is None:
        event = application.event if application is not None else delegation.event if delegation else None
    about = application or delegation or user
    return outbox.queue(
        key=key,
        template=template,
        recipient=recipient,
        language=language,
        context=context,
        event_id=event.pk if event is not None else None,
        related=outbox.related_key(about) if about is not None else "",
    )


def enqueue(notification: OutboxMessage, *, run_after: Any = None) -> None:
    outbox.enqueue(notification, run_after=run_after)


def requeue_stuck_notifications(*args: Any, **kwargs: Any) -> int:
    return outbox.requeue_stuck(*args, **kwargs)


def failed_notifications(event: Any) -> QuerySet[OutboxMessage]:
    """E-mails of the event that could not be sent (still retrying, or given up): for organisers."""
    return outbox.failed(event_id=event.pk)


def about_application(application: Application) -> QuerySet[OutboxMessage]:
    """Every e-mail about this application (its decisions, sessions, invitations, mass mail)."""
    return outbox.messages_about(application)


def retry_notification(notification: OutboxMessage, *, actor: Any, request: Any = None) -> OutboxMessage:
    """An organiser sends a failed e-mail again (same row, same key: it still cannot go out twice)."""
    events = (
        Event.objects.filter(pk=notification.event_id) if notification.event_id is not None else Event.objects.none()
    )
    slug = events.values_list("slug", flat=True).first() or ""
    return outbox.retry(notification, actor=actor, request=request, event_slug=slug)


# --- Rendering (at send time, in the recipient's language; reads only) -----------------------------


def _pk(message: OutboxMessage, name: str) -> int | None:
    value = message.context.get(name) if isinstance(message.context, dict) else None
    return value if isinstance(value, int) else None


def _event(message: OutboxMessage) -> Event | None:
    return Event.objects.filter(pk=message.event_id).first() if message.event_id is not None else None


def time_zone(message: OutboxMessage) -> tzinfo:
    event = _event(message)
    return event.tz if event is not None else UTC


def build_context(notification: OutboxMessage) -> dict[str, Any]:
    """What the message templates show, from the ids of its context. Reads only: it creates no
    account, issues no link and writes nothing (the link is ``prepare``'s). Call inside
    ``translation.override(notification.language)``."""
    template = notification.template
    application_id = _pk(notification, "application")
    application = (
        Application.objects.select_related("event", "delegation__organisation", "category")
        .filter(pk=application_id)
        .first()
        if application_id is not None
        else None
    )
    delegation_id = _pk(notification, "delegation")
    delegation = (
        Delegation.objects.select_related("event", "organisation").filter(pk=delegation_id).first()
        if delegation_id is not None
        else None
    )
    if delegation is None and application is not None:
        delegation = application.delegation
    event = _event(notification) or (application.event if application else delegation.event if delegation else None)
    context: dict[str, Any] = {
        "event": event,
        "application": application,
        "delegation": delegation,
        "language": notification.language,
        "account_url": public_url(_reverse("account:home", "/account/")),
        "login_url": public_url(_reverse("login-link:request", "") or _reverse("account:login", "/account/login/")),
        "event_url": public_url(event.get_absolute_url()) if event is not None else "",
        "in_person": bool(application and application.mode == Mode.IN_PERSON),
        "reason": "",
    }
    if application is not None:
        context["reason"] = application.decision_reason
        context["salutation"] = salutation(application)
        context["reference"] = application.reference
    if template in DESK_TEMPLATES and event is not None:
        from .services import participants as services_participants

        context["desks"] = services_participants.desks(event) if context["in_person"] else []
        context["organiser_details"] = services_participants.organiser_details(event)
    if template == "waitlisted" and application is not None:
        from .services import participants as services_participants

        context["waitlist_position"] = services_participants.waitlist_position(application)
    if template == "mass_mail":
        mailing_id = _pk(notification, "mailing")
        context["mailing"] = (
            MassMailing.objects.select_related("event").filter(pk=mailing_id).first() if mailing_id else None
        )
    if template in {"delegation_rejected", "delegation_approved"} and delegation is not None:
        context["reason"] = delegation.decision_reason
    if template in SESSION_TEMPLATES:
        from majlis.programme.models import Session

        session_id = _pk(notification, "session")
        context["session"] = Session.objects.filter(pk=session_id).first() if session_id is not None else None
        if context["session"] is not None and application is not None:
            context["seat"] = application.seats.filter(session=context["session"]).first()
    if template in INVITATION_TEMPLATES:
        from .login_links import invitation_link_lifetime

        context["link_hours"] = int(invitation_link_lifetime().total_seconds() // 3600)
    return context


def subject(notification: OutboxMessage, context: dict[str, Any]) -> str:
    """``"<event>: <subject>"``; a mass e-mail's subject is the organisers' own."""
    event = context.get("event")
    if notification.template == "mass_mail" and context.get("mailing") is not None:
        title = str(event.short_title or event.title) if event is not None else "Majlis"
        return f"{title}: {context['mailing'].subject}"[:300]
    return subject_for(notification.template, event)


def build_message(notification: OutboxMessage) -> EmailMultiAlternatives:
    """The message as it would leave (for previews): rendering writes nothing."""
    return outbox.render(notification)


# --- Log-in links: the explicit, audited step before an invitation or a log-in e-mail leaves ----------


def _link_user(message: OutboxMessage) -> Any:
    """The account the message's link logs in: named in its context by the service that queued it.

    Messages queued before the outbox moved to core have no ``user`` in their context: the account
    is the application's, or the one of the focal point's address (created if need be, as the
    sending did then)."""
    user_id = _pk(message, "user")
    if user_id is not None:
        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
    from .services import user_for_email

    application_id = _pk(message, "application")
    application = Application.objects.filter(pk=application_id).first() if application_id else None
    if application is not None:
        return application.user or user_for_email(application.email)
    delegation_id = _pk(message, "delegation")
    delegation = Delegation.objects.filter(pk=delegation_id).first() if delegation_id else None
    return user_for_email(delegation.focal_point_email) if delegation is not None else None


def void_links(message: OutboxMessage) -> int:
    """Make the unused links issued for this message unusable (its attempt failed, or it is tried again)."""
    from django.utils import timezone

    now = timezone.now()
    return LoginLink.objects.filter(message_key=message.key, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )


def _issue_for(message: OutboxMessage, *, next_url: str, purpose: str, client: str | None = None) -> str:
    """Void the links of earlier attempts, issue a new one; returns its path (in the active language)."""
    from .login_links import issue_login_link, may_use_login_links

    user = _link_user(message)
    if user is None or not may_use_login_links(user):
        # The account is gone, or must now log in with its password and second factor.
        raise outbox.DoNotSend("This account may not log in by e-mail link.")
    void_links(message)
    path = issue_login_link(user, next_url=next_url, client=client, purpose=purpose, message_key=message.key)
    audit.record(
        "account.login_link_sent",
        obj=user,
        client=client or None,
        language=message.language,
        purpose=purpose,
        message=message.pk,
    )
    return path


def prepare_invitation(message: OutboxMessage) -> dict[str, Any]:
    """An invitation's personal link (``MAJLIS_INVITATION_LINK_HOURS``, single use)."""
    next_url = _reverse("account:home", "/account/")
    if message.template == "delegation_invitation":
        delegation_id = _pk(message, "delegation")
        delegations = Delegation.objects.filter(pk=delegation_id) if delegation_id else Delegation.objects.none()
        slug = delegations.values_list("event__slug", flat=True).first()
        if slug:
            next_url = _reverse("events:delegations:mine", "", event=slug) or next_url
    path = _issue_for(message, next_url=next_url, purpose=LoginLink.Purpose.INVITATION)
    return {"link": public_url(path)}


def prepare_login_link(message: OutboxMessage) -> dict[str, Any]:
    """The log-in page's link (20 minutes, single use), on the address the request came to."""
    context = message.context if isinstance(message.context, dict) else {}
    path = _issue_for(
        message,
        next_url=str(context.get("next") or ""),
        purpose=LoginLink.Purpose.LOGIN,
        client=str(context.get("client") or "") or None,
    )
    base_url = str(context.get("base_url") or "") or public_url("").rstrip("/")
    return {"url": base_url + path}


def login_link_context(message: OutboxMessage) -> dict[str, Any]:
    from .login_links import LINK_LIFETIME

    return {"minutes": int(LINK_LIFETIME.total_seconds() // 60)}


def login_link_subject(message: OutboxMessage, context: dict[str, Any]) -> str:
    return render_to_string("accreditation/email/login_link_subject.txt", context)


def register_templates() -> None:
    """Accreditation's entries in the outbox's registry (called from ``apps.py``)."""
    for template in SUBJECTS:
        invitation = template in INVITATION_TEMPLATES
        outbox.register(
            outbox.MailTemplate(
                name=template,
                subject=subject,
                text_template=f"accreditation/email/{template}.txt",
                html_template=f"accreditation/email/{template}.html",
                build_context=build_context,
                prepare=prepare_invitation if invitation else None,
                discard=void_links if invitation else None,
                time_zone=time_zone,
            )
        )
    outbox.register(
        outbox.MailTemplate(
            name=LOGIN_LINK_TEMPLATE,
            subject=login_link_subject,
            text_template="accreditation/email/login_link_body.txt",
            build_context=login_link_context,
            prepare=prepare_login_link,
            discard=void_links,
        )
    )
