"""Back office for events and everything the public site shows about them.

Per-language fields (``title_en``, ``title_ru``, ``title_uz`` …) sit side by side on one row, so
that a translator sees the English next to the version being written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from majlis.core.admin_site import admin_site
from majlis.core.audit import record
from majlis.core.i18n import all_languages, per_language
from majlis.core.validators import inspect_document_file, validate_logo
from majlis.core.widgets import PrivateFileWidget
from majlis.events.admin_scope import EventScopedAdmin

from . import services
from .models import (
    Contact,
    Document,
    DocumentFile,
    Event,
    EventOrganisation,
    EventRole,
    Milestone,
    NewsItem,
    Organisation,
    Pillar,
    Room,
    Series,
    Venue,
)

# Addresses typed without a scheme are taken as https:// (Django 6's default, asked for explicitly).
URL_FIELDS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}
FILE_FIELDS: dict[type[models.Field], dict[str, Any]] = {models.FileField: {"widget": PrivateFileWidget}}


# --- Series ---------------------------------------------------------------------------------------


class MilestoneInline(TranslationStackedInline):
    model = Milestone
    extra = 0
    autocomplete_fields = ["event"]
    fields = [
        ("date", "date_end", "date_precision"),
        per_language("city"),
        per_language("title"),
        per_language("description"),
        "event",
    ]


@admin.register(Series, site=admin_site)
class SeriesAdmin(TranslationAdmin):
    list_display = ["name", "slug", "event_count"]
    search_fields = ["slug", *all_languages("name")]
    fieldsets = [
        (None, {"fields": ["slug", per_language("name"), per_language("description")]}),
    ]
    inlines = [MilestoneInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(num_events=Count("events"))

    @admin.display(description=_("events"), ordering="num_events")
    def event_count(self, obj: Series) -> int:
        return getattr(obj, "num_events", 0)


# --- Venues ---------------------------------------------------------------------------------------


class RoomInline(TranslationStackedInline):
    model = Room
    extra = 0
    fields = [
        ("capacity", "position"),
        per_language("name"),
        per_language("floor"),
        per_language("accessibility_notes"),
    ]


@admin.register(Venue, site=admin_site)
class VenueAdmin(TranslationAdmin):
    list_display = ["name", "city", "country"]
    list_filter = ["country"]
    search_fields = [*all_languages("name", "city", "address")]
    fieldsets = [
        (None, {"fields": [per_language("name"), per_language("address"), per_language("city"), "country"]}),
        (_("Accessibility"), {"fields": [per_language("accessibility_notes")]}),
    ]
    inlines = [RoomInline]


# --- Organisations --------------------------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["logo"]  # the admin adds the fields of its fieldsets

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):  # a new upload, not the file already stored
            validate_logo(logo)
        return logo


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(TranslationAdmin):
    form = OrganisationForm
    list_display = ["name", "acronym", "kind", "country", "has_logo"]
    list_filter = ["kind", "country"]
    search_fields = [*all_languages("name", "acronym")]
    formfield_overrides = {**URL_FIELDS, **FILE_FIELDS}
    readonly_fields = ["logo_link"]
    fieldsets = [
        (None, {"fields": [per_language("name"), per_language("acronym"), ("kind", "country"), "website"]}),
        (_("Logo"), {"fields": ["logo", "logo_link"]}),
    ]

    @admin.display(description=_("current logo"))
    def logo_link(self, obj: Organisation) -> str:
        if not obj.pk or not obj.logo:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("organisation-logo", args=[obj.pk]), _("show"))

    @admin.display(description=_("logo"), boolean=True)
    def has_logo(self, obj: Organisation) -> bool:
        return bool(obj.logo)


# --- Events ---------------------------------------------------------------------------------------


class EventOrganisationInline(admin.TabularInline):
    model = EventOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "position"]


class PillarInline(TranslationStackedInline):
    model = Pillar
    extra = 0
    fields = ["number", per_language("title"), per_language("summary")]


class ContactInline(TranslationTabularInline):
    model = Contact
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["name", *per_language("function"), "organisation", "email", "phone", "position"]


def _change_status(admin_obj: EventAdmin, request: HttpRequest, queryset: QuerySet[Event], status: str) -> None:
    changed = 0
    with transaction.atomic():
        for event in queryset.order_by("pk"):
            if services.set_event_status(event, status, actor=request.user, request=request, via="admin action"):
                changed += 1
    label = dict(Event.Status.choices)[status]
    admin_obj.message_user(
        request,
        ngettext("%(count)d event is now %(status)s.", "%(count)d events are now %(status)s.", changed)
        % {"count": changed, "status": label},
        messages.SUCCESS if changed else messages.WARNING,
    )


@admin.register(Event, site=admin_site)
class EventAdmin(EventScopedAdmin, TranslationAdmin):
    event_path = "pk"
    list_display = ["short_title", "slug", "start_date", "end_date", "city", "country", "format", "status", "series"]
    list_filter = ["status", "format", "series"]
    search_fields = ["slug", *all_languages("title", "short_title", "city")]
    date_hierarchy = "start_date"
    list_select_related = ["series"]
    autocomplete_fields = ["series", "venue"]
    prepopulated_fields = {"slug": ("short_title_en",)}
    actions = ["publish_events", "unpublish_events", "archive_events"]
    formfield_overrides = URL_FIELDS
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["slug", "status", "series"]}),
        (_("Titles"), {"fields": [per_language("title"), per_language("short_title"), per_language("summary")]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "end_date", "time_zone"),
                    per_language("city"),
                    ("country", "venue"),
                    ("format", "expected_participants"),
                    "website",
                ],
            },
        ),
    ]
    inlines = [EventOrganisationInline, PillarInline, ContactInline]

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        _change_status(self, request, queryset, Event.Status.PUBLISHED)

    @admin.action(description=_("Return the selected events to draft"), permissions=["change"])
    def unpublish_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        _change_status(self, request, queryset, Event.Status.DRAFT)

    @admin.action(description=_("Archive the selected events"), permissions=["change"])
    def archive_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        _change_status(self, request, queryset, Event.Status.ARCHIVED)

    def save_model(self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool) -> None:
        previous: str | None = form.initial.get("status") if change else None
        wanted = obj.status
        if previous is not None and previous != wanted:
            obj.status = previous  # the other fields are saved here; the status changes through the service
        super().save_model(request, obj, form, change)
        if not change:
            record("event.created", request=request, obj=obj, event_slug=obj.slug, status=obj.status)
            # Default categories, settings and privacy notice, as for an event made on the organisers' pages.
            services.set_up_new_event(obj, actor=request.user, request=request)
        elif previous is not None and previous != wanted:
            services.set_event_status(obj, wanted, actor=request.user, request=request, via="admin form")


# --- Documents ------------------------------------------------------------------------------------


class DocumentFileForm(forms.ModelForm):
    class Meta:
        model = DocumentFile
        fields = ["language", "file"]

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new upload: check it and describe it
            info = inspect_document_file(file)
            self.instance.original_name = info.original_name
            self.instance.content_type = info.content_type
            self.instance.size = info.size
            self.instance.sha256 = info.sha256
            if info.cleaned_data is not None:  # a PDF: stored without its active content
                file = SimpleUploadedFile(file.name or "", info.cleaned_data, content_type=info.content_type)
        return file


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    form = DocumentFileForm
    extra = 1
    formfield_overrides = FILE_FIELDS
    fields = ["language", "file", "original_name", "content_type", "size", "sha256", "download"]
    readonly_fields = ["original_name", "content_type", "size", "sha256", "download"]

    @admin.display(description=_("download"))
    def download(self, obj: DocumentFile) -> str:
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("download"))


@admin.register(Document, site=admin_site)
class DocumentAdmin(EventScopedAdmin, TranslationAdmin):
    list_display = ["title", "event", "kind", "is_public", "published_on", "version", "languages"]
    list_filter = ["kind", "is_public", "event"]
    search_fields = ["slug", *all_languages("title", "description")]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["event", ("kind", "slug"), ("is_public", "published_on", "version", "position")]}),
        (_("Title and description"), {"fields": [per_language("title"), per_language("description")]}),
    ]
    inlines = [DocumentFileInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description=_("languages"))
    def languages(self, obj: Document) -> str:
        return ", ".join(file.language for file in obj.files.all())


# --- News -----------------------------------------------------------------------------------------


@admin.register(NewsItem, site=admin_site)
class NewsItemAdmin(EventScopedAdmin, TranslationAdmin):
    list_display = ["title", "event", "kind", "published_at", "is_published"]
    list_filter = ["kind", "event"]
    search_fields = ["slug", *all_languages("title", "lead", "body")]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_at"
    fieldsets = [
        (None, {"fields": ["event", ("kind", "slug"), "published_at"]}),
        (
            _("Text"),
            {"fields": [per_language("title"), per_language("dateline"), per_language("lead"), per_language("body")]},
        ),
    ]

    @admin.display(description=_("published"), boolean=True)
    def is_published(self, obj: NewsItem) -> bool:
        return obj.is_published


# --- Contacts and roles ---------------------------------------------------------------------------


@admin.register(Contact, site=admin_site)
class ContactAdmin(EventScopedAdmin, TranslationAdmin):
    list_display = ["name", "function", "organisation", "email", "phone", "event"]
    list_filter = ["event"]
    search_fields = ["name", "email", "phone", *all_languages("function")]
    list_select_related = ["event", "organisation"]
    autocomplete_fields = ["event", "organisation"]
    fieldsets = [
        (None, {"fields": ["event", "name", per_language("function"), "organisation", ("email", "phone"), "position"]}),
    ]


@admin.register(EventRole, site=admin_site)
class EventRoleAdmin(EventScopedAdmin, admin.ModelAdmin):
    event_capability = "event.manage_roles"
    list_display = ["user", "role", "event", "organisation"]
    list_filter = ["role", "event"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "event__slug"]
    list_select_related = ["user", "event", "organisation"]
    autocomplete_fields = ["user", "event", "organisation"]

    def save_model(self, request: HttpRequest, obj: EventRole, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            "event_role.changed" if change else "event_role.granted",
            request=request,
            obj=obj,
            event_slug=obj.event.slug,
            user=obj.user.get_username(),
            role=obj.role,
        )

    def delete_model(self, request: HttpRequest, obj: EventRole) -> None:
        record(
            "event_role.revoked",
            request=request,
            obj=obj,
            event_slug=obj.event.slug,
            user=obj.user.get_username(),
            role=obj.role,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[EventRole]) -> None:
        for role in queryset.select_related("user", "event"):
            record(
                "event_role.revoked",
                request=request,
                obj=role,
                event_slug=role.event.slug,
                user=role.user.get_username(),
                role=role.role,
            )
        super().delete_queryset(request, queryset)
