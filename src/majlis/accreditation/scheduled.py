"""Accreditation's periodic jobs, registered with ``majlis.core.scheduler`` in ``apps.py``.

Each takes ``now`` (the moment the run is for) and returns a short summary for the log. Stuck
e-mails are re-queued by core's ``core.requeue_stuck_emails`` (``majlis.core.outbox``).
"""

from __future__ import annotations

from datetime import datetime, time

from majlis.core import scheduler

PURGE_AT = time(2, 30)
LOGIN_LINK_CLEANING_AT = time(3, 0)


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
    scheduler.register("accreditation.purge_personal_data", f"{__name__}.purge_personal_data", daily_at=PURGE_AT)
    scheduler.register(
        "accreditation.delete_expired_login_links",
        f"{__name__}.delete_expired_login_links",
        daily_at=LOGIN_LINK_CLEANING_AT,
    )
