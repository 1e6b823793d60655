"""The admin, limited to the events in which a person holds the capability a model needs.

``EventScopedAdmin`` is mixed into every ModelAdmin of an event's data (events, programme,
accreditation). For anyone but a superuser it

* lists only the rows of the events where the user holds the admin's capability
  (``events.rules.events_with``); a row of another event is "not found" on its change page;
* offers only those events (and their categories, sessions, delegations …) in foreign-key choices;
* answers the view/add/change/delete permission questions from the capability, in the row's event.

Django's admin asks ``user.has_perm("app.change_model")`` before anything else; the
``EventCapabilityBackend`` answers it from the same table, so an organiser needs no global model
permission (which would hold in every event). Superusers see everything, as before.

Each admin names ``event_capability`` (what viewing needs) and may name a stronger
``event_change_capability`` (what adding, changing and deleting need), and ``event_path``, the
lookup from its model to the event ("event", "application__event"; "pk" for the Event itself).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import BaseBackend
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .models import Event
from .rules import events_with

# "app_label.action_model" → the capability that grants it in some event (filled as admins are created).
_ADMIN_PERMISSIONS: dict[str, str] = {}


def _event_ids(request: HttpRequest, capability: str) -> set[int] | None:
    """``events_with`` once per request and capability (``None``: every event)."""
    cache: dict[str, set[int] | None] = request.__dict__.setdefault("_majlis_admin_events", {})
    if capability not in cache:
        cache[capability] = events_with(request.user, capability)
    return cache[capability]


def _is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


class EventScopedAdmin:
    event_capability: str = "event.manage"
    event_change_capability: str | None = None
    event_path: str = "event"

    model: type[Model]

    def __init__(self, model: type[Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]
        opts = model._meta
        for action in ("view", "add", "change", "delete"):
            if action == "add" and self.event_path == "pk":
                continue  # a new event belongs to no event yet: creating one is not an event capability
            perm = f"{opts.app_label}.{get_permission_codename(action, opts)}"
            _ADMIN_PERMISSIONS[perm] = self._capability_for(action)

    def _capability_for(self, action: str) -> str:
        if action == "view":
            return self.event_capability
        return self.event_change_capability or self.event_capability

    def _event_id_of(self, obj: Model) -> int | None:
        if self.event_path == "pk":
            return obj.pk
        value: Any = obj
        for part in self.event_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value.pk

    def _in_scope(self, request: HttpRequest, action: str, obj: Model | None) -> bool:
        if _is_superuser(request.user):
            return True
        ids = _event_ids(request, self._capability_for(action))
        if ids is None:
            return True
        if obj is None:
            return bool(ids)
        return self._event_id_of(obj) in ids

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if _is_superuser(request.user):
            return queryset
        ids = _event_ids(request, self.event_capability)
        if ids is None:
            return queryset
        lookup = "pk__in" if self.event_path == "pk" else f"{self.event_path}__in"
        return queryset.filter(**{lookup: ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is None or _is_superuser(request.user):
            return field
        ids = _event_ids(request, self._capability_for("change"))
        if ids is None:
            return field
        related = db_field.related_model
        if related is Event:
            field.queryset = field.queryset.filter(pk__in=ids)
        elif any(f.name == "event" and f.is_relation for f in related._meta.get_fields()):
            field.queryset = field.queryset.filter(event_id__in=ids)
        return field

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._in_scope(request, "view", obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        allowed = super().has_add_permission(request, *args)  # type: ignore[misc]
        return bool(allowed) and self._in_scope(request, "add", None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._in_scope(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._in_scope(request, "delete", obj)


class EventCapabilityBackend(BaseBackend):
    """Grants the admin's model permissions to those holding the admin's capability in some event.

    Only the permissions of ``EventScopedAdmin`` models, and only without an object: which rows
    the person then sees is the admin's business (``EventScopedAdmin.get_queryset``).
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if obj is not None or not getattr(user_obj, "is_active", False) or not getattr(user_obj, "is_staff", False):
            return False
        capability = _ADMIN_PERMISSIONS.get(perm)
        if capability is None:
            return False
        # One query per capability and user object, however many models the admin index asks about.
        cache: dict[str, bool] = user_obj.__dict__.setdefault("_majlis_admin_capabilities", {})
        if capability not in cache:
            ids = events_with(user_obj, capability)
            cache[capability] = ids is None or bool(ids)
        return cache[capability]

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        prefix = f"{app_label}."
        return any(self.has_perm(user_obj, perm) for perm in _ADMIN_PERMISSIONS if perm.startswith(prefix))
