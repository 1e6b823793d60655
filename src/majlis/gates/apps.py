from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "majlis.gates"
    label = "gates"
    verbose_name = _("Venue access")
