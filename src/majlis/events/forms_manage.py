"""Forms of the organisers' event pages. They only collect input: ``services.py`` changes data."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from majlis.core.countries import country_choices

from . import services
from .models import Event, Series

LANGUAGE_LABELS = dict(settings.LANGUAGES)
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
PER_LANGUAGE = (
    ("title", _("Title"), 400, False),
    ("short_title", _("Short title"), 120, False),
    ("summary", _("Summary"), None, True),
    ("city", _("City"), 100, False),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class EventCreateForm(forms.Form):
    """A new conference: its names in three languages, dates and place, and what to copy from an earlier one."""

    series = forms.ModelChoiceField(label=_("Series"), queryset=Series.objects.none(), required=False)
    slug = forms.SlugField(
        label=_("Short name in URLs"),
        max_length=50,
        help_text=_("Latin letters, digits and hyphens, for example tashkent-2024."),
    )
    start_date = forms.DateField(label=_("First day"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Asia/Tashkent")
    country = forms.ChoiceField(label=_("Country"), initial="UZ")
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices, initial=Event.Format.IN_PERSON)
    expected_participants = forms.IntegerField(label=_("Expected participants"), required=False, min_value=1)
    copy_from = forms.ModelChoiceField(
        label=_("Copy from an earlier event of the series"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Nothing: start from the defaults"),
    )
    copy = forms.MultipleChoiceField(
        label=_("What to copy"),
        choices=services.COPY_PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _label in services.COPY_PARTS],
        help_text=_("Anything not copied starts from the defaults (standard categories and privacy notice)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, max_length, long in PER_LANGUAGE:
            for code in LANGUAGE_LABELS:
                field_label = format_lazy("{label} ({language})", label=label, language=LANGUAGE_LABELS[code])
                widget = forms.Textarea(attrs={"rows": 3}) if long else None
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=field_label, max_length=max_length, required=code == "en", widget=widget
                )
        fields: dict[str, Any] = self.fields
        fields["series"].queryset = services.series_for_new_events(user)
        fields["series"].required = not services.may_create_any_event(user)
        fields["copy_from"].queryset = services.copy_sources(user)
        fields["time_zone"].choices = [(name, name) for name in sorted(zoneinfo.available_timezones())]
        fields["country"].choices = country_choices()
        self.order_fields(
            ["copy_from", "copy", "series", "slug"]
            + [f"{name}_{code}" for name, *_rest in PER_LANGUAGE for code in LANGUAGE_LABELS]
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Event.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another event already has this short name."))
        return slug

    def event_data(self) -> dict[str, Any]:
        skip = {"copy_from", "copy"}
        data = {name: value for name, value in self.cleaned_data.items() if name not in skip}
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = value.strip()
        return data
