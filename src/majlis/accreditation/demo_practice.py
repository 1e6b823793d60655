"""Accreditation of the practice conference (``majlis.events.demo.practice``): registration open, a
handful of approved participants with photos, one delegation with its focal point, and one
application waiting for a decision.

Every person is invented (names in Uzbek Latin, Cyrillic, Chinese and Arabic script, e-mail
addresses at example.org, passport numbers ``DEMOP…``). The demo account ``focalpoint`` is the focal
point of the practice delegation of Kazakhstan; ``participant`` and ``journalist`` have no
application here, so that they can try the registration form. Like ``demo.py``, the loader creates
what is missing through the services and leaves what exists alone: a second run changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation

from majlis.events.models import Event

from . import demo, services
from .demo import DemoDelegation, DemoPerson, G, H, S, _Counter, _delegation, _individual
from .models import Application, Delegation

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

PRACTICE_CAPACITY = 120  # in-person seats of the practice conference

KAZAKHSTAN = DemoDelegation(
    # The same ministry as in the Tashkent demo: one organisation row, two delegations.
    organisation_en=demo.KAZAKHSTAN.organisation_en,
    organisation=demo.KAZAKHSTAN.organisation,
    kind=Delegation.Kind.MEMBER_STATE,
    country="KZ",
    focal_point_email="focalpoint@example.org",
    focal_point_username="focalpoint",
    language="ru",
    default_category="delegate",
    state="approved",
    members=(
        DemoPerson(
            "demo.practice.kz.head@example.org",
            "minister",
            "Zhumabayeva",
            "Assel",
            "KZ",
            G.FEMALE,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Deputy Minister of Foreign Affairs",
            S.APPROVED,
            name_native="Асель Жумабаева",
            honorific=H.HE,
            language="ru",
            listed_publicly=True,
            passport="DEMOP001",
            head=True,
            photo=True,
        ),
        DemoPerson(
            "demo.practice.kz.delegate@example.org",
            "delegate",
            "Akhmetov",
            "Timur",
            "KZ",
            G.MALE,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Counsellor, Department of Security",
            S.APPROVED,
            name_native="Тимур Ахметов",
            honorific=H.MR,
            language="ru",
            listed_publicly=True,
            passport="DEMOP002",
            photo=True,
        ),
    ),
)

INDIVIDUALS: tuple[DemoPerson, ...] = (
    DemoPerson(
        "demo.practice.gulomov@example.org",
        "expert",
        "Gʻulomov",
        "Oʻktam",
        "UZ",
        G.MALE,
        "Centre for Regional Studies (demo)",
        "Senior Researcher",
        S.APPROVED,
        name_native="Ўктам Ғуломов",
        honorific=H.DR,
        language="uz",
        listed_publicly=True,
        passport="DEMOP003",
        photo=True,
    ),
    DemoPerson(
        "demo.practice.zhang@example.org",
        "expert",
        "Zhang",
        "Ming",
        "CN",
        G.MALE,
        "Institute for Eurasian Studies (demo)",
        "Research Fellow",
        S.APPROVED,
        name_native="张明",
        honorific=H.MR,
        listed_publicly=True,
        passport="DEMOP004",
        photo=True,
    ),
    DemoPerson(
        "demo.practice.haddad@example.org",
        "donor",
        "Haddad",
        "Layla",
        "JO",
        G.FEMALE,
        "Foundation for Regional Dialogue (demo)",
        "Programme Officer",
        S.APPROVED,
        name_native="ليلى حداد",
        honorific=H.MS,
        passport="DEMOP005",
        photo=True,
    ),
    DemoPerson(
        "demo.practice.rashidova@example.org",
        "media",
        "Rashidova",
        "Nilufar",
        "UZ",
        G.FEMALE,
        "Samarkand Morning News (demo)",
        "Reporter",
        S.APPROVED,
        name_native="Нилуфар Рашидова",
        honorific=H.MS,
        language="uz",
        passport="DEMOP006",
        press_card=True,
        photo=True,
    ),
    DemoPerson(
        "demo.practice.abdullayev@example.org",
        "organiser-staff",
        "Abdullayev",
        "Bekzod",
        "UZ",
        G.MALE,
        "Institute for Strategic and Regional Studies",
        "Protocol Officer",
        S.APPROVED,
        name_native="Бекзод Абдуллаев",
        language="uz",
        passport="DEMOP007",
        photo=True,
    ),
    # Waiting for the accreditation officer: approve it, and the badge is issued.
    DemoPerson(
        "demo.practice.ergasheva@example.org",
        "civil-society",
        "Ergasheva",
        "Shahnoza",
        "UZ",
        G.FEMALE,
        "Fergana Valley Women's Council (demo)",
        "Coordinator",
        S.SUBMITTED,
        name_native="Шаҳноза Эргашева",
        honorific=H.MS,
        language="uz",
        listed_publicly=True,
        passport="DEMOP008",
        photo=True,
    ),
)


def load_practice_accreditation(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Create what is missing of the practice conference's accreditation; returns whether anything was."""
    counter = _Counter()
    with translation.override("en"), transaction.atomic():
        # The defaults: registration switched on without dates, categories with self-registration
        # (experts, civil society, media), the privacy notice.
        event_capacity = services.ensure_event_setup(event)
        if event_capacity.in_person_capacity is None and not Application.objects.filter(event=event).exists():
            services.set_capacity(event, in_person_capacity=PRACTICE_CAPACITY, actor=None)
        _delegation(event, KAZAKHSTAN, [], counter)
        for person in INDIVIDUALS:
            _individual(event, person, [], counter)
    if stdout is not None:
        if counter:
            stdout.write(
                f"Accreditation of {event.slug}: {counter.delegations} delegations and "
                f"{counter.applications} applications created.\n"
            )
        else:
            stdout.write(f"Accreditation of {event.slug} is already up to date: nothing changed.\n")
    return bool(counter)
