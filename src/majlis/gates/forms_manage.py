"""The organisers' forms: zones, gates, and the filters of the scan log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from majlis.accreditation.models import Category
from majlis.badges.tokens import Refusal
from majlis.events.models import Event, Room

from .models import Direction, Gate, Scan, Zone, ZoneRefusal
from .services import days_offered, refusal_message

CODES = [code for code, _name in settings.LANGUAGES]


class ZoneForm(forms.ModelForm):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories allowed in"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Badges of these categories may enter. None ticked: nobody enters."),
    )
    open_days = forms.MultipleChoiceField(
        label=_("Days open"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Badges are let in on these days only. None ticked: every day the badges are valid."),
    )

    class Meta:
        model = Zone
        fields = [
            *(f"name_{code}" for code in CODES),
            "kind",
            "categories",
            "room",
            "entry_once",
            "exit_scanning",
            "open_days",
            "position",
        ]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        fields: dict[str, Any] = self.fields
        fields["name_en"].required = True
        fields["categories"].queryset = Category.objects.filter(event=event).order_by("position", "pk")
        rooms = Room.objects.filter(venue_id=event.venue_id) if event.venue_id else Room.objects.none()
        fields["room"].queryset = rooms
        fields["room"].empty_label = _("No room: no session rules")
        fields["open_days"].choices = [
            (day.isoformat(), formats.date_format(day, "DATE_FORMAT")) for day in days_offered(event)
        ]
        if self.instance.pk is not None:
            self.initial["categories"] = list(self.instance.categories.values_list("pk", flat=True))
            self.initial["open_days"] = list(self.instance.open_days or [])


class GateForm(forms.ModelForm):
    class Meta:
        model = Gate
        fields = [f"name_{code}" for code in CODES]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True


def reason_choices() -> list[tuple[Any, str]]:
    codes = [*ZoneRefusal.values, *(refusal.value for refusal in Refusal)]
    return [(code, refusal_message(code)) for code in codes]


class ScanFilterForm(forms.Form):
    """The scan log's filters, read from the query string."""

    zone = forms.TypedChoiceField(label=_("Zone"), required=False, coerce=int, empty_value=None)
    gate = forms.TypedChoiceField(label=_("Gate"), required=False, coerce=int, empty_value=None)
    result = forms.ChoiceField(label=_("Result"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    reason = forms.ChoiceField(label=_("Reason for a refusal or conflict"), required=False)
    conflicts = forms.BooleanField(label=_("Offline conflicts only"), required=False)
    manual = forms.BooleanField(label=_("Admissions after a name search only"), required=False)

    def __init__(self, *args: Any, event: Event, zones: list[Zone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[Any, Any]] = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["zone"].choices = anything + [(zone.pk, zone.name) for zone in zones]
        fields["gate"].choices = anything + [
            (gate.pk, f"{gate.name} ({zone.name})") for zone in zones for gate in zone.gates.all()
        ]
        fields["result"].choices = anything + list(Scan.Result.choices)
        fields["direction"].choices = anything + list(Direction.choices)
        fields["reason"].choices = anything + reason_choices()

    def apply(self, scans: Any) -> Any:
        """The scans matching the valid filters (an invalid one, from an old link, is shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("zone"):
            scans = scans.filter(zone_id=data["zone"])
        if data.get("gate"):
            scans = scans.filter(gate_id=data["gate"])
        if data.get("result"):
            scans = scans.filter(result=data["result"])
        if data.get("direction"):
            scans = scans.filter(direction=data["direction"])
        if data.get("reason"):
            reason = data["reason"]
            scans = scans.filter(Q(reason=reason) | Q(conflict=reason))
        if data.get("conflicts"):
            scans = scans.exclude(conflict="")
        if data.get("manual"):
            scans = scans.filter(manual=True)
        return scans
