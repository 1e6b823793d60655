from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "majlis.events"
    label = "events"
    verbose_name = _("Events and public site")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from . import rules  # noqa: F401  (declares the event capabilities)
        from .models import Event
        from .signals import delete_event_mail

        post_delete.connect(delete_event_mail, sender=Event, dispatch_uid="events.delete_event_mail")
