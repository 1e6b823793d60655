"""Protocol order of speakers within a session (DOMAIN.md §5).

Rank first (Heads of State before ministers before officials), then states before organisations
of the same rank, then the time the request to speak was registered. A manual position set by an
organiser wins over all of that; it is recorded (who, when, why) and shown to organisers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

UNRANKED = 1_000
_LATEST = datetime.max.replace(tzinfo=None)


class Speaking(Protocol):
    # Read-only members, so that a model (whose pk is an int) matches as well as a plain object.
    @property
    def manual_position(self) -> int | None: ...

    @property
    def requested_at(self) -> datetime | None: ...

    @property
    def pk(self) -> int | None: ...

    @property
    def person(self) -> Any: ...


SpeakingT = TypeVar("SpeakingT", bound=Speaking)


def protocol_key(appearance: Speaking) -> tuple[int, int, float, int]:
    person = appearance.person
    rank = person.protocol_rank if person.protocol_rank is not None else UNRANKED
    state_first = 0 if person.represents_state else 1
    requested = appearance.requested_at.timestamp() if appearance.requested_at else float("inf")
    return (rank, state_first, requested, appearance.pk or 0)


def protocol_order(appearances: Iterable[SpeakingT]) -> list[SpeakingT]:
    """Order by protocol, then move manually placed speakers to their positions (1-based)."""
    automatic = sorted((a for a in appearances if a.manual_position is None), key=protocol_key)
    manual = sorted(
        (a for a in appearances if a.manual_position is not None),
        key=lambda a: (a.manual_position, protocol_key(a)),
    )
    ordered: list[SpeakingT] = list(automatic)
    for appearance in manual:
        index = min(max(appearance.manual_position - 1, 0), len(ordered))  # type: ignore[operator]
        ordered.insert(index, appearance)
    return ordered


def is_overridden(ordered: Sequence[Speaking]) -> bool:
    return any(a.manual_position is not None for a in ordered)


# --- Delegations -------------------------------------------------------------------------------
# The same rule as for speakers, states before organisations, applied to a conference's delegations
# (UN practice): the host country first, then member states in the alphabetical order of their
# English short names, then observers, then international and regional organisations.

DELEGATION_KIND_ORDER = {"member_state": 0, "observer": 1, "organisation": 2}


def english_sort_name(name: str) -> str:
    """Accents, punctuation and case do not change the order ("Côte d'Ivoire" sorts with "Cote")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if c.isalnum() or c == " ").casefold().strip()


def delegation_protocol_key(kind: str, english_name: str, *, is_host: bool = False) -> tuple[int, int, str]:
    kind_rank = DELEGATION_KIND_ORDER.get(kind, len(DELEGATION_KIND_ORDER))
    return (0 if is_host else 1, kind_rank, english_sort_name(english_name))
