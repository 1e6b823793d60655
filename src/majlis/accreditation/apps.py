from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "majlis.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        from majlis.events.signals import event_created
        from majlis.programme.signals import session_deleting

        from . import scheduled
        from .signals import refuse_deleting_a_session_in_use, set_up_new_event

        # Every new event gets its categories, settings and privacy notice (defaults or copies).
        event_created.connect(set_up_new_event, dispatch_uid="accreditation.set_up_new_event")
        # Nobody loses a session seat without being told: a session in use is cancelled, not deleted.
        session_deleting.connect(refuse_deleting_a_session_in_use, dispatch_uid="accreditation.session_in_use")
        # Periodic work run by the task worker (majlis.core.scheduler).
        scheduled.register()
