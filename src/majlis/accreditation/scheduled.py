"""Accreditation's periodic jobs, registered with ``majlis.core.scheduler`` in ``apps.py``.

Each takes ``now`` (the moment the run is for) and returns a short summary for the log.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from majlis.core import scheduler

REQUEUE_EVERY = timedelta(minutes=10)
PURGE_AT = time(2, 30)
LOGIN_LINK_CLEANING_AT = time(3, 0)


def requeue_stuck_emails(*, now: datetime) -> str:
    from .notifications import requeue_stuck_notifications

    return f"{requeue_stuck_notifications(now=now)} e-mail(s) queued again"


def purge_personal_data(*, now: datetime) -> str:
    """What ``majlis purge-personal-data --all`` does, every night: each event whose retention period
    is over (or with deletion requests due) loses the personal data it no longer needs."""
    from majlis.events.models import Event

    from .personal_data import purge_event

    applications = 0
    for event in Event.objects.order_by("start_date", "slug"):
        applications += purge_event(event, now=now).applications
    return f"personal data of {applications} application(s) removed"


def delete_expired_login_links(*, now: datetime) -> str:
    from .login_links import delete_expired_login_links as delete

    return f"{delete(now=now)} expired log-in link(s) deleted"


def register() -> None:
    scheduler.register("accreditation.requeue_stuck_emails", f"{__name__}.requeue_stuck_emails", every=REQUEUE_EVERY)
    scheduler.register("accreditation.purge_personal_data", f"{__name__}.purge_personal_data", daily_at=PURGE_AT)
    scheduler.register(
        "accreditation.delete_expired_login_links",
        f"{__name__}.delete_expired_login_links",
        daily_at=LOGIN_LINK_CLEANING_AT,
    )
