"""Back office for the programme: tracks, people, sessions with their speakers, published versions.

Organisers normally work on the programme pages under /<lang>/<event>/manage/programme/, which
show conflicts and protocol order; the back office is for corrections. Every save is audited.
Sessions are created, changed and deleted through the programme services, as on those pages (a
changed access rule releases the seats of those it leaves out; a session people hold seats in is
cancelled, not deleted). Published versions are read-only here: they cannot be changed or deleted.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from majlis.core.admin_site import admin_site
from majlis.core.audit import record
from majlis.core.i18n import all_languages, per_language
from majlis.events.admin_scope import EventScopedAdmin

from . import services
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
        event = cleaned.get("event") or (self.instance.event if self.instance.event_id else None)
        if self.errors or event is None:
            return cleaned
        # The services' own checks (track and room of the event, unique short name, …), shown on the form
        # rather than failing when the service saves.
        candidate = copy.copy(self.instance)
        candidate.event = event
        for name in services.SESSION_FIELDS:
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        try:
            services.validate_session(candidate, organisers=list(cleaned.get("organisers") or []))
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, field_messages)
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A session does not move between events (its seats and versions belong to its event).
        return [*super().get_readonly_fields(request, obj), *(["event"] if obj is not None else [])]

    def get_actions(self, request: HttpRequest) -> Any:
        # One at a time, through the service, which refuses a session people hold seats in.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.deletion_refusal(obj) is None

    def save_model(self, request: HttpRequest, obj: Session, form: forms.ModelForm, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.SESSION_DATA_KEYS if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in data.items() if name in form.changed_data}
            services.update_session(obj, actor=request.user, data=changed, request=request)
            return
        created = services.create_session(obj.event, actor=request.user, data=data, request=request)
        # The admin goes on with its own instance (inlines, redirect): it takes the created row's identity.
        obj.pk, obj.guid, obj.slug = created.pk, created.guid, created.slug
        obj._state.adding = False
        obj._state.db = created._state.db

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        # The organisers were set (and audited) by update_session: only the speakers are left to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

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
        services.delete_session(obj, actor=request.user, request=request, via="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        for session in queryset:
            services.delete_session(session, actor=request.user, request=request, via="admin")


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
