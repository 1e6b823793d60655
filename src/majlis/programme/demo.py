"""The demo programme of the Tashkent conference (3–4 March 2022), in English, Russian and Uzbek.

Every fact comes from the press release of 21 February 2022 (``shared/seed``) and the domain notes
(``shared/DOMAIN.md``). People the press release does not name (heads of delegation, chairs,
panellists, rapporteurs, moderators) are described by their function only, so that nothing false is
said about a real person. The Tashkent Declaration and the updated Joint Plan of Action were adopted
on 3 March 2022, so their adoption closes day 1; day 2 holds the three side events and the closing
session with the reports of the breakout panels (as in the draft programme of the event demo).

``load_demo_programme`` is idempotent: natural keys are the session slug within the event, the
person slug, the track slug within the event and (session, person, role) for appearances. A second
run changes nothing and publishes nothing. Rooms, pillars and the co-organisers come from the event
demo (``majlis.events.demo``), which must run first.

Uzbek is written in Latin script with U+02BB (ʻ) in oʻ/gʻ and U+02BC (ʼ) for the tutuq belgisi.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import translation

from majlis.events.models import Event, Organisation, Pillar, Room

from .models import Person, ProgrammeVersion, ProtocolRank, Session, SessionKind, SessionSpeaker, Track
from .services import publish_programme

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

LANGUAGES = ("en", "ru", "uz")
Texts = dict[str, str]

PUBLISH_NOTE = "Demo programme of the Tashkent conference, 3–4 March 2022."
STREAM_BASE = "https://stream.example.org/tashkent-2022/"


def t(en: str, ru: str, uz: str) -> Texts:
    return {"en": en, "ru": ru, "uz": uz}


def tr(name: str, texts: Texts) -> dict[str, str]:
    """``{"title_en": …, "title_ru": …, "title_uz": …}`` from ``{"en": …, "ru": …, "uz": …}``."""
    return {f"{name}_{language}": texts[language] for language in LANGUAGES}


# --- organisations ------------------------------------------------------------------------------
# Looked up by their English name, the natural key the event demo uses. The co-organisers and the
# other international organisations must exist (the event demo creates them). The ministries of
# foreign affairs of the other Central Asian states are created here if they are missing.

REQUIRED_ORGANISATIONS = {
    "isrs": "Institute for Strategic and Regional Studies under the President of the Republic of Uzbekistan",
    "mfa-uz": "Ministry of Foreign Affairs of the Republic of Uzbekistan",
    "unoct": "United Nations Office of Counter-Terrorism",
    "unrcca": "United Nations Regional Centre for Preventive Diplomacy for Central Asia",
    "osce": "Organization for Security and Co-operation in Europe",
    "sco": "Shanghai Cooperation Organisation",
    "sco-rats": "Regional Anti-Terrorist Structure of the Shanghai Cooperation Organisation",
    "un": "United Nations",
}

GOVERNMENT_ORGANISATIONS: dict[str, dict[str, Any]] = {
    "mfa-kz": {
        "name": t(
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Министерство иностранных дел Республики Казахстан",
            "Qozogʻiston Respublikasi Tashqi ishlar vazirligi",
        ),
        "acronym": t("MFA KZ", "МИД РК", "QR TIV"),
        "country": "KZ",
    },
    "mfa-kg": {
        "name": t(
            "Ministry of Foreign Affairs of the Kyrgyz Republic",
            "Министерство иностранных дел Кыргызской Республики",
            "Qirgʻiziston Respublikasi Tashqi ishlar vazirligi",
        ),
        "acronym": t("MFA KG", "МИД КР", "Qirgʻiziston TIV"),
        "country": "KG",
    },
    "mfa-tj": {
        "name": t(
            "Ministry of Foreign Affairs of the Republic of Tajikistan",
            "Министерство иностранных дел Республики Таджикистан",
            "Tojikiston Respublikasi Tashqi ishlar vazirligi",
        ),
        "acronym": t("MFA TJ", "МИД РТ", "Tojikiston TIV"),
        "country": "TJ",
    },
    "mfa-tm": {
        "name": t(
            "Ministry of Foreign Affairs of Turkmenistan",
            "Министерство иностранных дел Туркменистана",
            "Turkmaniston Tashqi ishlar vazirligi",
        ),
        "acronym": t("MFA TM", "МИД Туркменистана", "Turkmaniston TIV"),
        "country": "TM",
    },
}

# --- tracks: the four pillars of the Strategy (DOMAIN.md §2) ---------------------------------------
# Names are copied from the event's Pillar rows when they exist; these are the same official
# wordings, used only if a pillar row has no text. Colours: darkened Okabe–Ito hues (distinct for
# the common colour-vision deficiencies), each with at least 5:1 contrast against white text.

TRACKS: list[dict[str, Any]] = [
    {
        "number": 1,
        "colour": "#005a9c",
        "name": t(
            "Measures to address the conditions conducive to the spread of terrorism",
            "Меры по устранению условий, способствующих распространению терроризма",
            "Terrorizmning tarqalishiga olib keluvchi sharoitlarni bartaraf etish choralari",
        ),
    },
    {
        "number": 2,
        "colour": "#b34700",
        "name": t(
            "Measures to prevent and combat terrorism",
            "Меры по предупреждению терроризма и борьбе с ним",
            "Terrorizmning oldini olish va unga qarshi kurashish choralari",
        ),
    },
    {
        "number": 3,
        "colour": "#00695c",
        "name": t(
            "Measures to build States' capacity to prevent and combat terrorism and to strengthen the role of the "
            "United Nations system in that regard",
            "Меры по созданию потенциала государств по предупреждению терроризма и борьбе с ним и по укреплению "
            "роли системы Организации Объединённых Наций в этой связи",
            "Davlatlarning terrorizmning oldini olish va unga qarshi kurashish salohiyatini oshirish hamda bu "
            "borada Birlashgan Millatlar Tashkiloti tizimining rolini kuchaytirish choralari",
        ),
    },
    {
        "number": 4,
        "colour": "#ad1457",
        "name": t(
            "Measures to ensure respect for human rights for all and the rule of law as the fundamental basis of "
            "the fight against terrorism",
            "Меры по обеспечению всеобщего уважения прав человека и верховенства права как фундаментальной основы "
            "борьбы с терроризмом",
            "Terrorizmga qarshi kurashning asosiy negizi sifatida barcha uchun inson huquqlari hurmat qilinishini "
            "va qonun ustuvorligini taʼminlash choralari",
        ),
    },
]

# --- people ---------------------------------------------------------------------------------------

# The six people the press release names (with the two misspellings corrected, see DOMAIN.md §1).
NAMED_PEOPLE: list[dict[str, Any]] = [
    {
        "slug": "shavkat-mirziyoyev",
        "honorific": Person.Honorific.HE,
        "name_native": "Шавкат Мирзиёев",
        "name_latin": "Shavkat Mirziyoyev",
        "sort_name": "Mirziyoyev",
        "organisation": None,
        "country": "UZ",
        "protocol_rank": ProtocolRank.HEAD_OF_STATE,
        "position": t(
            "President of the Republic of Uzbekistan",
            "Президент Республики Узбекистан",
            "Oʻzbekiston Respublikasi Prezidenti",
        ),
        "bio": t(
            "President of the Republic of Uzbekistan. At the 75th session of the United Nations General Assembly "
            "he put forward the initiative to hold this conference.",
            "Президент Республики Узбекистан. На 75-й сессии Генеральной Ассамблеи ООН выступил с инициативой "
            "проведения этой конференции.",
            "Oʻzbekiston Respublikasi Prezidenti. BMT Bosh Assambleyasining 75-sessiyasida ushbu konferensiyani "
            "oʻtkazish tashabbusini ilgari surgan.",
        ),
    },
    {
        "slug": "antonio-guterres",
        "honorific": Person.Honorific.HE,
        "name_native": "António Guterres",
        "name_latin": "António Guterres",
        "sort_name": "Guterres",
        "organisation": "un",
        "country": "",
        "protocol_rank": ProtocolRank.MINISTER,
        "position": t(
            "Secretary-General of the United Nations",
            "Генеральный секретарь Организации Объединённых Наций",
            "Birlashgan Millatlar Tashkiloti Bosh kotibi",
        ),
        "bio": t(
            "Secretary-General of the United Nations since 1 January 2017; previously Prime Minister of Portugal "
            "and United Nations High Commissioner for Refugees.",
            "Генеральный секретарь ООН с 1 января 2017 года; ранее — премьер-министр Португалии и Верховный "
            "комиссар ООН по делам беженцев.",
            "2017-yil 1-yanvardan BMT Bosh kotibi; avval Portugaliya Bosh vaziri va BMTning Qochqinlar ishlari "
            "boʻyicha Oliy komissari boʻlgan.",
        ),
    },
    {
        "slug": "helga-maria-schmid",
        "honorific": Person.Honorific.HE,
        "name_native": "Helga Maria Schmid",
        "name_latin": "Helga Maria Schmid",
        "sort_name": "Schmid",
        "organisation": "osce",
        "country": "",
        "protocol_rank": ProtocolRank.MINISTER,
        "position": t("Secretary General of the OSCE", "Генеральный секретарь ОБСЕ", "YXHT Bosh kotibi"),
        "bio": t(
            "Secretary General of the Organization for Security and Co-operation in Europe since December 2020; "
            "previously Secretary General of the European External Action Service.",
            "Генеральный секретарь Организации по безопасности и сотрудничеству в Европе с декабря 2020 года; "
            "ранее — генеральный секретарь Европейской службы внешних связей.",
            "2020-yil dekabridan Yevropada xavfsizlik va hamkorlik tashkiloti Bosh kotibi; avval Yevropa tashqi "
            "ishlar xizmatining Bosh kotibi boʻlgan.",
        ),
    },
    {
        "slug": "vladimir-voronkov",
        "honorific": Person.Honorific.MR,
        "name_native": "Владимир Воронков",
        "name_latin": "Vladimir Voronkov",
        "sort_name": "Voronkov",
        "organisation": "unoct",
        "country": "",
        "protocol_rank": ProtocolRank.UNDER_SECRETARY_GENERAL,
        "position": t(
            "Under-Secretary-General for Counter-Terrorism, United Nations",
            "Заместитель Генерального секретаря ООН по борьбе с терроризмом",
            "BMT Bosh kotibining terrorizmga qarshi kurash boʻyicha oʻrinbosari",
        ),
        "bio": t(
            "Under-Secretary-General and the first head of the United Nations Office of Counter-Terrorism, "
            "established in 2017; previously a diplomat of the Russian Federation.",
            "Заместитель Генерального секретаря ООН, первый руководитель Контртеррористического управления ООН, "
            "созданного в 2017 году; ранее — дипломат Российской Федерации.",
            "BMT Bosh kotibi oʻrinbosari, 2017-yilda tashkil etilgan BMT Terrorizmga qarshi kurash boshqarmasining "
            "birinchi rahbari; avval Rossiya Federatsiyasi diplomati boʻlgan.",
        ),
    },
    {
        "slug": "natalia-gherman",
        "honorific": Person.Honorific.MS,
        "name_native": "Natalia Gherman",
        "name_latin": "Natalia Gherman",
        "sort_name": "Gherman",
        "organisation": "unrcca",
        "country": "",
        # Assistant Secretary-General level: the rank list has no such step, "senior official" is the
        # nearest one below an Under-Secretary-General.
        "protocol_rank": ProtocolRank.SENIOR_OFFICIAL,
        "position": t(
            "Special Representative of the Secretary-General for Central Asia and Head of UNRCCA",
            "Специальный представитель Генерального секретаря ООН по Центральной Азии, глава РЦПДЦА",
            "BMT Bosh kotibining Markaziy Osiyo boʻyicha maxsus vakili, UNRCCA rahbari",
        ),
        "bio": t(
            "Special Representative of the Secretary-General for Central Asia and Head of the United Nations "
            "Regional Centre for Preventive Diplomacy for Central Asia; previously Minister of Foreign Affairs and "
            "European Integration of the Republic of Moldova.",
            "Специальный представитель Генерального секретаря ООН по Центральной Азии и глава Регионального "
            "центра ООН по превентивной дипломатии для Центральной Азии; ранее — министр иностранных дел и "
            "европейской интеграции Республики Молдова.",
            "BMT Bosh kotibining Markaziy Osiyo boʻyicha maxsus vakili va BMTning Markaziy Osiyo uchun Preventiv "
            "diplomatiya mintaqaviy markazi rahbari; avval Moldova Respublikasi tashqi ishlar va Yevropa "
            "integratsiyasi vaziri boʻlgan.",
        ),
    },
    {
        "slug": "zhang-ming",
        "honorific": Person.Honorific.HE,
        "name_native": "张明",
        "name_latin": "Zhang Ming",
        "sort_name": "Zhang",
        "organisation": "sco",
        "country": "",
        "protocol_rank": ProtocolRank.MINISTER,
        "position": t(
            "Secretary-General of the Shanghai Cooperation Organisation",
            "Генеральный секретарь Шанхайской организации сотрудничества",
            "Shanxay hamkorlik tashkiloti Bosh kotibi",
        ),
        "bio": t(
            "Secretary-General of the Shanghai Cooperation Organisation since 1 January 2022; previously a "
            "diplomat of the People's Republic of China, including Vice Minister of Foreign Affairs.",
            "Генеральный секретарь Шанхайской организации сотрудничества с 1 января 2022 года; ранее — дипломат "
            "Китайской Народной Республики, в том числе заместитель министра иностранных дел.",
            "2022-yil 1-yanvardan Shanxay hamkorlik tashkiloti Bosh kotibi; avval Xitoy Xalq Respublikasi "
            "diplomati, jumladan tashqi ishlar vazirining oʻrinbosari boʻlgan.",
        ),
    },
]

# The five Central Asian heads of delegation, in the press release's (and English alphabetical) order:
# (key, organisation, country, English name, Russian genitive, the state's full name en/ru(genitive)/uz).
DELEGATIONS = [
    (
        "kazakhstan",
        "mfa-kz",
        "KZ",
        "Kazakhstan",
        "Казахстана",
        t("the Republic of Kazakhstan", "Республики Казахстан", "Qozogʻiston Respublikasi"),
    ),
    (
        "kyrgyzstan",
        "mfa-kg",
        "KG",
        "Kyrgyzstan",
        "Кыргызстана",
        t("the Kyrgyz Republic", "Кыргызской Республики", "Qirgʻiziston Respublikasi"),
    ),
    (
        "tajikistan",
        "mfa-tj",
        "TJ",
        "Tajikistan",
        "Таджикистана",
        t("the Republic of Tajikistan", "Республики Таджикистан", "Tojikiston Respublikasi"),
    ),
    (
        "turkmenistan",
        "mfa-tm",
        "TM",
        "Turkmenistan",
        "Туркменистана",
        t("Turkmenistan", "Туркменистана", "Turkmaniston"),
    ),
    (
        "uzbekistan",
        "mfa-uz",
        "UZ",
        "Uzbekistan",
        "Узбекистана",
        t("the Republic of Uzbekistan", "Республики Узбекистан", "Oʻzbekiston Respublikasi"),
    ),
]


def _delegation_people() -> list[dict[str, Any]]:
    people = []
    for key, org, country, name_en, name_ru, state in DELEGATIONS:
        people.append(
            {
                "slug": f"head-of-delegation-{key}",
                "honorific": "",
                "name_native": f"Глава делегации {name_ru}",
                "name_latin": f"Head of Delegation of {name_en}",
                "sort_name": f"Head of Delegation of {name_en}",
                "organisation": org,
                "country": country,
                "protocol_rank": ProtocolRank.MINISTER,
                "position": t(
                    f"Head of the delegation of {state['en']}",
                    f"Глава делегации {state['ru']}",
                    f"{state['uz']} delegatsiyasi rahbari",
                ),
                "bio": t(
                    f"Leads the delegation of {state['en']} and speaks at the opening ceremony. The press "
                    "release of 21 February 2022 does not name the head of delegation.",
                    f"Возглавляет делегацию {state['ru']} и выступает на церемонии открытия. Пресс-релиз от "
                    "21 февраля 2022 года не называет имени главы делегации.",
                    f"{state['uz']} delegatsiyasiga rahbarlik qiladi va ochilish marosimida soʻzga chiqadi. "
                    "2022-yil 21-fevraldagi press-relizda delegatsiya rahbarining ismi keltirilmagan.",
                ),
            }
        )
    return people


# People described by function. (organisation key, English acronym, Russian acronym, Uzbek acronym)
ACRONYMS = {
    "isrs": t("ISRS", "ИСМИ", "SMTI"),
    "mfa-uz": t("MFA of Uzbekistan", "МИД Узбекистана", "Oʻzbekiston TIV"),
    "mfa-kz": t("MFA of Kazakhstan", "МИД Казахстана", "Qozogʻiston TIV"),
    "mfa-kg": t("MFA of Kyrgyzstan", "МИД Кыргызстана", "Qirgʻiziston TIV"),
    "mfa-tj": t("MFA of Tajikistan", "МИД Таджикистана", "Tojikiston TIV"),
    "mfa-tm": t("MFA of Turkmenistan", "МИД Туркменистана", "Turkmaniston TIV"),
    "unoct": t("UNOCT", "КТУ ООН", "UNOCT"),
    "unrcca": t("UNRCCA", "РЦПДЦА", "UNRCCA"),
    "osce": t("OSCE", "ОБСЕ", "YXHT"),
    "sco-rats": t("SCO RATS", "РАТС ШОС", "ShHT MATT"),
}
COUNTRY_OF = {"isrs": "UZ", "mfa-uz": "UZ", "mfa-kz": "KZ", "mfa-kg": "KG", "mfa-tj": "TJ", "mfa-tm": "TM"}
FUNCTIONS = {
    "representative": t("Representative", "Представитель", "Vakil"),
    "expert": t("Expert", "Эксперт", "Ekspert"),
    "press": t(
        "Public relations coordinator",
        "Координатор по связям с общественностью",
        "Jamoatchilik bilan aloqalar boʻyicha koordinator",
    ),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _function_person(slug: str, org: str, rank: int, function: str, name_en: str, name_ru: str) -> dict[str, Any]:
    country = COUNTRY_OF.get(org, "")
    return {
        "slug": slug,
        "honorific": "",
        # A Cyrillic "native" form for people of Central Asian institutions, English otherwise.
        "name_native": name_ru if country else name_en,
        "name_latin": name_en,
        "sort_name": name_en,
        "organisation": org,
        "country": country,
        "protocol_rank": rank,
        "position": FUNCTIONS[function],
        "bio": t("", "", ""),
    }


# The four breakout panels: (pillar number, lead organisation that chairs, panellists' organisations).
BREAKOUTS = [
    (1, "unrcca", ["mfa-kg", "isrs", "osce"]),
    (2, "mfa-uz", ["mfa-kz", "isrs", "sco-rats"]),
    (3, "unoct", ["mfa-tj", "isrs", "unrcca", "osce"]),
    (4, "osce", ["mfa-tm", "isrs", "unoct"]),
]
# The three side events of the press release, in its order: (number, organiser, speakers' organisations).
SIDE_EVENT_PEOPLE = [
    (1, "sco-rats", ["sco-rats", "mfa-uz", "unrcca"]),
    (2, "osce", ["osce", "unoct", "isrs"]),
    (3, "unoct", ["unoct", "osce", "mfa-uz"]),
]


def _panel_chair_slug(n: int) -> str:
    return f"chair-breakout-panel-{n}"


def _panellist_slug(n: int, org: str) -> str:
    return f"{org}-expert-breakout-panel-{n}"


def _rapporteur_slug(n: int) -> str:
    return f"rapporteur-breakout-panel-{n}"


def _side_moderator_slug(n: int) -> str:
    return f"moderator-side-event-{n}"


def _side_speaker_slug(n: int, org: str) -> str:
    return f"{org}-speaker-side-event-{n}"


PLENARY_CHAIR = "chair-plenary-sessions"
PRESS_MODERATOR = "isrs-press-coordinator"


def _function_people() -> list[dict[str, Any]]:
    people = []
    for n, lead, panellists in BREAKOUTS:
        roman = ROMAN[n]
        lead_names = ACRONYMS[lead]
        people.append(
            _function_person(
                _panel_chair_slug(n),
                lead,
                ProtocolRank.SENIOR_OFFICIAL,
                "representative",
                f"Chair of breakout panel {roman} ({lead_names['en']})",
                f"Председатель секции {roman} ({lead_names['ru']})",
            )
        )
        for org in panellists:
            names = ACRONYMS[org]
            people.append(
                _function_person(
                    _panellist_slug(n, org),
                    org,
                    ProtocolRank.EXPERT,
                    "expert",
                    f"{names['en']} expert, breakout panel {roman}",
                    f"Эксперт {names['ru']}, секция {roman}",
                )
            )
        people.append(
            _function_person(
                _rapporteur_slug(n),
                "isrs",
                ProtocolRank.EXPERT,
                "expert",
                f"Rapporteur of breakout panel {roman} (ISRS)",
                f"Докладчик секции {roman} (ИСМИ)",
            )
        )
    for n, organiser, speakers in SIDE_EVENT_PEOPLE:
        names = ACRONYMS[organiser]
        people.append(
            _function_person(
                _side_moderator_slug(n),
                organiser,
                ProtocolRank.SENIOR_OFFICIAL,
                "representative",
                f"Moderator of side event {n} ({names['en']})",
                f"Модератор параллельного мероприятия {n} ({names['ru']})",
            )
        )
        for org in speakers:
            org_names = ACRONYMS[org]
            people.append(
                _function_person(
                    _side_speaker_slug(n, org),
                    org,
                    ProtocolRank.EXPERT,
                    "expert",
                    f"{org_names['en']} speaker, side event {n}",
                    f"Спикер {org_names['ru']}, параллельное мероприятие {n}",
                )
            )
    people.append(
        _function_person(
            PLENARY_CHAIR,
            "mfa-uz",
            ProtocolRank.SENIOR_OFFICIAL,
            "representative",
            "Chair of the plenary sessions (MFA of Uzbekistan)",
            "Председатель пленарных заседаний (МИД Узбекистана)",
        )
    )
    people.append(
        _function_person(
            PRESS_MODERATOR,
            "isrs",
            ProtocolRank.OFFICIAL,
            "press",
            "ISRS public relations coordinator",
            "Координатор ИСМИ по связям с общественностью",
        )
    )
    return people


def all_people() -> list[dict[str, Any]]:
    return NAMED_PEOPLE + _delegation_people() + _function_people()


# --- sessions ---------------------------------------------------------------------------------------
# Rooms by their English name in the event demo's venue.
PLENARY_HALL = "Plenary hall"
BREAKOUT_ROOMS = {1: "Breakout room 1", 2: "Breakout room 2", 3: "Breakout room 3", 4: "Breakout room 4"}
SIDE_ROOM_A = "Side-event room A"
SIDE_ROOM_B = "Side-event room B"
PRESS_ROOM = "Press room"
ROOM_NAMES = [PLENARY_HALL, *BREAKOUT_ROOMS.values(), SIDE_ROOM_A, SIDE_ROOM_B, PRESS_ROOM]

ALL_LANGUAGES = ["en", "ru", "uz"]
WORKING_LANGUAGES = ["en", "ru"]

# As it follows "on behalf of" in each language (Russian genitive after «от имени»).
ON_BEHALF_OF_PRESIDENT = t(
    "the President of the Republic of Uzbekistan, Shavkat Mirziyoyev",
    "Президента Республики Узбекистан Шавката Мирзиёева",
    "Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev",
)

BREAKOUT_TITLES = {
    1: t(
        "Breakout panel I: addressing the conditions conducive to the spread of terrorism",
        "Секция I: устранение условий, способствующих распространению терроризма",
        "I seksiya: terrorizmning tarqalishiga olib keluvchi sharoitlarni bartaraf etish",
    ),
    2: t(
        "Breakout panel II: preventing and countering terrorism",
        "Секция II: предупреждение терроризма и борьба с ним",
        "II seksiya: terrorizmning oldini olish va unga qarshi kurashish",
    ),
    3: t(
        "Breakout panel III: building States' capacity to prevent and combat terrorism and strengthening the "
        "role of the United Nations system in that regard",
        "Секция III: наращивание потенциала государств по предупреждению терроризма и борьбе с ним и "
        "укрепление роли системы ООН в этой связи",
        "III seksiya: davlatlarning terrorizmning oldini olish va unga qarshi kurashish salohiyatini oshirish "
        "hamda bu borada BMT tizimining rolini kuchaytirish",
    ),
    4: t(
        "Breakout panel IV: ensuring respect for human rights for all and the rule of law as the fundamental "
        "basis of the fight against terrorism",
        "Секция IV: обеспечение всеобщего уважения прав человека и верховенства права как фундаментальной "
        "основы борьбы с терроризмом",
        "IV seksiya: terrorizmga qarshi kurashning asosiy negizi sifatida barcha uchun inson huquqlari va qonun "
        "ustuvorligiga rioya etilishini taʼminlash",
    ),
}
BREAKOUT_ABSTRACT = t(
    "Panel discussion on pillar {roman} of the UN Global Counter-Terrorism Strategy, ten years after the adoption "
    "of the Joint Plan of Action for Central Asia: the experience of the countries of the region and the tasks "
    "ahead. One of four parallel breakout panels; the rapporteur reports its conclusions to the closing session "
    "on 4 March.",
    "Панельная дискуссия по направлению {roman} Глобальной контртеррористической стратегии ООН через десять лет "
    "после принятия Совместного плана действий для Центральной Азии: опыт стран региона и задачи на будущее. "
    "Одно из четырёх параллельных секционных заседаний; докладчик представит его выводы на заключительном "
    "заседании 4 марта.",
    "Markaziy Osiyo uchun Qoʻshma harakatlar rejasi qabul qilinganidan oʻn yil oʻtib, BMTning Terrorizmga "
    "qarshi kurash global strategiyasining {roman} yoʻnalishi boʻyicha panel muhokamasi: mintaqa mamlakatlari "
    "tajribasi va oldindagi vazifalar. Toʻrtta parallel seksiya yigʻilishidan biri; maʼruzachi uning xulosalarini "
    "4-martdagi yopilish majlisida taqdim etadi.",
)

SIDE_EVENTS: dict[int, dict[str, Any]] = {
    1: {
        "slug": "side-event-sco-rats",
        "title": t(
            "Side event 1: the role of the SCO Regional Anti-Terrorist Structure (RATS) in strengthening "
            "cooperation between the states of Central Asia within the framework of the JPoA",
            "Параллельное мероприятие 1: роль Региональной антитеррористической структуры (РАТС) ШОС в "
            "укреплении сотрудничества государств Центральной Азии в рамках СПД",
            "1-parallel tadbir: Markaziy Osiyo davlatlarining QHR doirasidagi hamkorligini mustahkamlashda ShHT "
            "Mintaqaviy aksilterror tuzilmasining (MATT) roli",
        ),
        "abstract": t(
            "Organised by the Regional Anti-Terrorist Structure of the Shanghai Cooperation Organisation and its "
            "partners on the margins of the conference.",
            "Организует Региональная антитеррористическая структура Шанхайской организации сотрудничества "
            "совместно с партнёрами на полях конференции.",
            "Konferensiya doirasida Shanxay hamkorlik tashkilotining Mintaqaviy aksilterror tuzilmasi "
            "hamkorlari bilan birgalikda tashkil etadi.",
        ),
    },
    2: {
        "slug": "side-event-gender",
        "title": t(
            "Side event 2: implementing the UN Global Counter-Terrorism Strategy — gender aspects in the work with "
            "women and children returning from war zones",
            "Параллельное мероприятие 2: реализация Глобальной контртеррористической стратегии ООН — гендерные "
            "аспекты работы с женщинами и детьми, возвращающимися из зон военных действий",
            "2-parallel tadbir: BMTning Terrorizmga qarshi kurash global strategiyasini amalga oshirish — urush "
            "hududlaridan qaytayotgan ayollar va bolalar bilan ishlashning gender jihatlari",
        ),
        "abstract": t(
            "Organised by the Organization for Security and Co-operation in Europe and its partners on the "
            "margins of the conference.",
            "Организует Организация по безопасности и сотрудничеству в Европе совместно с партнёрами на полях "
            "конференции.",
            "Konferensiya doirasida Yevropada xavfsizlik va hamkorlik tashkiloti hamkorlari bilan birgalikda "
            "tashkil etadi.",
        ),
    },
    3: {
        "slug": "side-event-financing",
        "title": t(
            "Side event 3: financial support for programmes to counter terrorism",
            "Параллельное мероприятие 3: финансовая поддержка программ по противодействию терроризму",
            "3-parallel tadbir: terrorizmga qarshi kurash dasturlarini moliyaviy qoʻllab-quvvatlash",
        ),
        "abstract": t(
            "Organised by the United Nations Office of Counter-Terrorism and its partners on the margins of the "
            "conference. Donor states of counter-terrorism activities are among the invitees.",
            "Организует Контртеррористическое управление ООН совместно с партнёрами на полях конференции. Среди "
            "приглашённых — государства-доноры контртеррористической деятельности.",
            "Konferensiya doirasida BMTning Terrorizmga qarshi kurash boshqarmasi hamkorlari bilan birgalikda "
            "tashkil etadi. Taklif etilganlar orasida terrorizmga qarshi kurash faoliyatining donor davlatlari "
            "bor.",
        ),
    },
}


@dataclass
class SpeakerSpec:
    person: str
    role: str = SessionSpeaker.Role.SPEAKER
    delivery: str = SessionSpeaker.Delivery.IN_PERSON
    on_behalf_of: Texts | None = None
    manual_position: int | None = None
    override_reason: str = ""


@dataclass
class SessionSpec:
    slug: str
    kind: str
    day: int  # 0 or 1
    start: tuple[int, int]
    end: tuple[int, int]
    title: Texts
    abstract: Texts
    room: str | None = None
    track: int | None = None
    organisers: list[str] = field(default_factory=list)
    speakers: list[SpeakerSpec] = field(default_factory=list)
    floor_languages: list[str] = field(default_factory=list)
    interpretation: list[str] = field(default_factory=list)
    access: str = Session.Access.OPEN
    restricted_to: list[str] = field(default_factory=list)
    stream: bool = False


SG_VIDEO_REASON = (
    "The press release of 21 February 2022 announces the Secretary-General's video message right after the "
    "address on behalf of the President of the Republic of Uzbekistan."
)


def _opening_speakers() -> list[SpeakerSpec]:
    """Listed in the press release's order; requested_at follows this order to break ties."""
    speakers = [
        SpeakerSpec(
            "shavkat-mirziyoyev", delivery=SessionSpeaker.Delivery.ON_BEHALF, on_behalf_of=ON_BEHALF_OF_PRESIDENT
        ),
        # Protocol alone would place the heads of delegation (states) before the UN Secretary-General
        # (an organisation at the same rank): the organisers moved the video message up, with a reason.
        SpeakerSpec(
            "antonio-guterres",
            delivery=SessionSpeaker.Delivery.VIDEO,
            manual_position=2,
            override_reason=SG_VIDEO_REASON,
        ),
        SpeakerSpec("helga-maria-schmid"),
        SpeakerSpec("vladimir-voronkov"),
        SpeakerSpec("natalia-gherman"),
        SpeakerSpec("zhang-ming"),
    ]
    speakers += [SpeakerSpec(f"head-of-delegation-{key}") for key, *_rest in DELEGATIONS]
    return speakers


def _breakout_speakers(n: int, panellists: list[str]) -> list[SpeakerSpec]:
    return [
        SpeakerSpec(_panel_chair_slug(n), role=SessionSpeaker.Role.CHAIR),
        *(SpeakerSpec(_panellist_slug(n, org)) for org in panellists),
        SpeakerSpec(_rapporteur_slug(n), role=SessionSpeaker.Role.RAPPORTEUR),
    ]


def session_specs() -> list[SessionSpec]:
    specs = [
        SessionSpec(
            "registration",
            SessionKind.BREAK,
            0,
            (8, 0),
            (9, 30),
            t("Registration and welcome coffee", "Регистрация и приветственный кофе", "Roʻyxatdan oʻtish va qahva"),
            t(
                "Badge collection and security screening at the venue; bring the identity document you registered "
                "with. Online participants join through the video-conference links sent by e-mail.",
                "Получение бейджей и досмотр на площадке; возьмите документ, указанный при регистрации. "
                "Онлайн-участники подключаются по ссылкам на видеоконференцию, направленным по электронной почте.",
                "Beyjlarni olish va tadbir joyida xavfsizlik tekshiruvi; roʻyxatdan oʻtishda koʻrsatilgan hujjatni "
                "olib keling. Onlayn ishtirokchilar elektron pochta orqali yuborilgan videokonferensiya havolalari "
                "orqali ulanadi.",
            ),
        ),
        SessionSpec(
            "opening-ceremony",
            SessionKind.OPENING,
            0,
            (9, 30),
            (11, 30),
            t("Opening ceremony", "Церемония открытия", "Ochilish marosimi"),
            t(
                "The conference puts into practice the initiative of the President of the Republic of Uzbekistan, "
                "Shavkat Mirziyoyev, put forward at the 75th session of the UN General Assembly. His address is "
                "delivered on his behalf, followed by a video message from the Secretary-General of the United "
                "Nations, António Guterres, and statements by the heads of delegation of Kazakhstan, Kyrgyzstan, "
                "Tajikistan, Turkmenistan and Uzbekistan, the Secretary General of the OSCE, the Secretary-General "
                "of the SCO, the UN Under-Secretary-General for Counter-Terrorism and the Head of UNRCCA.",
                "Конференция — практическая реализация инициативы Президента Республики Узбекистан Шавката "
                "Мирзиёева, выдвинутой на 75-й сессии Генеральной Ассамблеи ООН. Его обращение оглашается от его "
                "имени; затем — видеообращение Генерального секретаря ООН Антониу Гутерриша и выступления глав "
                "делегаций Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана, Генерального "
                "секретаря ОБСЕ, Генерального секретаря ШОС, заместителя Генерального секретаря ООН по борьбе с "
                "терроризмом и главы РЦПДЦА.",
                "Konferensiya Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyevning BMT Bosh Assambleyasining "
                "75-sessiyasida ilgari surgan tashabbusini amalda roʻyobga chiqaradi. Uning murojaati uning nomidan "
                "oʻqib eshittiriladi; soʻngra BMT Bosh kotibi António Guterresning videomurojaati hamda Qozogʻiston, "
                "Qirgʻiziston, Tojikiston, Turkmaniston va Oʻzbekiston delegatsiyalari rahbarlari, YXHT Bosh "
                "kotibi, ShHT Bosh kotibi, BMT Bosh kotibining terrorizmga qarshi kurash boʻyicha oʻrinbosari va "
                "UNRCCA rahbarining nutqlari.",
            ),
            room=PLENARY_HALL,
            organisers=["isrs", "mfa-uz", "unoct", "unrcca", "osce"],
            speakers=_opening_speakers(),
            stream=True,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
        SessionSpec(
            "coffee-break-day-1",
            SessionKind.BREAK,
            0,
            (11, 30),
            (12, 0),
            t("Coffee break", "Кофе-брейк", "Qahva tanaffusi"),
            t("", "", ""),
        ),
    ]
    for n, lead, panellists in BREAKOUTS:
        roman = ROMAN[n]
        specs.append(
            SessionSpec(
                f"breakout-pillar-{n}",
                SessionKind.BREAKOUT,
                0,
                (12, 0),
                (13, 30),
                BREAKOUT_TITLES[n],
                {code: text.format(roman=roman) for code, text in BREAKOUT_ABSTRACT.items()},
                room=BREAKOUT_ROOMS[n],
                track=n,
                organisers=[lead],
                speakers=_breakout_speakers(n, panellists),
                floor_languages=WORKING_LANGUAGES,
                interpretation=ALL_LANGUAGES,
            )
        )
    specs += [
        SessionSpec(
            "lunch-day-1",
            SessionKind.BREAK,
            0,
            (13, 30),
            (14, 30),
            t("Lunch", "Обед", "Tushlik"),
            t("", "", ""),
        ),
        SessionSpec(
            "adoption-of-outcome-documents",
            SessionKind.CLOSING,
            0,
            (14, 30),
            (15, 45),
            t(
                "Closing of the high-level segment: adoption of the Tashkent Declaration and the updated Joint Plan "
                "of Action",
                "Закрытие сегмента высокого уровня: принятие Ташкентской декларации и обновлённого Совместного "
                "плана действий",
                "Yuqori darajadagi qismning yopilishi: Toshkent deklaratsiyasi va yangilangan Qoʻshma harakatlar "
                "rejasining qabul qilinishi",
            ),
            t(
                "Adoption of the Tashkent Declaration, in which the countries of Central Asia reaffirm their "
                "commitment to the joint fight against terrorism and define specific tasks for the near future, "
                "and of the updated Joint Plan of Action for Central Asia, prepared on the basis of a ten-year "
                "review, multi-stakeholder consultations and consensus.",
                "Принятие Ташкентской декларации, в которой страны Центральной Азии подтверждают приверженность "
                "совместной борьбе с терроризмом и определяют конкретные задачи на ближайшую перспективу, и "
                "обновлённого Совместного плана действий для Центральной Азии, подготовленного на основе "
                "десятилетнего обзора, многосторонних консультаций и консенсуса.",
                "Markaziy Osiyo mamlakatlari terrorizmga qarshi birgalikda kurashishga sodiqligini tasdiqlaydigan "
                "va yaqin istiqboldagi aniq vazifalarni belgilaydigan Toshkent deklaratsiyasi hamda oʻn yillik "
                "sharh, koʻp tomonlama maslahatlashuvlar va konsensus asosida tayyorlangan Markaziy Osiyo uchun "
                "yangilangan Qoʻshma harakatlar rejasining qabul qilinishi.",
            ),
            room=PLENARY_HALL,
            organisers=["isrs", "mfa-uz", "unoct", "unrcca", "osce"],
            speakers=[SpeakerSpec(PLENARY_CHAIR, role=SessionSpeaker.Role.CHAIR)],
            stream=True,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
        SessionSpec(
            "press-conference",
            SessionKind.PRESS_CONFERENCE,
            0,
            (16, 0),
            (16, 45),
            t("Press conference", "Пресс-конференция", "Matbuot anjumani"),
            t(
                "Representatives of the co-organisers brief the media on the outcome of the conference. For "
                "accredited media.",
                "Представители соорганизаторов рассказывают журналистам об итогах конференции. Для "
                "аккредитованных СМИ.",
                "Hamkor tashkilotchilar vakillari jurnalistlarga konferensiya natijalari haqida maʼlumot beradi. "
                "Akkreditatsiyadan oʻtgan OAV vakillari uchun.",
            ),
            room=PRESS_ROOM,
            organisers=["isrs"],
            speakers=[SpeakerSpec(PRESS_MODERATOR, role=SessionSpeaker.Role.MODERATOR)],
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
            access=Session.Access.RESTRICTED,
            restricted_to=["media"],
        ),
    ]
    side_rooms = {1: SIDE_ROOM_A, 2: SIDE_ROOM_B, 3: SIDE_ROOM_A}
    side_times = {1: ((9, 30), (11, 0)), 2: ((9, 30), (11, 0)), 3: ((11, 30), (13, 0))}
    for n, organiser, speakers in SIDE_EVENT_PEOPLE:
        data = SIDE_EVENTS[n]
        start, end = side_times[n]
        specs.append(
            SessionSpec(
                data["slug"],
                SessionKind.SIDE_EVENT,
                1,
                start,
                end,
                data["title"],
                data["abstract"],
                room=side_rooms[n],
                organisers=[organiser],
                speakers=[
                    SpeakerSpec(_side_moderator_slug(n), role=SessionSpeaker.Role.MODERATOR),
                    *(SpeakerSpec(_side_speaker_slug(n, org)) for org in speakers),
                ],
                floor_languages=WORKING_LANGUAGES,
                interpretation=WORKING_LANGUAGES,
            )
        )
        if n == 2:
            specs.append(
                SessionSpec(
                    "coffee-break-day-2",
                    SessionKind.BREAK,
                    1,
                    (11, 0),
                    (11, 30),
                    t("Coffee break", "Кофе-брейк", "Qahva tanaffusi"),
                    t("", "", ""),
                )
            )
    specs += [
        SessionSpec(
            "lunch-day-2",
            SessionKind.BREAK,
            1,
            (13, 0),
            (14, 0),
            t("Lunch", "Обед", "Tushlik"),
            t("", "", ""),
        ),
        SessionSpec(
            "closing-session",
            SessionKind.PLENARY,
            1,
            (14, 0),
            (15, 30),
            t(
                "Closing session: reports of the breakout panels and side events",
                "Заключительное заседание: доклады секционных заседаний и параллельных мероприятий",
                "Yopilish majlisi: seksiya yigʻilishlari va parallel tadbirlar hisobotlari",
            ),
            t(
                "The rapporteurs of the four breakout panels and the moderators of the three side events report "
                "their conclusions; closing remarks.",
                "Докладчики четырёх секционных заседаний и модераторы трёх параллельных мероприятий представляют "
                "выводы; заключительные выступления.",
                "Toʻrtta seksiya yigʻilishining maʼruzachilari va uchta parallel tadbir moderatorlari xulosalarni "
                "taqdim etadi; yakuniy nutqlar.",
            ),
            room=PLENARY_HALL,
            organisers=["isrs", "mfa-uz", "unoct", "unrcca", "osce"],
            speakers=[
                SpeakerSpec(PLENARY_CHAIR, role=SessionSpeaker.Role.CHAIR),
                *(SpeakerSpec(_rapporteur_slug(n), role=SessionSpeaker.Role.RAPPORTEUR) for n in ROMAN),
                *(SpeakerSpec(_side_moderator_slug(n), role=SessionSpeaker.Role.RAPPORTEUR) for n in (1, 2, 3)),
            ],
            stream=True,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
    ]
    return specs


# --- loading ----------------------------------------------------------------------------------------


class DemoProgrammeError(RuntimeError):
    """The event demo has not created what the programme needs (rooms, pillars, organisations)."""


@dataclass
class _Changes:
    count: int = 0

    def __bool__(self) -> bool:
        return self.count > 0


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _upsert(changes: _Changes, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Find by ``lookup``; create, or save only the fields of ``values`` that differ (validated first)."""
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        changes.count += 1
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        changes.count += 1
    return obj


def _organisations(changes: _Changes) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    missing = []
    for key, name in REQUIRED_ORGANISATIONS.items():
        org = Organisation.objects.filter(name_en=name).order_by("pk").first()
        if org is None:
            missing.append(name)
        else:
            found[key] = org
    if missing:
        raise DemoProgrammeError("Load the event demo first; missing organisations: " + "; ".join(missing))
    for key, data in GOVERNMENT_ORGANISATIONS.items():
        org = Organisation.objects.filter(name_en=data["name"]["en"]).order_by("pk").first()
        if org is None:  # the event demo may already have created it: never overwrite its version
            org = _upsert(
                changes,
                Organisation,
                {"name_en": data["name"]["en"]},
                {
                    "name_ru": data["name"]["ru"],
                    "name_uz": data["name"]["uz"],
                    **tr("acronym", data["acronym"]),
                    "kind": Organisation.Kind.GOVERNMENT,
                    "country": data["country"],
                },
            )
        found[key] = org
    return found


def _rooms(event: Event) -> dict[str, Room]:
    if event.venue_id is None:
        raise DemoProgrammeError(f"The event {event.slug} has no venue: load the event demo first.")
    rooms: dict[str, Room] = {}
    for room in Room.objects.filter(venue_id=event.venue_id, name_en__in=ROOM_NAMES).order_by("position", "pk"):
        rooms.setdefault(getattr(room, "name_en"), room)  # noqa: B009 - a modeltranslation field
    missing = [name for name in ROOM_NAMES if name not in rooms]
    if missing:
        raise DemoProgrammeError("Load the event demo first; missing rooms: " + ", ".join(missing))
    return rooms


def _tracks(changes: _Changes, event: Event) -> dict[int, Track]:
    pillars = {pillar.number: pillar for pillar in Pillar.objects.filter(event=event)}
    missing = [str(spec["number"]) for spec in TRACKS if spec["number"] not in pillars]
    if missing:
        raise DemoProgrammeError("Load the event demo first; missing pillars: " + ", ".join(missing))
    tracks = {}
    for spec in TRACKS:
        number = spec["number"]
        pillar = pillars[number]
        # The pillar's own wording when the event has it, so that both always read the same.
        name = {code: getattr(pillar, f"title_{code}", "") or spec["name"][code] for code in LANGUAGES}
        tracks[number] = _upsert(
            changes,
            Track,
            {"event": event, "slug": f"pillar-{number}"},
            {"pillar": pillar, **tr("name", name), "colour": spec["colour"], "position": number},
        )
    return tracks


def _people(changes: _Changes, organisations: dict[str, Organisation]) -> dict[str, Person]:
    people = {}
    for spec in all_people():
        values = {
            "honorific": spec["honorific"],
            "name_native": spec["name_native"],
            "name_latin": spec["name_latin"],
            "sort_name": spec["sort_name"],
            **tr("position", spec["position"]),
            "organisation": organisations[spec["organisation"]] if spec["organisation"] else None,
            "country": spec["country"],
            "protocol_rank": int(spec["protocol_rank"]),
            **tr("bio", spec["bio"]),
        }
        people[spec["slug"]] = _upsert(changes, Person, {"slug": spec["slug"]}, values)
    return people


def _at(event: Event, day: int, hour_minute: tuple[int, int]) -> datetime:
    return datetime.combine(event.start_date + timedelta(days=day), time(*hour_minute), tzinfo=event.tz)


def _sessions(
    changes: _Changes,
    event: Event,
    rooms: dict[str, Room],
    tracks: dict[int, Track],
    organisations: dict[str, Organisation],
    people: dict[str, Person],
) -> list[Session]:
    sessions = []
    for spec in session_specs():
        starts_at = _at(event, spec.day, spec.start)
        session = _upsert(
            changes,
            Session,
            {"event": event, "slug": spec.slug},
            {
                "kind": spec.kind,
                **tr("title", spec.title),
                **tr("abstract", spec.abstract),
                "starts_at": starts_at,
                "ends_at": _at(event, spec.day, spec.end),
                "room": rooms[spec.room] if spec.room else None,
                "track": tracks[spec.track] if spec.track else None,
                "capacity": None,
                "access": spec.access,
                "restricted_to": list(spec.restricted_to),
                "floor_languages": list(spec.floor_languages),
                "interpretation": list(spec.interpretation),
                "stream_url": f"{STREAM_BASE}{spec.slug}" if spec.stream else "",
                "is_cancelled": False,
            },
        )
        wanted_organisers = {organisations[key].pk for key in spec.organisers}
        if set(session.organisers.values_list("pk", flat=True)) != wanted_organisers:
            session.organisers.set(wanted_organisers)
            changes.count += 1
        _speakers(changes, session, spec, people, starts_at)
        sessions.append(session)
    return sessions


def _speakers(
    changes: _Changes, session: Session, spec: SessionSpec, people: dict[str, Person], starts_at: datetime
) -> None:
    # Requests to speak registered two weeks before, one minute apart in the listed order.
    requested_base = starts_at - timedelta(days=14)
    for index, speaker in enumerate(spec.speakers):
        values: dict[str, Any] = {
            "delivery": speaker.delivery,
            **tr("on_behalf_of", speaker.on_behalf_of or t("", "", "")),
            "requested_at": requested_base + timedelta(minutes=index),
            "manual_position": speaker.manual_position,
            "override_reason": speaker.override_reason,
            # A fixed time keeps the loader idempotent; no user made the demo's override.
            "override_at": requested_base if speaker.manual_position is not None else None,
            "override_by": None,
        }
        _upsert(
            changes,
            SessionSpeaker,
            {"session": session, "person": people[speaker.person], "role": speaker.role},
            values,
        )


def load_demo_programme(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Create or refresh the demo programme of ``event``; publish it if anything changed.

    Returns whether anything changed (rows written or a version published).
    """
    changes = _Changes()
    with translation.override("en"), transaction.atomic():
        organisations = _organisations(changes)
        rooms = _rooms(event)
        tracks = _tracks(changes, event)
        people = _people(changes, organisations)
        sessions = _sessions(changes, event, rooms, tracks, organisations, people)
        has_version = ProgrammeVersion.objects.filter(event=event).exists()
        version = None
        if changes or not has_version:
            version = publish_programme(event, actor=None, note=PUBLISH_NOTE)
    if stdout is not None:
        if version is not None:
            stdout.write(
                f"Demo programme of {event.slug}: {len(sessions)} sessions, {len(people)} people; "
                f"published version {version.number}.\n"
            )
        else:
            stdout.write(f"Demo programme of {event.slug} is already up to date: nothing changed.\n")
    return bool(changes) or version is not None
