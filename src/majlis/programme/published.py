"""Reading the published programme: the newest snapshot of an event, cached per version.

The version number is read on every request (one indexed query), so a cache entry can never be
served after a newer version has been published, even with several web processes.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from majlis.events.models import Event

from .models import ProgrammeVersion


def current_version_number(event: Event) -> int | None:
    return ProgrammeVersion.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first()


def snapshot_cache_key(event: Event, number: int) -> str:
    return f"programme:{event.pk}:v{number}:snapshot"


def published_programme(event: Event) -> tuple[int, dict[str, Any]] | None:
    """The newest published version's number and snapshot, or None before the first publication."""
    number = current_version_number(event)
    if number is None:
        return None
    key = snapshot_cache_key(event, number)
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = ProgrammeVersion.objects.values_list("snapshot", flat=True).get(event=event, number=number)
        cache.set(key, snapshot, timeout=None)
    return number, snapshot
