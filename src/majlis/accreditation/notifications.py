"""E-mails to participants and focal points: queued in a transaction, sent by a background task.

``queue`` writes a ``Notification`` row whose unique ``key`` names the occurrence it announces
(for a transition: the audit entry's id), so the same occurrence is never mailed twice, and
enqueues ``tasks.send_notification`` once the transaction commits. The task renders the message
in the recipient's language at send time — one-time log-in links are issued then, so that they
are never stored in clear and their lifetime starts when the message leaves — and records every
failure on the row, where organisers see it (``failed_notifications``).

Nothing secret is put in a message: no passport number, no other person's data.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Application, Delegation, LoginLink, Mode, Notification
from .salutations import salutation

MAX_ATTEMPTS = 5
# Minutes to wait before the next attempt after the 1st, 2nd, 3rd, 4th failure.
RETRY_DELAYS_MINUTES = (2, 10, 30, 120)

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

TEMPLATES = frozenset(SUBJECTS)
# Messages about one session: their key is ``application:<id>:<template>:<session id>:<audit entry id>``.
SESSION_TEMPLATES = frozenset(
    {"session_seat_confirmed", "session_invitation", "session_invitation_withdrawn", "session_seat_released"}
)


def public_url(path: str) -> str:
    """An absolute address for a link in an e-mail."""
    base = getattr(settings, "MAJLIS_PUBLIC_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def _reverse(name: str, fallback: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


def subject_for(template: str, event: Any, language: str) -> str:
    with translation.override(language):
        title = str(event.short_title or event.title) if event is not None else "Majlis"
        return f"{title}: {SUBJECTS[template]}"[:300]


def queue(
    *,
    key: str,
    template: str,
    recipient: str,
    language: str,
    event: Any = None,
    application: Application | None = None,
    subject: str = "",
) -> Notification:
    """Record an e-mail to send and send it once the current transaction commits. Idempotent per key.

    ``subject`` replaces the template's own (the organisers' mass e-mails have theirs)."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown e-mail template {template!r}")
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    notification, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "event": event,
            "application": application,
            "recipient": recipient,
            "language": language,
            "template": template,
            "subject": subject[:300] or subject_for(template, event, language),
        },
    )
    if created:
        enqueue(notification)
    return notification


def enqueue(notification: Notification, *, run_after: Any = None) -> None:
    """Hand the notification to the task queue.

    With the database queue the task row is written in the current transaction, so the e-mail
    and its task are committed (or rolled back) together: nothing is lost between the two. Other
    backends (the immediate one in tests) run the task once the transaction has committed.
    """
    from . import tasks

    notification_id = notification.pk
    task = tasks.send_notification
    backend = task.get_backend()
    if run_after is not None and backend.supports_defer:
        task = task.using(run_after=run_after)
    if type(backend).__module__.startswith("django_tasks_db"):
        task.enqueue(notification_id)
    else:
        transaction.on_commit(lambda: task.enqueue(notification_id))


def requeue_stuck_notifications(older_than: timedelta = timedelta(minutes=30), *, now: Any = None) -> int:
    """Enqueue again the e-mails still waiting long after they were queued (a worker lost, a backend
    changed); sending is idempotent, so a duplicate task sends nothing twice. Returns how many."""
    stuck = Notification.objects.filter(
        status=Notification.Status.QUEUED, created_at__lt=(now or timezone.now()) - older_than
    ).order_by("pk")
    count = 0
    for notification in stuck:
        enqueue(notification)
        count += 1
    return count


def failed_notifications(event: Any) -> QuerySet[Notification]:
    """E-mails of the event that could not be sent (still retrying, or given up): for organisers."""
    return (
        Notification.objects.filter(event=event, status__in=[Notification.Status.FAILED, Notification.Status.GAVE_UP])
        .select_related("application")
        .order_by("-created_at")
    )


# --- Rendering (at send time, in the recipient's language) --------------------------------------


def delegation_of(notification: Notification) -> Delegation | None:
    """Delegation messages carry the delegation in their key: ``delegation:<id>:...``."""
    kind, _sep, rest = notification.key.partition(":")
    if kind != "delegation":
        return None
    pk = rest.split(":", 1)[0]
    return Delegation.objects.select_related("event", "organisation").filter(pk=pk).first() if pk.isdigit() else None


def _login_link(user: Any, next_url: str = "") -> str:
    """An invitation's personal link: the long-lived kind (``MAJLIS_INVITATION_LINK_HOURS``), single use."""
    from .login_links import issue_login_link

    next_url = next_url or _reverse("account:home", "/account/")
    return public_url(issue_login_link(user, next_url=next_url, request=None, purpose=LoginLink.Purpose.INVITATION))


def build_context(notification: Notification) -> dict[str, Any]:
    """What the message templates show. Call inside ``translation.override(notification.language)``."""
    application = notification.application
    delegation = delegation_of(notification)
    if delegation is None and application is not None:
        delegation = application.delegation
    event = notification.event or (application.event if application else delegation.event if delegation else None)
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
    if notification.template in DESK_TEMPLATES and event is not None:
        from .services import participants as services_participants

        context["desks"] = services_participants.desks(event) if context["in_person"] else []
        context["organiser_details"] = services_participants.organiser_details(event)
    if notification.template == "waitlisted" and application is not None:
        from .services import participants as services_participants

        context["waitlist_position"] = services_participants.waitlist_position(application)
    if notification.template == "mass_mail":
        from .services import participants as services_participants

        context["mailing"] = services_participants.mailing_of(notification)
    if notification.template in {"delegation_rejected", "delegation_approved"} and delegation is not None:
        context["reason"] = delegation.decision_reason
    if notification.template in SESSION_TEMPLATES:
        session_id = notification.key.rsplit(":", 2)[-2] if notification.key.count(":") >= 4 else ""
        from majlis.programme.models import Session

        context["session"] = Session.objects.filter(pk=session_id).first() if session_id.isdigit() else None
        if context["session"] is not None and application is not None:
            context["seat"] = application.seats.filter(session=context["session"]).first()
    if notification.template in {"delegation_invitation", "member_invitation"}:
        from .login_links import invitation_link_lifetime

        context["link_hours"] = int(invitation_link_lifetime().total_seconds() // 3600)
    if notification.template == "delegation_invitation" and delegation is not None:
        from .services import user_for_email

        mine = _reverse("events:delegations:mine", "", event=delegation.event.slug)
        context["link"] = _login_link(user_for_email(delegation.focal_point_email), mine)
    if notification.template == "member_invitation" and application is not None:
        from .services import user_for_email

        context["link"] = _login_link(application.user or user_for_email(application.email))
    return context


def build_message(notification: Notification) -> EmailMultiAlternatives:
    event = notification.event or (notification.application.event if notification.application else None)
    with translation.override(notification.language), timezone.override(event.tz if event else UTC):
        context = build_context(notification)
        base = f"accreditation/email/{notification.template}"
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(notification.subject, text, None, [notification.recipient])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Content-Language"] = notification.language
    return message


def mark_sent(notification: Notification) -> None:
    notification.status = Notification.Status.SENT
    notification.attempts += 1
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "attempts", "sent_at", "last_error"])


def mark_failed(notification: Notification, error: BaseException) -> bool:
    """Record a failed attempt; returns whether another attempt should be scheduled."""
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    give_up = notification.attempts >= MAX_ATTEMPTS
    notification.status = Notification.Status.GAVE_UP if give_up else Notification.Status.FAILED
    notification.save(update_fields=["status", "attempts", "last_error"])
    return not give_up


def retry_delay(attempts: int) -> timedelta:
    index = min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1
    return timedelta(minutes=RETRY_DELAYS_MINUTES[index])


def retry_notification(notification: Notification, *, actor: Any, request: Any = None) -> Notification:
    """An organiser sends a failed e-mail again (same row, same key: it still cannot go out twice)."""
    from django.core.exceptions import ValidationError

    from majlis.core import audit

    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status == Notification.Status.SENT:
            raise ValidationError(_("This e-mail has already been sent."), code="sent")
        if locked.status == Notification.Status.QUEUED:
            raise ValidationError(_("This e-mail is already waiting to be sent."), code="queued")
        if locked.status == Notification.Status.GAVE_UP:
            # A fresh series of attempts, asked for by a person.
            locked.attempts = 0
        locked.status = Notification.Status.QUEUED
        locked.save(update_fields=["status", "attempts"])
        audit.record(
            "accreditation.mail_retried",
            actor=actor,
            obj=locked,
            event_slug=locked.event.slug if locked.event is not None else "",  # (no query when no event)
            request=request,
            template=locked.template,
        )
        enqueue(locked)
    notification.status = locked.status
    notification.attempts = locked.attempts
    return locked
