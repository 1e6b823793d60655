"""Back office for accreditation: categories, invitation codes, settings, delegations and applications.

Organisers decide on applications on the participant pages (/<lang>/<event>/manage/participants/),
which go through ``services.py``; the back office is for configuration and corrections. Personal
data is read-only here, and the passport number is never shown (not even encrypted). Invitation
codes are shown once, when created: only their hash is stored. Log-in links show no token.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from majlis.core.admin_site import admin_site
from majlis.core.audit import record
from majlis.core.i18n import all_languages, per_language
from majlis.events.admin_scope import EventScopedAdmin

from . import services
from .models import (
    AccreditationSettings,
    Application,
    Category,
    Delegation,
    DelegationCategory,
    DelegationDocument,
    DelegationMembership,
    EventCapacity,
    InvitationCode,
    LoginLink,
    PrivacyNotice,
    SessionSeat,
)

generate_invitation_code = services.generate_invitation_code
CODE_ALPHABET = services.CODE_ALPHABET


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every save and delete made in the back office."""

    audit_prefix = "accreditation"

    def _event_slug(self, obj: Any) -> str:
        event = getattr(obj, "event", None)
        if event is None:
            category = getattr(obj, "category", None)
            event = getattr(category, "event", None)
        return getattr(event, "slug", "") or ""

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        name = obj._meta.model_name
        record(
            f"{self.audit_prefix}.{name}_{'changed' if change else 'created'}",
            request=request,
            obj=obj,
            event_slug=self._event_slug(obj),
            fields=sorted(form.changed_data),
            via="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(
            f"{self.audit_prefix}.{obj._meta.model_name}_deleted",
            request=request,
            obj=obj,
            event_slug=self._event_slug(obj),
            via="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


# --- Configuration -------------------------------------------------------------------------------


@admin.register(Category, site=admin_site)
class CategoryAdmin(EventScopedAdmin, AuditedAdmin, TranslationAdmin):
    event_capability = "accreditation.manage"
    list_display = [
        "name",
        "code",
        "event",
        "colour",
        "needs_approval",
        "required_document",
        "allows_in_person",
        "allows_online",
        "public_listing_allowed",
        "in_person_quota",
        "self_registration",
        "position",
    ]
    list_filter = ["event", "needs_approval", "self_registration", "for_delegations", "required_document"]
    search_fields = ["code", *all_languages("name")]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    fieldsets = [
        (None, {"fields": ["event", ("code", "position"), per_language("name"), "colour"]}),
        (
            _("Rules"),
            {
                "fields": [
                    ("needs_approval", "required_document"),
                    ("allows_in_person", "allows_online"),
                    "public_listing_allowed",
                    "self_registration",
                    "for_delegations",
                    "in_person_quota",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Category, form: forms.ModelForm, change: bool) -> None:
        quota_changed = change and "in_person_quota" in form.changed_data
        new_quota = obj.in_person_quota
        if quota_changed:
            # The quota goes through the service: a larger quota promotes the waitlist at once.
            obj.in_person_quota = form.initial.get("in_person_quota")
        super().save_model(request, obj, form, change)
        if quota_changed:
            services.set_category_quota(obj, quota=new_quota, actor=request.user, request=request)


class InvitationCodeForm(forms.ModelForm):
    class Meta:
        model = InvitationCode
        fields = ["category", "label", "max_uses", "expires_at"]

    def clean_max_uses(self) -> int | None:
        # The service's rule, checked here too so that the form shows it instead of failing on save.
        max_uses = self.cleaned_data.get("max_uses")
        if max_uses is not None and self.instance.pk is not None and max_uses < self.instance.uses:
            raise forms.ValidationError(
                ngettext(
                    "The code has been used %(uses)d time: it must allow at least that many uses.",
                    "The code has been used %(uses)d times: it must allow at least that many uses.",
                    self.instance.uses,
                ),
                params={"uses": self.instance.uses},
            )
        return max_uses


@admin.register(InvitationCode, site=admin_site)
class InvitationCodeAdmin(EventScopedAdmin, AuditedAdmin):
    event_capability = "accreditation.manage"
    event_path = "category__event"
    form = InvitationCodeForm
    list_display = ["__str__", "category", "uses", "max_uses", "expires_at", "revoked_at"]
    list_filter = ["category__event", "category"]
    search_fields = ["label"]
    list_select_related = ["category__event"]
    autocomplete_fields = ["category"]
    readonly_fields = ["uses", "revoked_at"]
    fields = ["category", "label", ("max_uses", "uses"), "expires_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: InvitationCode, form: forms.ModelForm, change: bool) -> None:
        if change:
            # Through the service (audited, locked), which refuses fewer uses than already made.
            services.update_invitation_code(
                obj,
                label=obj.label,
                max_uses=obj.max_uses,
                expires_at=obj.expires_at,
                actor=request.user,
                request=request,
            )
            return
        # A new code goes through the service (audited); the instance takes the saved row's identity.
        invitation, code = services.create_invitation_code(
            obj.category,
            label=obj.label,
            max_uses=obj.max_uses,
            expires_at=obj.expires_at,
            actor=request.user,
            request=request,
        )
        obj.pk, obj.code_hash, obj.created_at = invitation.pk, invitation.code_hash, invitation.created_at
        obj._state.adding = False
        obj._state.db = invitation._state.db
        # Shown once: only the hash is stored, nobody can see the code again.
        messages.warning(
            request,
            _(
                "The invitation code is %(code)s — copy it now and send it to the people it is for: "
                "it is stored only as a hash and cannot be shown again."
            )
            % {"code": code},
        )


@admin.register(EventCapacity, site=admin_site)
class EventCapacityAdmin(EventScopedAdmin, AuditedAdmin):
    event_capability = "accreditation.manage"
    list_display = ["event", "in_person_capacity"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    fields = ["event", "in_person_capacity"]

    def save_model(self, request: HttpRequest, obj: EventCapacity, form: forms.ModelForm, change: bool) -> None:
        capacity_changed = change and "in_person_capacity" in form.changed_data
        new_capacity = obj.in_person_capacity
        if capacity_changed:
            # Through the service, under the event lock: a larger capacity promotes the waitlist.
            obj.in_person_capacity = form.initial.get("in_person_capacity")
        super().save_model(request, obj, form, change)
        if capacity_changed:
            services.set_capacity(obj.event, in_person_capacity=new_capacity, actor=request.user, request=request)


@admin.register(AccreditationSettings, site=admin_site)
class AccreditationSettingsAdmin(EventScopedAdmin, AuditedAdmin):
    event_capability = "accreditation.manage"
    list_display = ["event", "registration_open", "registration_opens_at", "registration_closes_at", "retention_days"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    fields = [
        "event",
        "registration_open",
        ("registration_opens_at", "registration_closes_at"),
        "nomination_deadline",
        "retention_days",
    ]


@admin.register(PrivacyNotice, site=admin_site)
class PrivacyNoticeAdmin(EventScopedAdmin, AuditedAdmin, TranslationAdmin):
    event_capability = "accreditation.manage"
    list_display = ["__str__", "event", "version", "published_at"]
    list_filter = ["event"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    fields = ["event", "version", per_language("text")]

    def get_readonly_fields(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> list[str]:
        # People consented to this exact text: a published version is never changed, a new one is added.
        if obj is not None:
            return ["event", "version", *per_language("text")]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> bool:
        return False


# --- Delegations ---------------------------------------------------------------------------------


class DelegationDocumentInline(admin.TabularInline):
    model = DelegationDocument
    extra = 0
    can_delete = False
    readonly_fields = (
        "kind",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    fields = readonly_fields
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DelegationMembershipInline(admin.TabularInline):
    """Shown, not edited: focal points add and remove deputies and negotiators on the delegation's
    page (services.add_delegation_member and remove_delegation_member, audited)."""

    model = DelegationMembership
    fk_name = "delegation"
    extra = 0
    can_delete = False
    readonly_fields = ("user", "role", "created_by", "created_at")
    fields = readonly_fields
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DelegationCategoryInline(admin.TabularInline):
    """Shown, not edited: the delegation's page changes them (services.set_delegation_categories checks
    that no member loses a category they hold and that staff, interpreters, security and media are
    never given to a delegation)."""

    model = DelegationCategory
    extra = 0
    can_delete = False
    readonly_fields = ("category", "member_limit")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delegation, site=admin_site)
class DelegationAdmin(EventScopedAdmin, AuditedAdmin):
    event_capability = "accreditation.view"
    event_change_capability = "accreditation.decide"
    list_display = ["organisation", "event", "kind", "country", "status", "focal_point_email", "member_limit"]
    list_filter = ["event", "status", "kind"]
    search_fields = ["focal_point_email", *all_languages("organisation__name", "organisation__acronym")]
    list_select_related = ["event", "organisation"]
    autocomplete_fields = ["event", "organisation"]
    fields = [
        "event",
        "organisation",
        ("kind", "country"),
        "status",
        ("focal_point_email", "focal_point_language"),
        ("default_category", "member_limit"),
        "decision_reason",
    ]
    # Decisions on credentials go through the delegation pages (services: audited and mailed).
    readonly_fields = ["status", "decision_reason"]
    inlines = [DelegationMembershipInline, DelegationCategoryInline, DelegationDocumentInline]


# --- Applications --------------------------------------------------------------------------------

PERSONAL_FIELDS = [
    "honorific",
    "family_name",
    "given_names",
    "name_native",
    "nationality",
    "organisation_name",
    "position",
    "email",
    "phone",
    "language",
    "interpretation_needs",
    "accessibility_needs",
    "dietary_needs",
    "passport_expiry",
    "passport_country",
    "arrival_at",
    "arrival_details",
    "departure_at",
    "departure_details",
]
WORKFLOW_FIELDS = [
    "status",
    "submitted_at",
    "decided_at",
    "decision_reason",
    "waitlisted_at",
    "privacy_notice",
    "consented_at",
    "listed_publicly",
    "deletion_requested_at",
    "personal_data_purged_at",
]


class SessionSeatInline(admin.TabularInline):
    model = SessionSeat
    extra = 0
    can_delete = False
    readonly_fields = (
        "session",
        "status",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application, site=admin_site)
class ApplicationAdmin(EventScopedAdmin, AuditedAdmin):
    event_capability = "accreditation.view"
    event_change_capability = "accreditation.decide"
    """Read-only: personal data is changed by the person, decisions on the organisers' pages."""

    list_display = ["__str__", "event", "category", "delegation", "nationality", "mode", "status", "submitted_at"]
    list_filter = ["event", "status", "category", "mode", "nationality", "listed_publicly"]
    search_fields = ["family_name", "given_names", "name_native", "email", "organisation_name"]
    list_select_related = ["event", "category", "delegation__organisation"]
    date_hierarchy = "submitted_at"
    # Never the passport number (encrypted or digest), the gender, nor the invitation token's hash.
    fieldsets = [
        (None, {"fields": ["event", "user", ("category", "mode"), ("delegation", "is_head_of_delegation")]}),
        (_("Person"), {"fields": tuple(PERSONAL_FIELDS)}),
        (_("Workflow and consent"), {"fields": tuple(WORKFLOW_FIELDS)}),
    ]
    readonly_fields = [
        "event",
        "user",
        "category",
        "mode",
        "delegation",
        "is_head_of_delegation",
        *PERSONAL_FIELDS,
        *WORKFLOW_FIELDS,
    ]
    inlines = [SessionSeatInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # personal data is removed by the deletion request and the purge, which keep statistics

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):  # type: ignore[no-untyped-def]
        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "status_code", 0) == 200:
            application = Application.objects.select_related("event").get(pk=object_id)
            # Every look at personal data is on record.
            record(
                "accreditation.application_viewed",
                request=request,
                obj=application,
                event_slug=application.event.slug,
                via="admin",
            )
        return response


# --- Sessions, e-mails, log-in links ---------------------------------------------------------------


@admin.register(SessionSeat, site=admin_site)
class SessionSeatAdmin(EventScopedAdmin, admin.ModelAdmin):
    event_capability = "accreditation.view"
    event_change_capability = "accreditation.decide"
    event_path = "application__event"
    list_display = ["application", "session", "status", "created_at"]
    list_filter = ["status", "session__event"]
    list_select_related = ["application", "session"]
    search_fields = ["application__family_name", "application__given_names", "application__name_native"]
    readonly_fields = (
        "application",
        "session",
        "status",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # freeing a seat promotes the waitlist: services.release_session_seat


@admin.register(LoginLink, site=admin_site)
class LoginLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at", "requested_from"]
    list_filter = ["used_at"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = (
        "user",
        "created_at",
        "expires_at",
        "used_at",
        "requested_from",
    )  # never the token hash
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
