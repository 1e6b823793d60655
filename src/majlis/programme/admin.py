"""Back office for the programme: tracks, people, sessions with their speakers, published versions.

Organisers normally work on the programme pages under /<lang>/<event>/manage/programme/, which
show conflicts and protocol order; the back office is for corrections. Every save is audited.
Published versions are read-only here: they cannot be changed or deleted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from majlis.core.admin_site import admin_site
from majlis.core.audit import record
from majlis.events.admin import all_languages, per_language
from majlis.events.admin_scope import EventScopedAdmin

from .models import Person, ProgrammeVersion, Session, SessionSpeaker, Track


@admin.register(Track, site=admin_site)
class TrackAdmin(EventScopedAdmin, TranslationAdmin):
    event_capability = "programme.edit"
    list_display = ["name", "slug", "event", "pillar", "colour", "position"]
    list_filter = ["event"]
    search_fields = ["slug", *all_languages("name")]
    list_select_related = ["event", "pillar"]
    autocomplete_fields = ["event"]
    fields = ["event", ("slug", "position"), per_language("name"), ("pillar", "colour")]


@admin.register(Person, site=admin_site)
class PersonAdmin(TranslationAdmin):
    list_display = ["name_latin", "name_native", "honorific", "organisation", "country", "protocol_rank"]
    list_filter = ["protocol_rank", "honorific"]
    # Names in any script: the native spelling (Cyrillic, Chinese …), the Latin one and the sort name.
    search_fields = ["slug", "name_native", "name_latin", "sort_name", *all_languages("position")]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]
    prepopulated_fields = {"slug": ("name_latin",)}
    fieldsets = [
        (None, {"fields": ["slug", "honorific", ("name_latin", "name_native", "sort_name")]}),
        (
            _("Position and protocol"),
            {
                "fields": [per_language("position"), ("organisation", "country"), "protocol_rank"],
            },
        ),
        (_("Biography and photo"), {"fields": [per_language("bio"), "photo", "user"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            "programme.person_changed" if change else "programme.person_created",
            request=request,
            obj=obj,
            fields=sorted(form.changed_data),
            via="admin",
        )


OVERRIDE_FIELDS = {"manual_position", "override_reason"}


class SessionSpeakerForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("manual_position") is not None and not (cleaned.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Give a reason for departing from protocol order."))
        return cleaned


class SessionSpeakerInline(TranslationTabularInline):
    model = SessionSpeaker
    form = SessionSpeakerForm
    extra = 0
    autocomplete_fields = ["person"]
    fields = [
        "person",
        "role",
        "delivery",
        *per_language("on_behalf_of"),
        "requested_at",
        "manual_position",
        "override_reason",
        "override_by",
        "override_at",
    ]
    readonly_fields = ["override_by", "override_at"]


class SessionAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session must end after it starts."))
        return cleaned


@admin.register(Session, site=admin_site)
class SessionAdmin(EventScopedAdmin, TranslationAdmin):
    event_capability = "programme.edit"
    form = SessionAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "event", "kind", "starts_at", "room", "track", "is_cancelled"]
    list_filter = ["event", "kind", "is_cancelled", "track"]
    search_fields = ["slug", "guid", *all_languages("title", "abstract")]
    list_select_related = ["event", "room", "track"]
    autocomplete_fields = ["event", "organisers"]
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "starts_at"
    readonly_fields = ["guid"]
    fieldsets = [
        (None, {"fields": ["event", ("kind", "slug"), "guid", "is_cancelled"]}),
        (_("Title and abstract"), {"fields": [per_language("title"), per_language("abstract")]}),
        (_("When and where"), {"fields": [("starts_at", "ends_at"), ("room", "track"), "organisers"]}),
        (
            _("Access and languages"),
            {
                "fields": [
                    ("capacity", "access"),
                    "restricted_to",
                    ("floor_languages", "interpretation"),
                    "stream_url",
                ],
            },
        ),
    ]
    inlines = [SessionSpeakerInline]

    def save_model(self, request: HttpRequest, obj: Session, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            "programme.session_updated" if change else "programme.session_created",
            request=request,
            obj=obj,
            event_slug=obj.event.slug,
            guid=str(obj.guid),
            fields=sorted(form.changed_data),
            via="admin",
        )

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        changed = {obj.pk: set(fields) for obj, fields in formset.changed_objects}
        for appearance in instances:
            if isinstance(appearance, SessionSpeaker):
                if appearance.manual_position is None:
                    appearance.override_reason, appearance.override_by, appearance.override_at = "", None, None
                elif appearance.pk is None or changed.get(appearance.pk, set()) & OVERRIDE_FIELDS:
                    appearance.override_by, appearance.override_at = request.user, timezone.now()  # type: ignore[assignment]
            appearance.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()
        if instances or formset.deleted_objects:
            record(
                "programme.speakers_changed",
                request=request,
                obj=form.instance,
                event_slug=form.instance.event.slug,
                guid=str(form.instance.guid),
                via="admin",
                changed=len(instances),
                removed=len(formset.deleted_objects),
            )

    def delete_model(self, request: HttpRequest, obj: Session) -> None:
        record(
            "programme.session_deleted",
            request=request,
            obj=obj,
            event_slug=obj.event.slug,
            guid=str(obj.guid),
            via="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        for session in queryset.select_related("event"):
            record(
                "programme.session_deleted",
                request=request,
                obj=session,
                event_slug=session.event.slug,
                guid=str(session.guid),
                via="admin",
            )
        super().delete_queryset(request, queryset)


@admin.register(ProgrammeVersion, site=admin_site)
class ProgrammeVersionAdmin(EventScopedAdmin, admin.ModelAdmin):
    event_capability = "programme.edit"
    """Published versions are history: they can be read, never added, changed or deleted here."""

    list_display = ["event", "number", "published_at", "published_by", "note"]
    list_filter = ["event"]
    search_fields = ["note", "event__slug"]
    list_select_related = ["event", "published_by"]
    fields = ["event", "number", "published_at", "published_by", "note", "snapshot"]
    readonly_fields = ["event", "number", "published_at", "published_by", "note", "snapshot"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
