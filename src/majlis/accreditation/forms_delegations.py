"""Forms of the delegation pages: inviting a delegation, its documents, its members, decisions.

The forms only check and shape input; every change is made by a function of ``services.py``.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from majlis.events.models import Event, Organisation, country_code_validator

from .forms import ApplicationForm, initial_from_application
from .models import (
    Application,
    Category,
    Delegation,
    DelegationCategory,
    DelegationMembership,
    SupportingDocument,
)
from .photos import check_document

DOCUMENT_KINDS = [
    (SupportingDocument.NOTE_VERBALE.value, SupportingDocument.NOTE_VERBALE.label),
    (SupportingDocument.NOMINATION_LETTER.value, SupportingDocument.NOMINATION_LETTER.label),
]
# Kinds of organisation an organiser may create while inviting a delegation.
NEW_ORGANISATION_KINDS = [
    (kind.value, kind.label)
    for kind in (
        Organisation.Kind.GOVERNMENT,
        Organisation.Kind.IGO,
        Organisation.Kind.REGIONAL,
        Organisation.Kind.UN_ENTITY,
    )
]


class CountryField(forms.CharField):
    """A two-letter ISO 3166 code, upper-cased."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        kwargs.setdefault("validators", [country_code_validator])
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocapitalize", "characters")
        self.widget.attrs.setdefault("size", 4)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value) or "").strip().upper()


# --- Organisers ----------------------------------------------------------------------------------


class InviteDelegationForm(forms.Form):
    """An organiser invites a state's or organisation's delegation and its focal point."""

    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("State or organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— a new one, named below —"),
        help_text=_("Choose one already known to the platform, or leave this empty and name a new one below."),
    )
    new_name_en = forms.CharField(label=_("Name of the new one in English"), max_length=300, required=False)
    new_name_ru = forms.CharField(label=_("Name of the new one in Russian"), max_length=300, required=False)
    new_name_uz = forms.CharField(label=_("Name of the new one in Uzbek"), max_length=300, required=False)
    new_acronym = forms.CharField(label=_("Acronym of the new one"), max_length=30, required=False)
    new_kind = forms.ChoiceField(
        label=_("The new one is a"), choices=NEW_ORGANISATION_KINDS, initial=Organisation.Kind.GOVERNMENT
    )
    new_country = CountryField(
        label=_("Country of the new one"),
        required=False,
        help_text=_("Two-letter ISO 3166 code, e.g. KZ. Needed for a government; empty for an organisation."),
    )
    kind = forms.ChoiceField(label=_("The delegation represents"), choices=Delegation.Kind.choices)
    focal_point_email = forms.EmailField(label=_("Focal point's e-mail"))
    focal_point_language = forms.ChoiceField(
        label=_("Focal point's language"),
        choices=settings.LANGUAGES,
        help_text=_("The invitation and every later e-mail to the focal point use this language."),
    )
    categories: forms.ModelMultipleChoiceField[Category] = forms.ModelMultipleChoiceField(
        label=_("Categories its members may have"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave all unticked for the usual categories of this kind of delegation. Staff, interpreters, "
            "security and media are never given by a focal point: the organisers accredit them."
        ),
    )
    default_category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Default category of its members"), queryset=Category.objects.none(), required=False
    )
    member_limit = forms.IntegerField(
        label=_("Maximum members"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave empty for no limit."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        taken = Delegation.objects.filter(event=event).values("organisation_id")
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = Organisation.objects.exclude(
            pk__in=taken
        ).order_by("name")
        delegation_categories = Category.objects.filter(event=event, for_delegations=True).order_by("position", "id")
        cast(forms.ModelChoiceField, self.fields["default_category"]).queryset = delegation_categories
        cast(forms.ModelMultipleChoiceField, self.fields["categories"]).queryset = delegation_categories

    def chosen_categories(self) -> list[Category] | None:
        """The ticked categories, or ``None`` for the kind's usual ones."""
        chosen = list(self.cleaned_data.get("categories") or [])
        return chosen or None

    def clean_focal_point_email(self) -> str:
        return self.cleaned_data["focal_point_email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        new_name = (data.get("new_name_en") or "").strip()
        if organisation is None and not new_name:
            self.add_error("organisation", _("Choose a state or organisation, or name a new one in English below."))
        elif organisation is not None and new_name:
            self.add_error(
                "new_name_en", _("Either choose an existing state or organisation or name a new one, not both.")
            )
        elif organisation is None and Organisation.objects.filter(name_en__iexact=new_name).exists():
            self.add_error(
                "new_name_en", _("“%(name)s” is already known: choose it in the list above.") % {"name": new_name}
            )
        if (
            organisation is None
            and data.get("new_kind") == Organisation.Kind.GOVERNMENT
            and not data.get("new_country")
        ):
            self.add_error("new_country", _("Give the country of the new government."))
        return data

    def new_organisation_data(self) -> dict[str, Any] | None:
        """The fields of the organisation to create (``events.services.create_organisation``); ``None``
        when an existing one was chosen."""
        if self.cleaned_data.get("organisation") is not None:
            return None
        return {
            "name_en": self.cleaned_data["new_name_en"].strip(),
            "name_ru": self.cleaned_data["new_name_ru"].strip(),
            "name_uz": self.cleaned_data["new_name_uz"].strip(),
            "acronym_en": self.cleaned_data["new_acronym"].strip(),
            "kind": self.cleaned_data["new_kind"],
            "country": self.cleaned_data["new_country"],
        }


class DecisionForm(forms.Form):
    """Approve, reject (with a reason) or waitlist."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject")), ("waitlist", _("Waitlist"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; sent to the person concerned."),
    )

    def __init__(self, *args: Any, allow_waitlist: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_waitlist:
            cast(forms.ChoiceField, self.fields["decision"]).choices = [
                ("approve", _("Approve")),
                ("reject", _("Reject")),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class DelegationCategoriesForm(forms.Form):
    """The organisers choose the categories a delegation's members may have, each with an optional limit."""

    default_category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Default category of its members"),
        queryset=Category.objects.none(),
        required=False,
        help_text=_("Offered first to the focal point; it must be one of the categories ticked above."),
    )

    def __init__(
        self, *args: Any, delegation: Delegation, rules: list[DelegationCategory] | None = None, **kwargs: Any
    ) -> None:
        from .services import delegation_category_rules

        if rules is None:
            rules = delegation_category_rules(delegation)
        rules_by_category = {rule.category_id: rule for rule in rules}
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("default_category", delegation.default_category_id)
        super().__init__(*args, **kwargs)
        self.delegation = delegation
        self.categories = list(
            Category.objects.filter(event=delegation.event_id, for_delegations=True).order_by("position", "id")
        )
        self.rows: list[tuple[Category, str, str]] = []
        for category in self.categories:
            allow, limit = f"allow_{category.pk}", f"limit_{category.pk}"
            self.fields[allow] = forms.BooleanField(label=category.name, required=False)
            self.fields[limit] = forms.IntegerField(
                label=_("Maximum members in “%(category)s”") % {"category": category.name},
                required=False,
                min_value=1,
                max_value=1000,
            )
            self.initial.setdefault(allow, category.pk in rules_by_category)
            if category.pk in rules_by_category:
                self.initial.setdefault(limit, rules_by_category[category.pk].member_limit)
            self.rows.append((category, allow, limit))
        field = cast(forms.ModelChoiceField, self.fields.pop("default_category"))
        field.queryset = Category.objects.filter(pk__in=[category.pk for category in self.categories]).order_by(
            "position", "id"
        )
        self.fields["default_category"] = field  # last, after the rows

    def allow_fields(self) -> list[tuple[Any, Any]]:
        return [(self[allow], self[limit]) for _category, allow, limit in self.rows]

    def rules(self) -> tuple[list[Category], dict[int, int | None]]:
        chosen = [category for category, allow, _limit in self.rows if self.cleaned_data.get(allow)]
        limits = {
            category.pk: self.cleaned_data.get(limit)
            for category, allow, limit in self.rows
            if self.cleaned_data.get(allow)
        }
        return chosen, limits


# --- Focal points --------------------------------------------------------------------------------


class DelegationDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DOCUMENT_KINDS)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        check_document(file)  # by content: a PDF, JPEG or PNG of at most 10 MB, really what its name says
        return file


class MemberInvitationForm(forms.Form):
    """Just enough to send a member a personal link to fill in their own data."""

    given_names = forms.CharField(label=_("Given names (as in the passport)"), max_length=150)
    family_name = forms.CharField(label=_("Family name (as in the passport)"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The invitation and every later e-mail to this person use this language."),
    )

    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none()
    )

    def __init__(self, *args: Any, delegation: Delegation, **kwargs: Any) -> None:
        from .services import delegation_categories

        super().__init__(*args, **kwargs)
        categories = delegation_categories(delegation)
        field = cast(forms.ModelChoiceField, self.fields["category"])
        field.queryset = Category.objects.filter(pk__in=[category.pk for category in categories]).order_by(
            "position", "id"
        )
        if len(categories) == 1:
            del self.fields["category"]  # nothing to choose: the service takes the only one
        elif delegation.default_category_id in {category.pk for category in categories}:
            # Starts on the default category, which the service takes when none is posted.
            self.initial.setdefault("category", delegation.default_category_id)
            field.required = False

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("given_names", "family_name", "email", "language")}
        if self.cleaned_data.get("category") is not None:
            data["category"] = self.cleaned_data["category"]
        return data


class HeadOfDelegationForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Head of delegation"), queryset=Application.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["member"])
        field.queryset = members
        field.label_from_instance = lambda member: member.full_name  # type: ignore[method-assign,assignment]


class MemberForm(ApplicationForm):
    """A member's data as their focal point fills it in: the fields of the individual application.

    The category is the delegation's; the note verbale or nomination letter of the delegation
    stands for every member's supporting document; the photo may be added later (by the focal
    point or by the member). The focal point confirms that the person agreed to the privacy notice.
    """

    def __init__(
        self,
        *args: Any,
        event: Event,
        delegation: Delegation,
        application: Application | None = None,
        allowed_pending: set[str] | frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        from .services import current_privacy_notice, delegation_categories
        from .views_register import intended_sessions

        self.delegation = delegation
        # Only the categories the organisers allowed this delegation: never staff, interpreters,
        # security or media (a focal point must not be able to accredit those).
        categories = delegation_categories(delegation)
        if application is not None and application.category not in categories:
            categories = [application.category, *categories]  # kept as it is, not offered to others
        category = categories[0] if len(categories) == 1 else None
        if application is not None:
            kwargs.setdefault("initial", initial_from_application(application))
        super().__init__(
            *args,
            event=event,
            categories=categories,
            sessions=intended_sessions(event),
            privacy_notice=current_privacy_notice(event),
            application=application,
            allowed_pending=allowed_pending,
            **kwargs,
        )
        for name in ("invitation_code", "supporting_document", "document_token", "listed_publicly"):
            self.fields.pop(name, None)
        self._only_category = category
        if category is not None:
            self.fields.pop("category", None)
        elif "category" in self.fields:
            self.fields["category"].label = _("Category")
            if application is None and delegation.default_category_id in {c.pk for c in categories}:
                self.initial.setdefault("category", str(delegation.default_category_id))
        labels = {
            "family_name": _("Family name, as in the passport"),
            "given_names": _("Given names, as in the passport"),
            "name_native": _("Name in their own script"),
            "language": _("Language for our e-mails to this person"),
            "mode": _("Takes part"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["name_native"].help_text = _("For example in Cyrillic or Chinese characters.")
        self.fields["consent"].label = _(
            "This person has read the privacy notice above and agrees that their data is processed as it describes."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Confirm that this person agreed to the privacy notice: without their consent we cannot process the data."
        )
        self.fields["photo"].help_text = _(
            "A recent passport-style photo for the badge: JPEG or PNG, at most 5 MB, at least 300 × 400 pixels. "
            "It may also be added later."
        )
        if not self.initial.get("organisation_name"):  # new members, and invited ones who left it empty
            self.initial["organisation_name"] = str(delegation.organisation)

    def _resolve_category(self) -> Category | None:
        if self.application is None and self._only_category is not None:
            return self._only_category
        if self.application is None and not self.cleaned_data.get("category"):
            # The select starts on the delegation's default category; a post without it means that one.
            default = next((c for c in self.category_options if c.pk == self.delegation.default_category_id), None)
            if default is not None:
                return default
        return super()._resolve_category()

    def _clean_photo_choice(self, cleaned: dict[str, Any]) -> None:
        if self.pending_photo is None:
            return  # optional here: the photo already held (if any) is kept
        super()._clean_photo_choice(cleaned)

    def _clean_document_choice(self, cleaned: dict[str, Any], category: Category | None) -> None:
        self.uses_document = False  # the delegation's note verbale or nomination letter covers its members

    def service_data(self) -> dict[str, Any]:
        data = self.application_data()
        data.pop("listed_publicly", None)  # the person's own choice, made in their account
        return data


class DelegationPersonForm(forms.Form):
    """A focal point gives another person a role in their delegation: a deputy focal point or a negotiator."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (DelegationMembership.Role.FOCAL_POINT, _("focal point (a deputy)")),
            (DelegationMembership.Role.NEGOTIATOR, _("negotiator")),
        ],
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
