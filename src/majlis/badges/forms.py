"""The badge desk's forms: the list's filters, printing, re-issuing, revoking, handing over, keys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from majlis.accreditation import queries as accreditation_queries
from majlis.events.models import Event

from .models import Badge, IdentityDocument, PrintFormat
from .queries_desk import BadgeFilter

YES_NO_ANY = [("", _("any")), ("yes", _("yes")), ("no", _("no"))]


class BadgeFilterForm(forms.Form):
    """The filters of the list, read from the query string. Choices come from the event."""

    q = forms.CharField(
        label=_("Name or badge number"),
        required=False,
        max_length=200,
        help_text=_("Names in any script, organisation or e-mail; or a number such as 0042 or 0042-2."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    delegation = forms.TypedChoiceField(label=_("Delegation"), required=False, coerce=int, empty_value=None)
    printed = forms.ChoiceField(label=_("Printed"), required=False, choices=YES_NO_ANY)
    collected = forms.ChoiceField(label=_("Handed over"), required=False, choices=YES_NO_ANY)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[Any, Any]] = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["status"].choices = anything + list(Badge.Status.choices)
        fields["category"].choices = anything + [(c.pk, c.name) for c in accreditation_queries.categories(event)]
        fields["delegation"].choices = anything + [
            (d.pk, str(d.organisation)) for d in accreditation_queries.delegations(event)
        ]

    def filters(self) -> BadgeFilter:
        """The valid filters; an invalid one (an unknown id in an old link) is left out and shown as an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return BadgeFilter(
            status=data.get("status") or "",
            category=data.get("category"),
            delegation=data.get("delegation"),
            printed=data.get("printed") or "",
            collected=data.get("collected") or "",
            q=(data.get("q") or "").strip(),
        )


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class PrintForm(forms.Form):
    """Print every issued badge matching the list's filters (the filters travel in ``query``)."""

    format = forms.ChoiceField(label=_("Paper"), choices=PrintFormat.choices, initial=PrintFormat.A6)
    language = forms.ChoiceField(label=_("Language of the badges"), choices=language_choices)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class NoteForm(forms.Form):
    """Re-issuing a lost badge (note optional) or revoking one (note required)."""

    note = forms.CharField(
        label=_("Note for the audit log"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, required: bool = False, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.required = required
        field.help_text = help_text
        if required:
            field.label = _("Reason")
            field.error_messages["required"] = _("Say why the badge is revoked (it is kept in the audit log).")


class HandOverForm(forms.Form):
    document = forms.ChoiceField(
        label=_("Identity document checked"),
        choices=[("", _("Choose the document you checked")), *IdentityDocument.choices],
        error_messages={"required": _("Choose the identity document you checked.")},
        help_text=_("Compare the photo with the person and with the document before handing the badge over."),
    )
    collector_name = forms.CharField(
        label=_("Collected by someone else (name)"),
        required=False,
        max_length=200,
        help_text=_(
            "Only when someone other than the holder collects the badge, for example the delegation’s focal "
            "point: their name as in the identity document checked."
        ),
    )


class RotateKeyForm(forms.Form):
    """Start signing with a new key; the badges already printed keep working."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawKeyForm(forms.Form):
    """Every key so far stops verifying (it may have leaked): every issued badge is re-issued."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the key is withdrawn (it is kept in the audit log).")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that every issued badge is re-issued and the printed cards must be exchanged at the desk."
        ),
        error_messages={"required": _("Confirm that the printed badges will be exchanged.")},
    )
