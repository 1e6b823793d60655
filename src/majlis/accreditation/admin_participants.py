"""Back-office pages for the desks, the organisers' letterhead, visa-support letters and mass e-mails."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from majlis.core.admin_site import admin_site
from majlis.core.i18n import per_language
from majlis.events.admin_scope import EventScopedAdmin

from .admin import AuditedAdmin
from .models import AccreditationDesk, MassMailing, OrganiserDetails, VisaLetter


@admin.register(AccreditationDesk, site=admin_site)
class AccreditationDeskAdmin(EventScopedAdmin, AuditedAdmin, TranslationAdmin):
    event_capability = "accreditation.manage"
    list_display = ["location", "event", "position"]
    list_filter = ["event"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    fields = [  # type: ignore[assignment]
        "event",
        "position",
        per_language("location"),
        per_language("address"),
        *per_language("opening_hours"),
    ]


@admin.register(OrganiserDetails, site=admin_site)
class OrganiserDetailsAdmin(EventScopedAdmin, AuditedAdmin, TranslationAdmin):
    event_capability = "accreditation.manage"
    list_display = ["event", "organisation", "email", "reference_prefix"]
    list_select_related = ["event", "organisation"]
    autocomplete_fields = ["event", "organisation"]
    fields = [  # type: ignore[assignment]
        "event",
        "organisation",
        *per_language("address"),
        ("phone", "email"),
        "signatory_name",
        per_language("signatory_title"),
        "reference_prefix",
    ]


@admin.register(VisaLetter, site=admin_site)
class VisaLetterAdmin(EventScopedAdmin, admin.ModelAdmin):
    event_capability = "accreditation.view"
    event_change_capability = "accreditation.decide"
    event_path = "application__event"
    """Read-only: letters are requested and issued through the services (audited)."""

    list_display = ["__str__", "application", "status", "include_passport", "requested_at", "issued_at"]
    list_filter = ["status", "application__event"]
    list_select_related = ["application__event"]
    fields = ("application", "number", "status", "include_passport", "embassy", "requested_at", "issued_at")
    readonly_fields = ("application", "number", "status", "include_passport", "embassy", "requested_at", "issued_at")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(MassMailing, site=admin_site)
class MassMailingAdmin(EventScopedAdmin, admin.ModelAdmin):
    event_capability = "accreditation.mail"
    """Read-only: mass e-mails are written, previewed and sent from the organiser pages."""

    list_display = ["subject", "event", "status", "recipient_count", "created_at", "sent_at"]
    list_filter = ["event", "status"]
    list_select_related = ["event"]
    fields = ("event", "subject", "body", "filters", "status", "recipient_count", "created_at", "sent_at")
    readonly_fields = ("event", "subject", "body", "filters", "status", "recipient_count", "created_at", "sent_at")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
