"""The form that creates an API token on /<lang>/<event>/manage/api-tokens/."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .extensions import token_zone_choices
from .models import Event
from .services_tokens import token_scopes_for


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("API token", "Name"),
        max_length=100,
        help_text=_("What the token is for, for example “Gate 3 scanner” or “Press office feed”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do in this conference. You can give only what you may do yourself."),
    )
    zone = forms.ChoiceField(
        label=_("Zone"),
        required=False,
        help_text=_(
            "For gate devices: the one zone whose gates the device serves. It can read and scan in that zone only."
        ),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The token stops working at the end of this day, in the conference's time zone. Empty: never."),
    )

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        scopes: Any = self.fields["scopes"]
        scopes.choices = [(name, capability.label) for name, capability in token_scopes_for(user, event).items()]
        zone: Any = self.fields["zone"]
        zone.choices = [("", _("No zone"))] + token_zone_choices(event)

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.event.tz)
