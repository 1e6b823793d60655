"""Back office for the platform itself: users, groups, OTP devices, the audit log, background tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import outbox
from .admin_site import admin_site
from .models import AuditEntry, OutboxMessage

admin_site.register(get_user_model(), UserAdmin)
admin_site.register(Group, GroupAdmin)
admin_site.register(TOTPDevice, TOTPDeviceAdmin)
admin_site.register(StaticDevice, StaticDeviceAdmin)
admin_site.register(DBTaskResult, DBTaskResultAdmin)


# ModelAdmin is generic only in django-stubs: at run time it cannot be subscripted (that needs
# django_stubs_ext, a development tool), so the typed base classes are named for the checker alone.
if TYPE_CHECKING:
    _AuditEntryAdmin = admin.ModelAdmin[AuditEntry]
    _OutboxMessageAdmin = admin.ModelAdmin[OutboxMessage]
else:
    _AuditEntryAdmin = _OutboxMessageAdmin = admin.ModelAdmin


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(_AuditEntryAdmin):
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


@admin.register(OutboxMessage, site=admin_site)
class OutboxMessageAdmin(_OutboxMessageAdmin):
    """Every e-mail of the platform, read-only: never lost, never edited; failed ones can be sent again."""

    list_display = ["template", "recipient", "language", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["recipient", "subject", "key", "related"]
    readonly_fields = (
        "key",
        "event_id",
        "related",
        "recipient",
        "language",
        "template",
        "context",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    fields = readonly_fields
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # never lost: every e-mail stays on record

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["view"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        queued = 0
        for message in queryset:
            try:
                outbox.retry(message, actor=request.user, request=request)
            except ValidationError as error:
                self.message_user(request, f"{message}: {' '.join(error.messages)}", messages.WARNING)
            else:
                queued += 1
        if queued:
            self.message_user(request, _("%(count)d e-mails are queued again.") % {"count": queued}, messages.SUCCESS)
