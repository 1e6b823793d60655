"""Delegations in protocol order, for the organisers' list and its export.

``programme.protocol.delegation_protocol_key`` is the rule: the host country's delegation first,
then member states in the alphabetical order of their English short names (ISO 3166, as the UN
uses them), then observers, then international and regional organisations (by English name).
The host country is the country of a government that hosts the event (``EventOrganisation`` role
"host").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from majlis.core.countries import country_name
from majlis.events.models import EventOrganisation, Organisation
from majlis.programme.protocol import delegation_protocol_key

from .models import Delegation

DelegationT = TypeVar("DelegationT", bound=Delegation)


def host_countries(event: Any) -> set[str]:
    return {
        code
        for code in EventOrganisation.objects.filter(
            event=event, role=EventOrganisation.Role.HOST, organisation__kind=Organisation.Kind.GOVERNMENT
        ).values_list("organisation__country", flat=True)
        if code
    }


def english_name(delegation: Delegation) -> str:
    """The English short name of the country for a state, else the organisation's English name."""
    if delegation.kind != Delegation.Kind.ORGANISATION and delegation.country:
        return country_name(delegation.country, "en")
    organisation = delegation.organisation
    return getattr(organisation, "name_en", None) or organisation.name


def in_protocol_order(delegations: Iterable[DelegationT], event: Any) -> list[DelegationT]:
    hosts = host_countries(event)
    return sorted(
        delegations,
        key=lambda d: (
            delegation_protocol_key(
                d.kind,
                english_name(d),
                is_host=d.kind == Delegation.Kind.MEMBER_STATE and bool(d.country) and d.country in hosts,
            ),
            d.pk,
        ),
    )
