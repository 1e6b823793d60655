"""The sections of a person's account page, contributed by the apps that know about them.

Core knows no conference: the events app adds "my roles in conferences", accreditation adds the
applications, personal data and delegations. Each app registers a section in its ``ready``; a
section whose context function returns ``None`` is left out for that person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AccountSection:
    name: str
    order: int
    template: str
    context: Callable[[Any], dict[str, Any] | None]


_SECTIONS: dict[str, AccountSection] = {}


def register_section(name: str, *, order: int, template: str, context: Callable[[Any], dict[str, Any] | None]) -> None:
    _SECTIONS[name] = AccountSection(name=name, order=order, template=template, context=context)


@dataclass(frozen=True)
class RenderedSection:
    template: str
    data: dict[str, Any]


def sections_for(user: Any) -> list[RenderedSection]:
    """The sections to show this user, in order, each with its template and its data."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)):
        data = section.context(user)
        if data is not None:
            shown.append(RenderedSection(template=section.template, data=data))
    return shown
