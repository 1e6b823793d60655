"""Back office for the platform itself: users, groups, OTP devices, the audit log, background tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .admin_site import admin_site
from .models import AuditEntry

admin_site.register(get_user_model(), UserAdmin)
admin_site.register(Group, GroupAdmin)
admin_site.register(TOTPDevice, TOTPDeviceAdmin)
admin_site.register(StaticDevice, StaticDeviceAdmin)
admin_site.register(DBTaskResult, DBTaskResultAdmin)


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: nobody adds, edits or deletes entries here, not even a superuser."""

    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "event_slug", "ip_address"]
    list_filter = ["action", "event_slug", "object_type"]
    search_fields = ["actor_label", "action", "object_repr", "object_id", "event_slug", "reason"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    show_full_result_count = False
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "event_slug",
        "reason",
        "data",
        "ip_address",
    )
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
