from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "majlis.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        from majlis.events.signals import event_created

        from . import notifications, scheduled
        from .signals import set_up_new_event

        # Every new event gets its categories, settings and privacy notice (defaults or copies).
        event_created.connect(set_up_new_event, dispatch_uid="accreditation.set_up_new_event")
        # Periodic work run by the task worker (majlis.core.scheduler).
        scheduled.register()
        # Accreditation's e-mails in the outbox's registry (majlis.core.outbox).
        notifications.register_templates()
