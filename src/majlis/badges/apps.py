from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "majlis.badges"
    label = "badges"
    verbose_name = _("Badges")

    def ready(self) -> None:
        from majlis.accreditation.signals import application_changed
        from majlis.core import account, scheduler
        from majlis.events import extensions

        from . import (
            queries_desk,
            rules,  # noqa: F401  (declares badges.issue and badges.manage_keys)
        )
        from .demo import load_demo_badges
        from .signals import sync_on_application_change

        # Approval issues the badge; withdrawal, a refused vetting or a changed category revokes it.
        application_changed.connect(sync_on_application_change, dispatch_uid="badges.sync_on_application_change")
        # ``majlis demo``: the badges of both demo events, after the accreditations (order 20).
        extensions.register_demo_loader("badges", 30, load_demo_badges)
        extensions.register_practice_loader("badges", 30, load_demo_badges)
        # The account page: the person's own badges, each linking to its download page.
        account.register_section(
            "badges.mine", order=15, template="badges/account/_badges.html", context=queries_desk.account_badges_section
        )
        # Print jobs' PDFs are deleted after two days; a job whose worker died is marked failed.
        scheduler.register(
            "badges.tidy_print_jobs", "majlis.badges.services_printing.tidy_print_jobs", every=timedelta(minutes=30)
        )
