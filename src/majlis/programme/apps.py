from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "majlis.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from majlis.events import extensions

        from . import rules  # noqa: F401  (declares the programme capabilities)
        from .demo import load_demo_programme
        from .demo_practice import load_practice_programme

        extensions.register_demo_loader("programme", 10, load_demo_programme)
        extensions.register_practice_loader("programme", 10, load_practice_programme)
