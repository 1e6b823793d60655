from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "majlis.gates"
    label = "gates"
    verbose_name = _("Venue access")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares gates.manage and gates.scan)
