"""Forms of the organisers' programme pages. They only collect input: services.py changes data."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from majlis.events.models import Event, Organisation

from .models import Person, Session, SessionSpeaker, Track
from .services import SESSION_FIELDS, allowed_rooms

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

# Languages a session may be held or interpreted in: the site's, the other UN official languages
# and those of the region (see Session.clean).
SESSION_LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
]
LANGUAGE_LABELS = dict(settings.LANGUAGES)


def _per_language_label(label: Any, code: str) -> Any:
    return format_lazy("{label} ({language})", label=label, language=LANGUAGE_LABELS[code])


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; values are in the current (the event's) time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def local_datetime_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        for item in errors:
            if field in form.fields:
                form.add_error(field, item)
            elif field == NON_FIELD_ERRORS:
                form.add_error(None, item)
            else:
                form.add_error(None, ValidationError(f"{field}: {' '.join(item.messages)}"))


class SessionForm(forms.ModelForm):
    starts_at = local_datetime_field(_("Start"), help_text=_("In the event’s time zone."))
    ends_at = local_datetime_field(_("End"), help_text=_("In the event’s time zone."))
    organisers: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("Organised by"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    restricted_to = forms.CharField(
        label=_("Restricted to categories"),
        required=False,
        max_length=300,
        help_text=_("Category codes separated by commas, when access is restricted."),
    )
    stream_url = forms.URLField(
        label=_("Stream link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to people allowed to follow the session online."),
    )
    floor_languages = forms.MultipleChoiceField(
        label=_("Floor languages"),
        choices=SESSION_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation channels"),
        choices=SESSION_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = [
            "title_en",
            "title_ru",
            "title_uz",
            "abstract_en",
            "abstract_ru",
            "abstract_uz",
            "slug",
            "kind",
            "starts_at",
            "ends_at",
            "room",
            "track",
            "organisers",
            "capacity",
            "access",
            "restricted_to",
            "floor_languages",
            "interpretation",
            "stream_url",
            "is_cancelled",
        ]
        widgets = {f"abstract_{code}": forms.Textarea(attrs={"rows": 4}) for code in LANGUAGE_LABELS}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        for code in LANGUAGE_LABELS:
            self.fields[f"title_{code}"].label = _per_language_label(_("Title"), code)
            self.fields[f"abstract_{code}"].label = _per_language_label(_("Abstract"), code)
        self.fields["title_en"].required = True
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the English title.")
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = allowed_rooms(event)
        tracks = Track.objects.filter(event=event).order_by("position", "id")
        cast(forms.ModelChoiceField, self.fields["track"]).queryset = tracks
        cast(forms.ModelMultipleChoiceField, self.fields["organisers"]).queryset = Organisation.objects.order_by(
            "name", "id"
        )
        if self.instance.pk:
            self.initial["restricted_to"] = ", ".join(self.instance.restricted_to or [])

    def clean_restricted_to(self) -> list[str]:
        value = self.cleaned_data.get("restricted_to") or ""
        return [code.strip() for code in value.split(",") if code.strip()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session must end after it starts."))
        return cleaned

    def _post_clean(self) -> None:
        """The model is validated (and changed) by the service, not by the form."""

    def session_data(self) -> dict[str, Any]:
        """The input as services.create_session / update_session take it."""
        data = {name: self.cleaned_data[name] for name in SESSION_FIELDS if name in self.cleaned_data}
        data["organisers"] = list(self.cleaned_data.get("organisers") or [])
        return data


class SpeakerForm(forms.Form):
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=SessionSpeaker.Role.choices, initial=SessionSpeaker.Role.SPEAKER)
    delivery = forms.ChoiceField(
        label=_("Delivery"), choices=SessionSpeaker.Delivery.choices, initial=SessionSpeaker.Delivery.IN_PERSON
    )
    requested_at = local_datetime_field(
        _("Request to speak registered"),
        required=False,
        help_text=_("Within a protocol rank, earlier requests speak first. In the event’s time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("organisation").order_by("sort_name", "name_latin")
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people
        for code in LANGUAGE_LABELS:
            self.fields[f"on_behalf_of_{code}"] = forms.CharField(
                label=_per_language_label(_("On behalf of"), code), required=False, max_length=300
            )

    def speaker_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "role": data["role"],
            "delivery": data["delivery"],
            "requested_at": data.get("requested_at"),
            "on_behalf_of": {code: data.get(f"on_behalf_of_{code}", "") for code in LANGUAGE_LABELS},
        }


class PositionForm(forms.Form):
    position = forms.IntegerField(label=_("Speak at position"), min_value=1)
    reason = forms.CharField(
        label=_("Reason for departing from protocol order"),
        max_length=300,
        error_messages={"required": _("Give a reason for departing from protocol order.")},
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed in this version"),
        max_length=500,
        help_text=_("A short note shown to the public with this version, e.g. “Panel 3 moved to Hall B”."),
        error_messages={"required": _("Say in a few words what changed in this version.")},
        widget=forms.TextInput(attrs={"size": 80}),
    )
