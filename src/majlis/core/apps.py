from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REQUEUE_EVERY = timedelta(minutes=10)


class CoreConfig(AppConfig):
    name = "majlis.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the system checks
            scheduler,
        )
        from .middleware import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="majlis-organiser-session")
        # Entries are sealed after their transaction commits; this seals what a failed hook left.
        scheduler.register("core.seal_audit_log", "majlis.core.audit.seal_job", every=timedelta(minutes=1))
        # Stuck e-mails (a lost worker or task) are queued again; sending is idempotent.
        scheduler.register("core.requeue_stuck_emails", "majlis.core.outbox.requeue_stuck_emails", every=REQUEUE_EVERY)
