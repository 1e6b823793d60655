"""The application form of individual applicants (the public registration and the account area).

The form only checks and shapes input: ``services.py`` creates and changes applications. Files
uploaded with a submission that has other errors are kept (``photos.keep_pending``) and referenced
by a signed token in a hidden field, so the applicant never uploads them twice.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from majlis.core.countries import country_choices, country_name
from majlis.core.forms import add_service_errors  # noqa: F401 - the pages of this app import it from here
from majlis.events.models import Event

from . import photos, session_access, validators
from .models import Application, Category, InvitationCode, Mode, PrivacyNotice, SupportingDocument

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
SESSION_KINDS = ("side_event", "breakout")

# Fields that exist only for in-person participants; an online application stores none of them.
IN_PERSON_FIELDS = (
    "passport_number",
    "passport_expiry",
    "passport_country",
    "arrival_at",
    "arrival_details",
    "departure_at",
    "departure_details",
)
# Plain fields handed to the services as they are.
DATA_FIELDS = (
    "honorific",
    "family_name",
    "given_names",
    "name_native",
    "gender",
    "nationality",
    "organisation_name",
    "position",
    "email",
    "phone",
    "language",
    "mode",
    "interpretation_needs",
    "accessibility_needs",
    "dietary_needs",
)


def validate_latin_name(value: str) -> None:
    """Names as in the passport's machine-readable zone: Latin letters (accents allowed), spaces, - ' ."""
    for character in value:
        if character.isalpha():
            if not unicodedata.name(character, "").startswith("LATIN"):
                raise ValidationError(
                    _(
                        "Write this name in Latin letters, as in your passport. "
                        "Your own script has its own field below."
                    ),
                    code="name_script",
                )
        elif character not in " -'’.":
            raise ValidationError(
                _("A name may contain letters, spaces, hyphens, apostrophes and full stops only."),
                code="name_characters",
            )


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def find_invitation_code(event: Event, code: str) -> InvitationCode | None:
    """The usable invitation code of this event matching what the applicant typed, or None."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    invitation = (
        InvitationCode.objects.select_related("category")
        .filter(code_hash=code_digest(code), category__event=event, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return None
    if invitation.expires_at is not None and invitation.expires_at <= timezone.now():
        return None
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return None
    return invitation


def _strip_controls(value: str) -> str:
    """Drop control characters (other than line breaks) that no name or address ever contains."""
    return "".join(c for c in value if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs", "Co"})


class CleanCharField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return None if text is None else _strip_controls(text)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A select of a few hundred options (countries) rendered in Python rather than one template per option."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) == selected else "", label)  # noqa: S308
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


class CategorySelect(forms.Select):
    """Options carry the category's rules, so that the stylesheet can hide fields that do not apply."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules: dict[str, dict[str, str]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["attrs"].update(self.rules.get(str(value), {}))
        return option


def category_rules(category: Category) -> dict[str, str]:
    return {
        "data-document": category.required_document or "none",
        "data-listing": "yes" if category.public_listing_allowed else "no",
        "data-modes": " ".join(category.modes),
    }


class SessionChoiceField(forms.MultipleChoiceField):
    """Lists the sessions offered; accepts any session of the programme, so that one the person may not
    attend (a stale page, another category chosen) gets the clear reason from ``session_access``
    instead of "not one of the available choices"."""

    known: frozenset[str] = frozenset()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.known or super().valid_value(value)


def session_label(session: Any, tz: Any) -> str:
    starts = timezone.localtime(session.starts_at, tz)
    return f"{session.title} — {starts:%d.%m.%Y %H:%M} ({session.get_kind_display()})"


class ApplicationForm(forms.Form):
    """One person's application to an event, as they fill it in themselves."""

    # A copy of the submitted data (QueryDict, or a dict), written to when kept files are re-sent.
    data: MultiValueDict[str, Any] | dict[str, Any]

    invitation_code = CleanCharField(
        label=_("Invitation code"),
        required=False,
        max_length=64,
        help_text=_("Only if the organisers sent you one: it opens a category that is not open to everyone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    category = forms.ChoiceField(label=_("I apply as"), required=False, widget=CategorySelect)

    honorific = forms.ChoiceField(
        label=pgettext_lazy("form of address", "Title"),
        choices=[("", _("(none)"))] + [(v, label) for v, label in Application.Honorific.choices if v],
        required=False,
    )
    family_name = CleanCharField(
        label=_("Family name, as in your passport"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    given_names = CleanCharField(
        label=_("Given names, as in your passport"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    name_native = CleanCharField(
        label=_("Your name in your own script"),
        required=False,
        max_length=200,
        help_text=_("For example in Cyrillic or Chinese characters, if you write your name in another script."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[(value, capfirst(label)) for value, label in Application.Gender.choices],
        initial=Application.Gender.UNDISCLOSED,
        widget=forms.RadioSelect,
        help_text=_(
            "Used only for aggregate figures on the gender balance of the conference, never shown with your name."
        ),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), widget=FastSelect)
    organisation_name = CleanCharField(
        label=_("Organisation"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    position = CleanCharField(
        label=pgettext_lazy("job title", "Position"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = CleanCharField(
        label=_("Phone"),
        max_length=32,
        validators=[validators.validate_phone],
        help_text=_("International format, e.g. +998 71 123 45 67."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our e-mails to you"),
        choices=[(code, settings.LANGUAGE_NAMES_NATIVE[code]) for code, _name in settings.LANGUAGES],
    )
    mode = forms.ChoiceField(
        label=_("I will take part"),
        choices=[(value, capfirst(label)) for value, label in Mode.choices],
        initial=Mode.IN_PERSON,
        widget=forms.RadioSelect,
    )

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A recent passport-style photo for your badge: JPEG or PNG, at most 5 MB, at least 300 × 400 pixels. "
            "It is cropped to 35 × 45 mm proportions."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    photo_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)
    crop_x = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    crop_y = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    crop_w = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    crop_h = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    sessions = SessionChoiceField(
        label=_("Side events and breakout panels you intend to attend"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation_needs = CleanCharField(
        label=_("Interpretation needs"),
        required=False,
        max_length=300,
        help_text=_("For example: interpretation into Russian in the plenary."),
    )
    accessibility_needs = CleanCharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: wheelchair access, a sign-language interpreter, seating near the front."),
    )
    dietary_needs = CleanCharField(label=_("Dietary needs"), required=False, max_length=300)

    passport_number = CleanCharField(
        label=_("Passport number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Stored encrypted and shown only to the accreditation staff."),
    )
    passport_expiry = forms.DateField(
        label=_("Passport expiry date"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    passport_country = forms.ChoiceField(label=_("Passport issued by"), required=False, widget=FastSelect)
    arrival_at = forms.DateTimeField(
        label=_("Arrival (date and time)"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
    )
    arrival_details = CleanCharField(label=_("Arrival details (flight or train)"), required=False, max_length=200)
    departure_at = forms.DateTimeField(
        label=_("Departure (date and time)"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
    )
    departure_details = CleanCharField(label=_("Departure details (flight or train)"), required=False, max_length=200)

    supporting_document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    document_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)

    consent = forms.BooleanField(
        label=_("I have read the privacy notice above and agree that my data is processed as it describes."),
        error_messages={
            "required": _("Without your consent to the privacy notice we cannot process your application.")
        },
    )
    listed_publicly = forms.BooleanField(
        label=_("List my name, organisation and country in the public list of participants."),
        required=False,
        help_text=_("Optional and separate from your application: nothing else about you is published."),
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        categories: list[Category],
        sessions: list[Any],
        privacy_notice: PrivacyNotice | None,
        application: Application | None = None,
        code_category: Category | None = None,
        allowed_pending: set[str] | frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self.data.copy()  # the tokens of files kept from this submission are written back
        self.event = event
        self.application = application  # editing this application (None: a new one)
        self.privacy_notice = privacy_notice
        self.code_category = code_category
        self.allowed_pending = set(allowed_pending)
        self.pending_photo: photos.PendingFile | None = None
        self.pending_document: photos.PendingFile | None = None
        self.invitation: InvitationCode | None = None
        self.category_obj: Category | None = None
        self.photo_bytes: bytes | None = None
        self.uses_document = False
        self.category_options = list(categories)
        if code_category is not None and code_category not in self.category_options:
            self.category_options.insert(0, code_category)
        # Only the sessions this person may attend (session_access): checked again once the category is known.
        session_categories = [application.category] if application is not None else self.category_options
        self._sessions = {str(session.pk): session for session in sessions}
        sessions = session_access.eligible_sessions(sessions, categories=session_categories, application=application)
        self._invited_sessions = session_access.invited_session_ids(application)
        category_field = cast(forms.ChoiceField, self.fields["category"])
        widget = category_field.widget
        category_field.choices = [("", _("Choose a category"))] + [(str(c.pk), c.name) for c in self.category_options]
        widget.rules = {str(c.pk): category_rules(c) for c in self.category_options}
        if len(self.category_options) == 1:
            self.fields["category"].initial = str(self.category_options[0].pk)

        countries = country_choices()
        cast(forms.ChoiceField, self.fields["nationality"]).choices = [("", _("Choose a country")), *countries]
        cast(forms.ChoiceField, self.fields["passport_country"]).choices = [("", _("Choose a country")), *countries]
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        sessions_field = cast(SessionChoiceField, self.fields["sessions"])
        sessions_field.choices = [
            (str(session.pk), self._session_choice_label(session, session_categories)) for session in sessions
        ]
        sessions_field.known = frozenset(self._sessions)
        if not sessions:
            del self.fields["sessions"]

        if application is not None:
            # The category and the e-mail address identify the application; they are not edited here.
            del self.fields["invitation_code"]
            del self.fields["category"]
            self.category_obj = application.category
            self.fields["email"].disabled = True
            self.fields["email"].initial = application.email
            self.fields["email"].help_text = _("To use another address, cancel this application and apply again.")
            self.fields["consent"].label = _(
                "I have read the privacy notice above and agree that my updated data is processed as it describes."
            )
            if application.passport_number_digest:
                self.fields["passport_number"].help_text = _(
                    "Leave empty to keep the passport number we hold. It is stored encrypted."
                )
            if application.photo:
                self.fields["photo"].help_text = _(
                    "Upload a new photo only to replace the current one: JPEG or PNG, at most 5 MB, "
                    "at least 300 × 400 pixels."
                )
            if application.supporting_document:
                self.fields["supporting_document"].help_text = _(
                    "Upload a new file only to replace the one we hold: PDF, JPEG or PNG, at most 10 MB."
                )
        elif code_category is not None:
            self.fields["category"].initial = str(code_category.pk)

        self._restore_pending()

    def _session_choice_label(self, session: Any, categories: list[Category]) -> str:
        """The session's title and time; when the category is still to be chosen, whom a restricted one is for."""
        label = session_label(session, self.event.tz)
        if len(categories) > 1 and session.pk not in self._invited_sessions:
            allowed = [c.name for c in categories if session_access.is_eligible(session, category=c)]
            if len(allowed) < len(categories):
                label = _("%(session)s — only for: %(categories)s") % {
                    "session": label,
                    "categories": ", ".join(allowed),
                }
        return label

    # -- Helpers used by the template ---------------------------------------------------------------

    @property
    def categories_for_rules(self) -> list[Category]:
        return self.category_options if self.application is None else [self.application.category]

    @property
    def shows_listing_opt_in(self) -> bool:
        return any(c.public_listing_allowed for c in self.categories_for_rules)

    @property
    def shows_document(self) -> bool:
        return any(c.required_document for c in self.categories_for_rules)

    @property
    def kept_photo(self) -> photos.PendingFile | None:
        return self.pending_photo

    @property
    def kept_document(self) -> photos.PendingFile | None:
        return self.pending_document

    def in_person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in IN_PERSON_FIELDS]

    # -- Validation ----------------------------------------------------------------------------------

    def _restore_pending(self) -> None:
        """Files kept from an earlier submission: only those this browser session uploaded count."""
        source = self.data if self.is_bound else self.initial
        for kind, field in (("photo", "photo_token"), ("document", "document_token")):
            token = source.get(field) or ""
            pending = photos.load_pending(str(token), kind) if token else None
            if pending is not None and pending.name not in self.allowed_pending:
                pending = None
            if kind == "photo":
                self.pending_photo = pending
            else:
                self.pending_document = pending
            if self.is_bound and pending is None and token:
                self.data[field] = ""

    def _set_token(self, field: str, pending: photos.PendingFile | None) -> None:
        if self.is_bound:
            self.data[field] = pending.token if pending else ""

    def clean_family_name(self) -> str:
        value = " ".join(self.cleaned_data["family_name"].split())
        validate_latin_name(value)
        return value

    def clean_given_names(self) -> str:
        value = " ".join(self.cleaned_data["given_names"].split())
        validate_latin_name(value)
        return value

    def clean_name_native(self) -> str:
        return " ".join(self.cleaned_data["name_native"].split())

    def clean_organisation_name(self) -> str:
        return " ".join(self.cleaned_data["organisation_name"].split())

    def clean_position(self) -> str:
        return " ".join(self.cleaned_data["position"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean_phone(self) -> str:
        return validators.normalise_phone(self.cleaned_data["phone"])

    def clean_passport_number(self) -> str:
        value = validators.normalise_passport_number(self.cleaned_data.get("passport_number", ""))
        error = validators.passport_number_error(value)
        if error is not None:
            raise error
        return value

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        data = photos.read_upload(upload, photos.MAX_PHOTO_BYTES)
        image = photos.normalise_photo(data, size=upload.size)
        # Kept as an upright JPEG without metadata, so that an error elsewhere does not lose it.
        pending = photos.keep_pending("photo", photos.encode_jpeg(image, quality=92), "jpg", upload.name or "")
        photos.discard_pending(self.pending_photo)
        self.pending_photo = pending
        self.allowed_pending.add(pending.name)
        self._set_token("photo_token", pending)
        return upload

    def clean_supporting_document(self) -> Any:
        upload = self.cleaned_data.get("supporting_document")
        if not upload:
            return None
        checked = photos.check_document(upload)
        pending = photos.keep_pending("document", checked.data, checked.extension, checked.original_name)
        photos.discard_pending(self.pending_document)
        self.pending_document = pending
        self.allowed_pending.add(pending.name)
        self._set_token("document_token", pending)
        return upload

    def _resolve_category(self) -> Category | None:
        if self.application is not None:
            return self.application.category
        code = self.cleaned_data.get("invitation_code", "")
        if code:
            self.invitation = find_invitation_code(self.event, code)
            if self.invitation is None:
                self.add_error(
                    "invitation_code",
                    ValidationError(
                        _(
                            "This invitation code is not valid, has expired or has been used up. Check it or leave "
                            "the field empty."
                        ),
                        code="invalid_code",
                    ),
                )
                return None
            return self.invitation.category
        chosen = self.cleaned_data.get("category")
        if not chosen:
            self.add_error("category", ValidationError(_("Choose the category you apply in."), code="required"))
            return None
        category = next((c for c in self.category_options if str(c.pk) == chosen), None)
        if category is None:
            self.add_error("category", ValidationError(_("Choose one of the categories listed."), code="invalid"))
        return category

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned is None:  # what Django does with a clean() that returns nothing
            cleaned = self.cleaned_data
        category = self.category_obj = self._resolve_category()
        mode = cleaned.get("mode")

        if category is not None and mode and mode not in category.modes:
            allowed = ", ".join(str(Mode(m).label) for m in category.modes)
            self.add_error(
                "mode",
                ValidationError(
                    _("In the category “%(category)s” you can take part only: %(modes)s."),
                    params={"category": category.name, "modes": allowed},
                    code="mode_not_allowed",
                ),
            )

        if mode == Mode.IN_PERSON:
            self._clean_in_person(cleaned)
        else:
            for name in IN_PERSON_FIELDS:
                cleaned[name] = None if name in {"passport_expiry", "arrival_at", "departure_at"} else ""

        if category is not None and "sessions" in self.fields:
            self._clean_session_access(category)
        self._clean_photo_choice(cleaned)
        self._clean_document_choice(cleaned, category)

        if category is not None and not category.public_listing_allowed:
            cleaned["listed_publicly"] = False
        if self.privacy_notice is None:
            self.add_error(
                None,
                ValidationError(
                    _("The organisers have not published a privacy notice yet, so applications cannot be accepted."),
                    code="no_privacy_notice",
                ),
            )
        return cleaned

    def _clean_session_access(self, category: Category) -> None:
        """A session the chosen category may not attend gets a clear error; everything else typed is kept."""
        for session in self.selected_sessions():
            invited = session.pk in self._invited_sessions
            if not session_access.is_eligible(session, category=category, invited=invited):
                self.add_error(
                    "sessions", ValidationError(session_access.refusal(session), code="session_not_eligible")
                )

    def _clean_in_person(self, cleaned: dict[str, Any]) -> None:
        required = _("Needed for in-person participants.")
        keeps_passport = self.application is not None and bool(self.application.passport_number_digest)
        if not cleaned.get("passport_number") and "passport_number" not in self.errors and not keeps_passport:
            self.add_error("passport_number", ValidationError(required, code="required"))
        expiry: date | None = cleaned.get("passport_expiry")
        if expiry is None and "passport_expiry" not in self.errors:
            self.add_error("passport_expiry", ValidationError(required, code="required"))
        if not cleaned.get("passport_country") and "passport_country" not in self.errors:
            self.add_error("passport_country", ValidationError(required, code="required"))
        arrival: datetime | None = cleaned.get("arrival_at")
        departure: datetime | None = cleaned.get("departure_at")
        for name, value in (("arrival_at", arrival), ("departure_at", departure)):
            if value is None and name not in self.errors:
                self.add_error(name, ValidationError(required, code="required"))
        travel = validators.travel_errors(
            self.event, passport_expiry=expiry, arrival_at=arrival, departure_at=departure
        )  # the same rules as the services'
        for name, error in travel.items():
            if name not in self.errors:
                self.add_error(name, error)

    def _clean_photo_choice(self, cleaned: dict[str, Any]) -> None:
        has_photo = self.pending_photo is not None or (self.application is not None and bool(self.application.photo))
        if not has_photo:
            if "photo" not in self.errors:
                self.add_error("photo", ValidationError(_("Add a photo for your badge."), code="required"))
            return
        if self.pending_photo is None:
            return  # the photo already held is kept as it is
        try:
            box = photos.parse_crop_box(cleaned)
            image = photos.open_normalised(self.pending_photo.read())
            self.photo_bytes = photos.crop_photo(image, box)
        except ValidationError as error:
            self.add_error("photo", error)
        except OSError:
            self.add_error("photo", ValidationError(_("Your photo could not be read; upload it again."), code="photo"))

    def _clean_document_choice(self, cleaned: dict[str, Any], category: Category | None) -> None:
        self.uses_document = category is not None and bool(category.required_document)
        if category is None or not self.uses_document:
            return
        held = self.application is not None and bool(self.application.supporting_document)
        if self.pending_document is None and not held and "supporting_document" not in self.errors:
            kind = SupportingDocument(category.required_document).label
            self.add_error(
                "supporting_document",
                ValidationError(
                    _("Applicants in the category “%(category)s” must upload a %(document)s."),
                    params={"category": category.name, "document": kind},
                    code="required",
                ),
            )

    # -- Results -------------------------------------------------------------------------------------

    def selected_sessions(self) -> list[Any]:
        return [self._sessions[pk] for pk in self.cleaned_data.get("sessions", []) if pk in self._sessions]

    def application_data(self) -> dict[str, Any]:
        """The data for ``services.create_application`` / ``update_application``."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {name: cleaned[name] for name in DATA_FIELDS if name in cleaned}
        if self.application is not None:
            data.pop("email", None)
        else:
            data["category"] = self.category_obj
        for name in IN_PERSON_FIELDS:
            if name == "passport_number":
                continue
            data[name] = cleaned.get(name)
            if data[name] is None and name in {"arrival_details", "departure_details", "passport_country"}:
                data[name] = ""
        number = cleaned.get("passport_number")
        if number:
            data["passport_number"] = number
        elif cleaned.get("mode") != Mode.IN_PERSON:
            data["passport_number"] = ""  # an online participant's passport number is not kept
        if "sessions" in self.fields:
            data["sessions"] = self.selected_sessions()
        if self.photo_bytes is not None:
            data["photo"] = ContentFile(self.photo_bytes, name="photo.jpg")
        if self.pending_document is not None and self.uses_document:
            document = self.pending_document
            data["supporting_document"] = ContentFile(document.read(), name=f"document.{document.extension}")
            data["supporting_document_name"] = document.original_name or f"document.{document.extension}"
        data["listed_publicly"] = bool(cleaned.get("listed_publicly"))
        data["consent"] = True  # the services record the current notice's version and the time
        return data

    def discard_pending_files(self) -> None:
        photos.discard_pending(self.pending_photo)
        photos.discard_pending(self.pending_document)


def initial_from_application(application: Application) -> dict[str, Any]:
    """Initial values of the form from an earlier application (re-applying, editing)."""
    initial: dict[str, Any] = {name: getattr(application, name) for name in DATA_FIELDS if hasattr(application, name)}
    for name in IN_PERSON_FIELDS:
        if name != "passport_number":
            initial[name] = getattr(application, name)
    initial["sessions"] = [str(pk) for pk in application.seats.values_list("session_id", flat=True)]
    initial["listed_publicly"] = application.listed_publicly
    initial["category"] = str(application.category_id)
    return initial


def nationality_label(code: str) -> str:
    return country_name(code)
