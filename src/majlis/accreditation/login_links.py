"""One-time e-mail log-in links for participants and focal points.

A link is valid for 20 minutes and works once; the link in an invitation (``purpose="invitation"``:
a focal point's or a member's) lasts ``MAJLIS_INVITATION_LINK_HOURS`` (72 hours by default) so that
people in other time zones can still use it, and works once too. Only the SHA-256 of its token is
stored, so a copy of the database logs nobody in.

The main defence of the public request form is its limit per client address (20 requests per hour,
counted in the shared cache so that every worker process sees the same count; the address is the
real client's behind a trusted proxy, see ``majlis.core.throttle``). The request itself only counts
and queues: looking up the account, the per-e-mail limit (at most 3 links per 15 minutes to one
account, counted in ``LoginLink`` rows: it stops more mail to that account and blocks nobody else)
and the mail happen in a background task, so the answer, its content and its timing are the same
whether or not the address is registered.

Organisers and staff log in with a password and a second factor: a link is never issued to them
(an e-mail link would skip the second factor).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django_tasks import task

from majlis.core import audit
from majlis.core.throttle import Throttle, address_bucket
from majlis.events.rules import ORGANISER_ROLES

from .models import Delegation, LoginLink

LINK_LIFETIME = timedelta(minutes=20)
DEFAULT_INVITATION_LINK_HOURS = 72
EMAIL_LIMIT = 3
EMAIL_WINDOW = timedelta(minutes=15)
IP_LIMIT = 20
IP_WINDOW = timedelta(hours=1)
ADDRESS_THROTTLE = Throttle("login-link-address", IP_LIMIT, int(IP_WINDOW.total_seconds()))
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may_use_login_links(user: Any) -> bool:
    """Participants and focal points only: staff and organisers must use their password and TOTP."""
    if user is None or not user.is_active or user.is_staff or user.is_superuser:
        return False
    return not user.event_roles.filter(role__in=ORGANISER_ROLES).exists()


def safe_next_url(next_url: str, request: HttpRequest | None = None) -> str:
    if not next_url:
        return ""
    allowed_hosts = {request.get_host()} if request is not None else set()
    secure = request.is_secure() if request is not None else False
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=allowed_hosts, require_https=secure):
        return next_url
    return ""


def invitation_link_lifetime() -> timedelta:
    """How long an invitation link lasts: ``MAJLIS_INVITATION_LINK_HOURS`` (72 hours by default)."""
    hours = getattr(settings, "MAJLIS_INVITATION_LINK_HOURS", DEFAULT_INVITATION_LINK_HOURS)
    return timedelta(hours=max(int(hours), 1))


def link_lifetime(purpose: str) -> timedelta:
    return invitation_link_lifetime() if purpose == LoginLink.Purpose.INVITATION else LINK_LIFETIME


def revoke_invitation_links(user: Any) -> int:
    """Make the user's unused invitation links unusable (a newer invitation replaces them)."""
    now = timezone.now()
    return LoginLink.objects.filter(
        user=user, purpose=LoginLink.Purpose.INVITATION, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)


def issue_login_link(
    user: Any,
    *,
    next_url: str = "",
    request: HttpRequest | None = None,
    client: str | None = None,
    purpose: str = LoginLink.Purpose.LOGIN,
    message_key: str = "",
) -> str:
    """Create a link for ``user`` and return its absolute path (``/en/account/login/link/<token>/``).

    ``purpose="invitation"`` makes the long-lived kind, for invitation e-mails only.

    The path is in the active language; callers mailing it wrap this in ``translation.override``
    and make it absolute with ``request.build_absolute_uri``. No rate limit here: invitations sent by
    organisers use this too; ``request_login_link`` applies the limits for the public form.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    if purpose not in LoginLink.Purpose.values:
        raise ValueError(f"Unknown log-in link purpose {purpose!r}")
    LoginLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        expires_at=now + link_lifetime(purpose),
        requested_from=audit.client_ip(request) if request is not None else client,
        message_key=message_key[:200],
    )
    path = reverse("login-link:confirm", kwargs={"token": token})
    next_url = safe_next_url(next_url, request)
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return path


@dataclass(frozen=True)
class LinkState:
    link: LoginLink | None
    problem: str  # "", "unknown", "expired", "used" or "not_allowed"

    @property
    def valid(self) -> bool:
        return not self.problem


def inspect_login_link(token: str, *, now: datetime | None = None) -> LinkState:
    """What a token is worth, without using it (for the confirmation page shown on GET)."""
    now = now or timezone.now()
    link = LoginLink.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    return LinkState(link, _problem(link, now))


def _problem(link: LoginLink | None, now: datetime) -> str:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= now:
        return "expired"
    if not may_use_login_links(link.user):
        return "not_allowed"
    return ""


def consume_login_link(token: str, *, request: HttpRequest) -> Any | None:
    """Log the request in as the link's user and mark the link used; ``None`` if it is not valid.

    The row is locked while it is checked and marked, so two simultaneous POSTs of one link log in
    at most once.
    """
    now = timezone.now()
    with transaction.atomic():
        link = LoginLink.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if link is None or _problem(link, now):
            return None
        link.used_at = now
        link.save(update_fields=["used_at"])
        user = link.user
        login(request, user, backend=LOGIN_BACKEND)
        audit.record("account.login_link_used", actor=user, obj=user, request=request, link=link.pk)
    return user


def _address_allowance(request: HttpRequest) -> bool:
    """Counts one request from the client's address; False once it made more than IP_LIMIT this hour.

    The first refusal of a window is audited (not every one: a flood must not flood the audit log).
    """
    address = audit.client_ip(request)
    count = ADDRESS_THROTTLE.hit(address_bucket(address))
    if count == IP_LIMIT + 1:
        audit.record("account.login_link_refused", request=request, reason="too many requests from this address")
    return count <= IP_LIMIT


def user_for_email(email: str) -> Any | None:
    """The account a log-in link for this address goes to (the oldest active one, as
    ``services.user_for_email`` picks), unless it must log in with a password."""
    email = (email or "").strip()
    if not email:
        return None
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    return user if user is not None and may_use_login_links(user) else None


def mail_language(user: Any, page_language: str) -> str:
    """The language of the person's latest application, else of their delegation, else the page's."""
    languages = {code for code, _name in settings.LANGUAGES}
    application = user.applications.order_by("-created_at", "-id").values_list("language", flat=True).first()
    if application in languages:
        return application
    delegation = (
        Delegation.objects.filter(memberships__user=user)
        .order_by("-created_at", "-id")
        .values_list("focal_point_language", flat=True)
        .first()
    )
    if delegation in languages:
        return delegation
    return page_language if page_language in languages else settings.LANGUAGE_CODE


def request_login_link(email: str, *, request: HttpRequest, next_url: str = "") -> bool:
    """Handle the public form: count the request against the client address's limit and queue
    ``send_login_link`` (which looks the address up and mails a link if it may).

    The request does the same work whether or not the address is registered. Returns whether the
    request was queued (False: the address's limit is used up); the response must not depend on it.
    """
    if not _address_allowance(request):
        return False
    language = translation.get_language() or settings.LANGUAGE_CODE
    base_url = getattr(settings, "MAJLIS_PUBLIC_URL", "") or request.build_absolute_uri("/")
    arguments = {
        "email": (email or "").strip()[:254],
        "page_language": language,
        "next_url": safe_next_url(next_url, request),
        "base_url": base_url.rstrip("/"),
        "client": audit.client_ip(request) or "",
        "request_id": secrets.token_hex(16),
    }
    transaction.on_commit(lambda: send_login_link.enqueue(**arguments))
    return True


@task()
def send_login_link(
    email: str, *, page_language: str, next_url: str, base_url: str, client: str, request_id: str = ""
) -> bool:
    """Queue a log-in link e-mail to ``email`` in the outbox if it belongs to an account that may use
    one and fewer than EMAIL_LIMIT links went (or are going) to it in the last EMAIL_WINDOW. Returns
    whether a message was queued.

    The link itself is issued by the outbox's sender just before the message leaves
    (``notifications.prepare_login_link``), and again, voiding the first, if the sending is retried.
    ``request_id`` makes the task idempotent: run twice, it queues one message."""
    from majlis.core import outbox

    from .notifications import LOGIN_LINK_TEMPLATE

    user = user_for_email(email)
    if user is None:
        return False
    since = timezone.now() - EMAIL_WINDOW
    with transaction.atomic():
        # Lock the account row so that parallel requests cannot exceed the per-address limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if _links_asked_for(user, since) >= EMAIL_LIMIT:
            audit.record(
                "account.login_link_refused", obj=user, client=client or None, reason="too many links for this e-mail"
            )
            return False
        outbox.queue(
            key=f"login-link:{user.pk}:{request_id or secrets.token_hex(16)}",
            template=LOGIN_LINK_TEMPLATE,
            recipient=user.email,
            language=mail_language(user, page_language),
            context={"user": user.pk, "next": next_url, "base_url": base_url, "client": client},
            related=outbox.related_key(user),
        )
    return True


def _links_asked_for(user: Any, since: datetime) -> int:
    """How many log-in e-mails the person asked for since ``since``: the links issued (one per message,
    however many attempts it took) and the messages still waiting to issue theirs. Invitations the
    organisers send do not count."""
    from majlis.core import outbox
    from majlis.core.models import OutboxMessage

    from .notifications import LOGIN_LINK_TEMPLATE

    links = LoginLink.objects.filter(user=user, created_at__gte=since, purpose=LoginLink.Purpose.LOGIN)
    carried = set(links.exclude(message_key="").values_list("message_key", flat=True))
    direct = links.filter(message_key="").count()
    waiting = (
        OutboxMessage.objects.filter(
            template=LOGIN_LINK_TEMPLATE,
            related=outbox.related_key(user),
            created_at__gte=since,
            status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED],
        )
        .exclude(key__in=carried)
        .count()
    )
    return len(carried) + direct + waiting


def absolute_url(path: str, request: HttpRequest) -> str:
    """The configured public address (``MAJLIS_PUBLIC_URL``) when there is one: a forged Host header
    must never turn a log-in link into a link to someone else's site."""
    base = getattr(settings, "MAJLIS_PUBLIC_URL", "")
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def render_login_link_mail(url: str) -> tuple[str, str]:
    """Subject and text of the e-mail, in the active language."""
    context = {"url": url, "minutes": int(LINK_LIFETIME.total_seconds() // 60)}
    subject = " ".join(render_to_string("accreditation/email/login_link_subject.txt", context).split())
    body = render_to_string("accreditation/email/login_link_body.txt", context)
    return subject, body


EXPIRED_LINK_GRACE = timedelta(days=1)


def delete_expired_login_links(*, now: datetime | None = None) -> int:
    """Delete the links that expired over a day ago (used or not): they log nobody in and only
    record when and from where someone asked for one. Run daily by the scheduler; audited."""
    now = now or timezone.now()
    with transaction.atomic():
        count = LoginLink.objects.filter(expires_at__lt=now - EXPIRED_LINK_GRACE).delete()[0]
        if count:
            audit.record("accreditation.login_links_deleted", reason="expired", count=count)
    return count
