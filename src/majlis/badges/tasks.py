"""The badges' background work, run by ``majlis worker``."""

from __future__ import annotations

from django_tasks import task


@task()
def render_print_job(job_id: int) -> str:
    """Render one print job's PDF (``services_printing.run_print_job``); running it twice does nothing more."""
    from .services_printing import run_print_job

    return run_print_job(job_id)
