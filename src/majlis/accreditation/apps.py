from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "majlis.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        from majlis.core import account, crypto
        from majlis.events import extensions
        from majlis.events.signals import event_created
        from majlis.programme.signals import session_access_changed, session_capacity_grew, session_deleting

        # The admin of desks, letterhead, visa letters and mass e-mails (it builds on .admin).
        from . import (
            admin_participants,  # noqa: F401
            notifications,
            queries,
            rules,  # noqa: F401  (declares the accreditation capabilities)
            scheduled,
        )
        from .demo import load_demo_accreditation
        from .demo_practice import load_practice_accreditation
        from .signals import (
            promote_session_waitlist,
            refuse_deleting_a_session_in_use,
            release_ineligible_seats,
            set_up_new_event,
        )

        # Every new event gets its categories, settings and privacy notice (defaults or copies).
        event_created.connect(set_up_new_event, dispatch_uid="accreditation.set_up_new_event")
        # Nobody loses a session seat without being told: a session in use is cancelled, not deleted.
        session_deleting.connect(refuse_deleting_a_session_in_use, dispatch_uid="accreditation.session_in_use")
        # The account page: the person's applications, personal data and delegations.
        account.register_section(
            "accreditation.links",
            order=10,
            template="accreditation/account/_links.html",
            context=queries.account_links_section,
        )
        account.register_section(
            "accreditation.delegations",
            order=20,
            template="accreditation/account/_delegations.html",
            context=queries.account_delegations_section,
        )
        # ``majlis rotate-data-keys`` recomputes passport digests under the current digest key.
        crypto.register_digest_column(
            "accreditation.Application", "passport_number_digest", "passport_number_encrypted", "passport"
        )
        # A session's new access rule releases the seats of people it leaves out.
        session_access_changed.connect(release_ineligible_seats, dispatch_uid="accreditation.release_ineligible_seats")
        session_capacity_grew.connect(promote_session_waitlist, dispatch_uid="accreditation.promote_session_waitlist")
        # The event's home page says whether registration is open; ``majlis demo`` loads the demo applications.
        extensions.register_home_context("accreditation", queries.home_context)
        extensions.register_demo_loader("accreditation", 20, load_demo_accreditation)
        extensions.register_practice_loader("accreditation", 20, load_practice_accreditation)
        # Periodic work run by the task worker (majlis.core.scheduler).
        scheduled.register()
        # Accreditation's e-mails in the outbox's registry (majlis.core.outbox).
        notifications.register_templates()
