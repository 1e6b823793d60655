"""Demo accounts, one per role in the demo event. Passwords are deliberately obvious: demo only."""

from __future__ import annotations

from typing import Any

DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "organiser",
        "password": "demo-organiser-2022",
        "first_name": "Malika",
        "last_name": "Yusupova",
        "role": "organiser_admin",
        "organisation": "isrs",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "username": "coorganiser",
        "password": "demo-coorganiser-2022",
        "first_name": "Johanna",
        "last_name": "Berger",
        "role": "co_organiser",
        "organisation": "osce",
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "accreditation",
        "password": "demo-accreditation-officer-2022",
        "first_name": "Dilnoza",
        "last_name": "Rahimova",
        "role": "accreditation_officer",
        "organisation": "isrs",
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "security",
        "password": "demo-security-officer-2022",
        "first_name": "Rustam",
        "last_name": "Karimov",
        "role": "security_officer",
        "organisation": None,
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "sideevent",
        "password": "demo-side-event-2022",
        "first_name": "Fang",
        "last_name": "Wang",
        "role": "side_event_organiser",
        "organisation": "sco-rats",
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "focalpoint",
        "password": "demo-focal-point-2022",
        "first_name": "Айгерим",
        "last_name": "Сапарова",
        "role": "focal_point",
        "organisation": "mfa-kz",
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "participant",
        "password": "demo-participant-2022",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "role": "participant",
        "organisation": None,
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "gate",
        "password": "demo-gate-officer-2022",
        "first_name": "Gʻayrat",
        "last_name": "Toʻxtayev",
        "role": "gate_officer",
        "organisation": None,
        "is_staff": False,
        "is_superuser": False,
    },
    {
        "username": "journalist",
        "password": "demo-journalist-2022",
        "first_name": "Nodira",
        "last_name": "Qodirova",
        "role": "journalist",
        "organisation": None,
        "is_staff": False,
        "is_superuser": False,
    },
]


def email_for(username: str) -> str:
    return f"{username}@example.org"
