from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "majlis.gates"
    label = "gates"
    verbose_name = _("Venue access")

    def ready(self) -> None:
        from majlis.events import extensions

        from . import rules  # noqa: F401  (declares gates.manage and gates.scan)
        from .services import token_zone_choices

        # A gate device's API token is bound to one zone: the token form offers the event's zones.
        extensions.register_token_zone_choices("gates", token_zone_choices)
