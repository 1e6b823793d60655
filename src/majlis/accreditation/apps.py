from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "majlis.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        from majlis.core import crypto
        from majlis.events.signals import event_created

        from . import rules, scheduled  # noqa: F401  (rules declares the accreditation capabilities)
        from .signals import set_up_new_event

        # Every new event gets its categories, settings and privacy notice (defaults or copies).
        event_created.connect(set_up_new_event, dispatch_uid="accreditation.set_up_new_event")
        # ``majlis rotate-data-keys`` recomputes passport digests under the current digest key.
        crypto.register_digest_column(
            "accreditation.Application", "passport_number_digest", "passport_number_encrypted", "passport"
        )
        # Periodic work run by the task worker (majlis.core.scheduler).
        scheduled.register()
