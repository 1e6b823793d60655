"""Templates ask the workflow what an actor may do with an application, to show only those actions.

{% load accreditation_workflow %}
{% can "cancel" application request.user as may_cancel %}
{% allowed_actions application request.user "decisions" as actions %}
"""

from __future__ import annotations

from typing import Any

from django import template

from .. import workflow
from ..models import Application

register = template.Library()


@register.simple_tag
def can(action: str, application: Application, actor: Any) -> bool:
    return workflow.can(action, application, actor)


@register.simple_tag
def refusal(action: str, application: Application, actor: Any) -> str:
    """Why the action is not possible ("" when it is)."""
    return workflow.refusal(action, application, actor) or ""


@register.simple_tag
def allowed_actions(application: Application, actor: Any, among: str = "") -> list[workflow.Transition]:
    """The actions the actor may take now; ``among`` is "decisions" (the organisers') or names separated by spaces."""
    names = workflow.DECISIONS if among == "decisions" else (among.split() or None)
    return workflow.allowed_actions(application, actor, names)
