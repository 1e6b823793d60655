"""``majlis worker``: run the background task worker (django-tasks-db's ``db_worker``).

Production runs it as its own service beside the web server; ``majlis serve`` starts one itself
when ``MAJLIS_INLINE_WORKER`` is on. ``majlis worker --batch`` runs what is queued, then exits.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = "Run the background task worker (e-mail and other queued work). --batch: run what is queued, then exit."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # E-mails queued long ago whose task was lost (a worker killed mid-way) are queued again;
        # sending is idempotent, so nothing goes out twice.
        from majlis.accreditation.notifications import requeue_stuck_notifications

        requeued = requeue_stuck_notifications()
        if requeued:
            self.stdout.write(f"Queued again {requeued} e-mails that had been waiting for over 30 minutes.")
        return super().handle(*args, **options)
