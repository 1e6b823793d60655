"""Places where apps above the events app add to its pages and commands, registered in their ``ready``.

- ``home_context``: extra context for an event's home page (accreditation says whether registration
  is open), so that the events app never imports accreditation.
- ``demo_loaders``: the steps of ``majlis demo`` after the event itself (the programme, then the
  accreditation), in their order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HomeContext = Callable[[Any], dict[str, Any]]
DemoLoader = Callable[..., Any]

_HOME_CONTEXT: dict[str, HomeContext] = {}
_DEMO_LOADERS: dict[str, tuple[int, DemoLoader]] = {}


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
