from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "majlis.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares the programme capabilities)
