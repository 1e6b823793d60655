from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "majlis.events"
    label = "events"
    verbose_name = _("Events and public site")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from majlis.core import account

        from . import queries, rules  # noqa: F401  (rules declares the event capabilities)
        from .api_tokens import grant_token_scopes
        from .models import Event
        from .signals import delete_event_mail

        account.register_section(
            "events.roles", order=30, template="events/account/_roles.html", context=queries.account_roles_section
        )
        # API tokens hold the capabilities their scopes name (those declared later too: see there).
        grant_token_scopes()
        post_delete.connect(delete_event_mail, sender=Event, dispatch_uid="events.delete_event_mail")
