from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "majlis.events"
    label = "events"
    verbose_name = _("Events and public site")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares the event capabilities)
