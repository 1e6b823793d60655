"""The practice conference: a second, clearly labelled event of the demo series that is always about
to begin, so that a newcomer can register, approve, print a badge and scan it at a gate today.

Its texts are in English, Russian and Uzbek (Latin script, with U+02BB ʻ and U+02BC ʼ). It takes
place at the demo venue; the apps above the events app add its programme, accreditations, badges,
zones, gates and a gate device token (``extensions.register_practice_loader``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

PRACTICE_SLUG = "practice"
TIME_ZONE = "Asia/Tashkent"

# The dates rule. The practice conference starts 1 to LEAD_DAYS days after the day the demo is loaded
# (in the event's time zone) and lasts DURATION_DAYS days:
# - close enough that its badges, valid from three days before the first day
#   (``badges.services.VALID_BEFORE_OPENING``), already pass the gates on the day it is loaded;
# - far enough that it is still upcoming, so that its registration is open.
# A run that finds it starting today or earlier (or has no event yet) moves it to start LEAD_DAYS days
# after today; otherwise its dates are left alone, so that a second run changes nothing. Moving the
# dates is the one change a later run makes: the sessions, the zones' open days and the badges'
# validity follow them.
LEAD_DAYS = 3
DURATION_DAYS = 2


def practice_dates(current_start: date | None, today: date) -> tuple[date, date]:
    """The practice conference's first and last day, given its current first day (None: not created)."""
    start = today + timedelta(days=LEAD_DAYS)
    if current_start is not None and current_start > today:
        start = current_start  # still upcoming: left alone
    return start, start + timedelta(days=DURATION_DAYS - 1)


EVENT: dict[str, Any] = {
    "slug": PRACTICE_SLUG,
    "title": {
        "en": "Practice conference — try every workflow",
        "ru": "Учебная конференция — попробуйте все процессы",
        "uz": "Mashq konferensiyasi — barcha jarayonlarni sinab koʻring",
    },
    "short_title": {
        "en": "Practice conference",
        "ru": "Учебная конференция",
        "uz": "Mashq konferensiyasi",
    },
    "summary": {
        "en": (
            "A practice event of the demo, not a real conference: it always starts in a few days, so that you can "
            "try everything on it today. Register as a participant, approve applications as the accreditation "
            "officer, print badges, and scan them at the gates as the gate officer or with the gate device token "
            "printed when the demo was loaded. Every person here is invented."
        ),
        "ru": (
            "Учебное мероприятие демонстрационной версии, а не настоящая конференция: оно всегда начинается через "
            "несколько дней, чтобы всё можно было попробовать уже сегодня. Зарегистрируйтесь как участник, "
            "одобрите заявки как сотрудник по аккредитации, напечатайте бейджи и проверьте их на входе как "
            "сотрудник контроля доступа или с токеном устройства, который выводится при загрузке демо. Все люди "
            "здесь вымышлены."
        ),
        "uz": (
            "Bu demo versiyaning mashq tadbiri, haqiqiy konferensiya emas: u doimo bir necha kundan keyin "
            "boshlanadi, shuning uchun hamma narsani bugunoq sinab koʻrishingiz mumkin. Ishtirokchi sifatida "
            "roʻyxatdan oʻting, akkreditatsiya xodimi sifatida arizalarni tasdiqlang, beyjlarni chop eting va "
            "ularni kirish nazorati xodimi sifatida yoki demo yuklanganda chiqarilgan qurilma tokeni bilan kirish "
            "joyida tekshiring. Bu yerdagi barcha shaxslar toʻqima."
        ),
    },
    "city": {"en": "Tashkent", "ru": "Ташкент", "uz": "Toshkent"},
    "time_zone": TIME_ZONE,
    "country": "UZ",
    "format": "hybrid",
    "expected_participants": 120,
    "status": "published",
    "website": "",
}

# (organisation key of ``content.ORGANISATIONS``, role, position)
EVENT_ORGANISATIONS: list[tuple[str, str, int]] = [
    ("isrs", "co_organiser", 1),
    ("mfa-uz", "host", 0),
]

# The demo accounts' roles in the practice conference (username → role). The focal point gets theirs
# when they take charge of the practice delegation (accreditation's practice loader); the participant
# and the journalist have none on purpose: they can try registering themselves.
ROLES: dict[str, str] = {
    "organiser": "organiser_admin",
    "coorganiser": "co_organiser",
    "accreditation": "accreditation_officer",
    "security": "security_officer",
    "gate": "gate_officer",
}
