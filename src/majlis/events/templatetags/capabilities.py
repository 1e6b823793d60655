"""``{% can "capability" obj as var %}``: whether the current user holds a capability on an object.

Templates show an organiser link or button only to those holding the capability of the page it
leads to (the accreditation officer sees the applications but not the event settings). The answer
is the same ``capabilities.has`` the views check, so a link is never shown for a page that answers 403.
"""

from __future__ import annotations

from typing import Any

from django import template

from majlis.core import capabilities

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, name: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    if user is None:
        return False
    return capabilities.has(user, name, obj)
