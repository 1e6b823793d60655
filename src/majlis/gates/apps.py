from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "majlis.gates"
    label = "gates"
    verbose_name = _("Venue access")

    def ready(self) -> None:
        from majlis.events import extensions

        from . import rules  # noqa: F401  (declares gates.manage and gates.scan)
        from .demo import load_demo_gates, load_practice_gates, print_device_token

        # ``majlis demo``: zones, gates and a scan log for the demo conference, a gate device for the
        # practice conference (after the badges, order 30), and the device token printed at the end.
        extensions.register_demo_loader("gates", 40, load_demo_gates)
        extensions.register_practice_loader("gates", 40, load_practice_gates)
        extensions.register_demo_note("gates", 40, print_device_token)
        from .services import token_zone_choices

        # A gate device's API token is bound to one zone: the token form offers the event's zones.
        extensions.register_token_zone_choices("gates", token_zone_choices)
