"""Places where apps above the events app add to its pages and commands, registered in their ``ready``.

- ``home_context``: extra context for an event's home page (accreditation says whether registration
  is open), so that the events app never imports accreditation.
- ``demo_loaders``: the steps of ``majlis demo`` after the event itself (the programme, then the
  accreditation), in their order.
- ``token_zone_choices``: the zones an API token of an event may be bound to (the gates app lists
  the event's zones, as ``(zone id as text, name)``), so that the token form offers them without
  the events app importing the gates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HomeContext = Callable[[Any], dict[str, Any]]
DemoLoader = Callable[..., Any]
ZoneChoices = Callable[[Any], list[tuple[str, str]]]

_HOME_CONTEXT: dict[str, HomeContext] = {}
_DEMO_LOADERS: dict[str, tuple[int, DemoLoader]] = {}
_TOKEN_ZONE_CHOICES: dict[str, ZoneChoices] = {}


def register_home_context(name: str, provider: HomeContext) -> None:
    _HOME_CONTEXT[name] = provider


def home_context(event: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for _name, provider in sorted(_HOME_CONTEXT.items()):
        context.update(provider(event))
    return context


def register_demo_loader(name: str, order: int, loader: DemoLoader) -> None:
    """``loader(event, stdout=...)`` creates or refreshes an app's demo content for the demo event."""
    _DEMO_LOADERS[name] = (order, loader)


def demo_loaders() -> list[DemoLoader]:
    return [loader for _order, loader in sorted(_DEMO_LOADERS.values(), key=lambda item: item[0])]


def register_token_zone_choices(name: str, provider: ZoneChoices) -> None:
    """``provider(event)`` returns the ``(value, label)`` pairs a token of ``event`` may be bound to."""
    _TOKEN_ZONE_CHOICES[name] = provider


def token_zone_choices(event: Any) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for _name, provider in sorted(_TOKEN_ZONE_CHOICES.items()):
        choices.extend(provider(event))
    return choices
