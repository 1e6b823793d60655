"""Forms of the registration set-up pages. They only collect input: ``services.py`` changes data.

Times are typed and shown in the event's time zone (the views run under it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from majlis.programme.forms import local_datetime_field

from .models import AccreditationSettings, Category, EventCapacity


class RegistrationSettingsForm(forms.Form):
    registration_open = forms.BooleanField(
        label=_("Registration is switched on"),
        required=False,
        help_text=_("Switch off to close registration at once, whatever the dates."),
    )
    registration_opens_at = local_datetime_field(
        _("Registration opens"), required=False, help_text=_("Empty: as soon as it is switched on.")
    )
    registration_closes_at = local_datetime_field(
        _("Registration closes"), required=False, help_text=_("Empty: until the conference ends.")
    )
    nomination_deadline = local_datetime_field(
        _("Nomination deadline for focal points"),
        required=False,
        help_text=_("After it, focal points can no longer nominate members; organisers still can. Empty: no deadline."),
    )
    in_person_capacity = forms.IntegerField(
        label=_("In-person capacity (seats)"),
        required=False,
        min_value=0,
        help_text=_("Empty: approvals are not limited by seats."),
    )
    retention_days = forms.IntegerField(
        label=_("Keep personal data for (days after the conference)"), min_value=1, max_value=3650
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            prefix = f"category-{category.pk}"
            self.fields[f"{prefix}-self_registration"] = forms.BooleanField(
                label=_("Open to individual applicants"), required=False, initial=category.self_registration
            )
            self.fields[f"{prefix}-opens_at"] = local_datetime_field(
                _("Opens"), required=False, help_text=_("Empty: with the conference's registration.")
            )
            self.fields[f"{prefix}-opens_at"].initial = category.registration_opens_at
            self.fields[f"{prefix}-closes_at"] = local_datetime_field(
                _("Closes"), required=False, help_text=_("Empty: with the conference's registration.")
            )
            self.fields[f"{prefix}-closes_at"].initial = category.registration_closes_at

    @staticmethod
    def initial_for(settings_row: AccreditationSettings, capacity: EventCapacity | None) -> dict[str, Any]:
        return {
            "registration_open": settings_row.registration_open,
            "registration_opens_at": settings_row.registration_opens_at,
            "registration_closes_at": settings_row.registration_closes_at,
            "nomination_deadline": settings_row.nomination_deadline,
            "retention_days": settings_row.retention_days,
            "in_person_capacity": capacity.in_person_capacity if capacity else None,
        }

    def category_rows(self) -> list[dict[str, Any]]:
        rows = []
        for category in self.categories:
            prefix = f"category-{category.pk}"
            rows.append(
                {
                    "category": category,
                    "self_registration": self[f"{prefix}-self_registration"],
                    "opens_at": self[f"{prefix}-opens_at"],
                    "closes_at": self[f"{prefix}-closes_at"],
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        for category in self.categories:
            prefix = f"category-{category.pk}"
            opens, closes = cleaned.get(f"{prefix}-opens_at"), cleaned.get(f"{prefix}-closes_at")
            if opens and closes and closes <= opens:
                self.add_error(f"{prefix}-closes_at", _("The category's registration must close after it opens."))
        return cleaned

    def settings_data(self) -> dict[str, Any]:
        names = ("registration_open", "registration_opens_at", "registration_closes_at", "nomination_deadline")
        return {name: self.cleaned_data[name] for name in (*names, "retention_days")}


class InvitationCodeForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        required=False,
        help_text=_("Whom the code is for, for example “Think tanks of the region”. Only organisers see it."),
    )
    max_uses = forms.IntegerField(label=_("Maximum uses"), required=False, min_value=1, help_text=_("Empty: no limit."))
    expires_at = local_datetime_field(_("Expires"), required=False, help_text=_("Empty: never."))

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category: Any = self.fields["category"]
        category.queryset = Category.objects.filter(event=event).order_by("position", "id")
