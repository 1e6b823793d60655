"""Trilingual texts of the demo conference (Tashkent, 3–4 March 2022).

Every fact comes from the press release of 21 February 2022 (``shared/seed``) or from the domain
notes (``shared/DOMAIN.md``). The press release misspells two names: the correct forms are Natalia
Gherman and Zhang Ming. Uzbek is written in Latin script with U+02BB (ʻ) in oʻ/gʻ and U+02BC (ʼ)
for the tutuq belgisi.
"""

from __future__ import annotations

from datetime import date
from typing import Any

LANGUAGES = ("en", "ru", "uz")

EVENT_SLUG = "tashkent-2022"
SERIES_SLUG = "jpoa-central-asia"
WEBSITE = "https://gcts-ca.uz/en"

SERIES: dict[str, Any] = {
    "slug": SERIES_SLUG,
    "name": {
        "en": "Regional conferences on the Joint Plan of Action for Central Asia",
        "ru": "Региональные конференции по Совместному плану действий для Центральной Азии",
        "uz": "Markaziy Osiyo uchun Qoʻshma harakatlar rejasi boʻyicha mintaqaviy konferensiyalar",
    },
    "description": {
        "en": (
            "In 2011 the countries of Central Asia adopted in Ashgabat the Joint Plan of Action (JPoA) for the "
            "implementation of the UN Global Counter-Terrorism Strategy in Central Asia. Regional conferences "
            "and declarations have built on it since: Ashgabat 2017, Samarkand 2018, Dushanbe 2019 and "
            "Tashkent 2022, where an updated JPoA was adopted."
        ),
        "ru": (
            "В 2011 году в Ашхабаде страны Центральной Азии приняли Совместный план действий (СПД) по реализации "
            "Глобальной контртеррористической стратегии ООН в Центральной Азии. С тех пор его развивают "
            "региональные конференции и декларации: Ашхабад 2017, Самарканд 2018, Душанбе 2019 и Ташкент 2022, "
            "где был принят обновлённый СПД."
        ),
        "uz": (
            "2011-yilda Ashxobodda Markaziy Osiyo mamlakatlari BMTning Terrorizmga qarshi kurash global "
            "strategiyasini Markaziy Osiyoda amalga oshirish boʻyicha Qoʻshma harakatlar rejasini (QHR) qabul "
            "qilgan. Shundan beri mintaqaviy konferensiyalar va deklaratsiyalar uni rivojlantirib kelmoqda: "
            "Ashxobod 2017, Samarqand 2018, Dushanbe 2019 va yangilangan QHR qabul qilingan Toshkent 2022."
        ),
    },
}

MILESTONES: list[dict[str, Any]] = [
    {
        "date": date(2011, 11, 30),
        "date_end": None,
        "date_precision": "day",
        "city": {"en": "Ashgabat", "ru": "Ашхабад", "uz": "Ashxobod"},
        "title": {
            "en": "Joint Plan of Action for the implementation of the UN Global Counter-Terrorism Strategy in "
            "Central Asia and the Ashgabat Declaration",
            "ru": "Совместный план действий по реализации Глобальной контртеррористической стратегии ООН в "
            "Центральной Азии и Ашхабадская декларация",
            "uz": "BMTning Terrorizmga qarshi kurash global strategiyasini Markaziy Osiyoda amalga oshirish "
            "boʻyicha Qoʻshma harakatlar rejasi va Ashxobod deklaratsiyasi",
        },
        "description": {
            "en": "Prepared in 2010–2011 through expert meetings in Bratislava (pillars I and IV), Dushanbe "
            "(pillar II) and Almaty (pillar III). Uzbekistan took part as an observer.",
            "ru": "Подготовлен в 2010–2011 годах на экспертных встречах в Братиславе (направления I и IV), "
            "Душанбе (направление II) и Алматы (направление III). Узбекистан участвовал в качестве наблюдателя.",
            "uz": "2010–2011-yillarda Bratislava (I va IV yoʻnalishlar), Dushanbe (II yoʻnalish) va Almati "
            "(III yoʻnalish) shaharlaridagi ekspertlar uchrashuvlarida tayyorlangan. Oʻzbekiston kuzatuvchi "
            "sifatida qatnashgan.",
        },
    },
    {
        "date": date(2017, 6, 13),
        "date_end": None,
        "date_precision": "day",
        "city": {"en": "Ashgabat", "ru": "Ашхабад", "uz": "Ashxobod"},
        "title": {
            "en": "Ashgabat Declaration on Countering Terrorism",
            "ru": "Ашхабадская декларация по противодействию терроризму",
            "uz": "Terrorizmga qarshi kurash boʻyicha Ashxobod deklaratsiyasi",
        },
        "description": {
            "en": "Adopted at a high-level dialogue in Ashgabat.",
            "ru": "Принята на диалоге высокого уровня в Ашхабаде.",
            "uz": "Ashxobodda yuqori darajadagi muloqotda qabul qilingan.",
        },
    },
    {
        "date": date(2018, 1, 1),
        "date_end": None,
        "date_precision": "year",
        "city": {"en": "Samarkand", "ru": "Самарканд", "uz": "Samarqand"},
        "title": {
            "en": "Samarkand Declaration on Increasing the Role of Youth in Countering Violent Extremism and "
            "Radicalization Leading to Terrorism",
            "ru": "Самаркандская декларация о повышении роли молодёжи в противодействии насильственному "
            "экстремизму и радикализации, ведущей к терроризму",
            "uz": "Zoʻravon ekstremizm va terrorizmga olib keluvchi radikallashuvga qarshi kurashda yoshlar "
            "rolini oshirish toʻgʻrisidagi Samarqand deklaratsiyasi",
        },
        "description": {
            "en": "Named as in the press release of 21 February 2022; only the year is given here.",
            "ru": "Название приведено по пресс-релизу от 21 февраля 2022 года; указан только год.",
            "uz": "Nomi 2022-yil 21-fevraldagi press-relizdan olingan; faqat yili koʻrsatilgan.",
        },
    },
    {
        "date": date(2019, 5, 16),
        "date_end": date(2019, 5, 17),
        "date_precision": "day",
        "city": {"en": "Dushanbe", "ru": "Душанбе", "uz": "Dushanbe"},
        "title": {
            "en": "Dushanbe Declaration",
            "ru": "Душанбинская декларация",
            "uz": "Dushanbe deklaratsiyasi",
        },
        "description": {
            "en": "Adopted by consensus at the high-level conference “International and regional cooperation "
            "against terrorism and its sources of financing, including drug trafficking and organized crime”.",
            "ru": "Принята консенсусом на конференции высокого уровня «Международное и региональное "
            "сотрудничество по противодействию терроризму и его источникам финансирования, включая "
            "незаконный оборот наркотиков и организованную преступность».",
            "uz": "“Terrorizm va uni moliyalashtirish manbalariga, jumladan, giyohvand moddalar savdosi va "
            "uyushgan jinoyatchilikka qarshi kurashda xalqaro va mintaqaviy hamkorlik” mavzusidagi yuqori "
            "darajadagi konferensiyada konsensus asosida qabul qilingan.",
        },
    },
    {
        "date": date(2022, 3, 3),
        "date_end": None,
        "date_precision": "day",
        "city": {"en": "Tashkent", "ru": "Ташкент", "uz": "Toshkent"},
        "title": {
            "en": "Tashkent Declaration and updated Joint Plan of Action for Central Asia",
            "ru": "Ташкентская декларация и обновлённый Совместный план действий для Центральной Азии",
            "uz": "Toshkent deklaratsiyasi va Markaziy Osiyo uchun yangilangan Qoʻshma harakatlar rejasi",
        },
        "description": {
            "en": "Adopted at the Tashkent conference of 3–4 March 2022. The Declaration was circulated as UN "
            "General Assembly document A/76/751.",
            "ru": "Приняты на Ташкентской конференции 3–4 марта 2022 года. Декларация распространена как "
            "документ Генеральной Ассамблеи ООН A/76/751.",
            "uz": "2022-yil 3–4-martdagi Toshkent konferensiyasida qabul qilingan. Deklaratsiya BMT Bosh "
            "Assambleyasining A/76/751 hujjati sifatida tarqatilgan.",
        },
        "link_event": True,
    },
]

EVENT: dict[str, Any] = {
    "slug": EVENT_SLUG,
    "title": {
        "en": "Regional cooperation of Central Asian countries within the framework of the Joint Action Plan "
        "for the Implementation of the UN Global Counter-Terrorism Strategy",
        "ru": "Региональное сотрудничество стран Центральной Азии в рамках Совместного плана действий по "
        "реализации Глобальной контртеррористической стратегии ООН",
        "uz": "Markaziy Osiyo mamlakatlarining BMT Terrorizmga qarshi kurash global strategiyasini amalga "
        "oshirish boʻyicha Qoʻshma harakatlar rejasi doirasidagi mintaqaviy hamkorligi",
    },
    "short_title": {
        "en": "Tashkent Conference 2022",
        "ru": "Ташкентская конференция 2022",
        "uz": "Toshkent konferensiyasi 2022",
    },
    "summary": {
        "en": (
            "A high-level international conference in Tashkent on 3–4 March 2022, held in a hybrid format with "
            "more than 600 senior officials and experts expected. Ten years after the adoption of the Joint Plan "
            "of Action for Central Asia, four breakout panels cover the four pillars of the UN Global "
            "Counter-Terrorism Strategy. The outcome documents are the Tashkent Declaration and an updated "
            "Joint Plan of Action."
        ),
        "ru": (
            "Международная конференция высокого уровня в Ташкенте 3–4 марта 2022 года в гибридном формате; "
            "ожидается более 600 высокопоставленных должностных лиц и экспертов. Через десять лет после "
            "принятия Совместного плана действий для Центральной Азии четыре секционных заседания посвящены "
            "четырём направлениям Глобальной контртеррористической стратегии ООН. Итоговые документы — "
            "Ташкентская декларация и обновлённый Совместный план действий."
        ),
        "uz": (
            "2022-yil 3–4-mart kunlari Toshkentda gibrid formatda boʻladigan yuqori darajadagi xalqaro "
            "konferensiya; 600 dan ortiq yuqori martabali mansabdor shaxslar va ekspertlar ishtirok etishi "
            "kutilmoqda. Markaziy Osiyo uchun Qoʻshma harakatlar rejasi qabul qilinganidan oʻn yil oʻtib, "
            "toʻrtta seksiya yigʻilishi BMT Terrorizmga qarshi kurash global strategiyasining toʻrt "
            "yoʻnalishiga bagʻishlanadi. Yakuniy hujjatlar — Toshkent deklaratsiyasi va yangilangan Qoʻshma "
            "harakatlar rejasi."
        ),
    },
    "city": {"en": "Tashkent", "ru": "Ташкент", "uz": "Toshkent"},
    "start_date": date(2022, 3, 3),
    "end_date": date(2022, 3, 4),
    "time_zone": "Asia/Tashkent",
    "country": "UZ",
    "format": "hybrid",
    "expected_participants": 600,
    "status": "published",
    "website": WEBSITE,
}

# The press release does not name the venue: the demo uses a neutral, made-up description.
VENUE: dict[str, Any] = {
    "key": "Tashkent conference venue",
    "name": {
        "en": "Tashkent conference venue",
        "ru": "Конференц-площадка в Ташкенте",
        "uz": "Toshkentdagi konferensiya maydoni",
    },
    "address": {"en": "Tashkent, Uzbekistan", "ru": "Ташкент, Узбекистан", "uz": "Toshkent, Oʻzbekiston"},
    "city": {"en": "Tashkent", "ru": "Ташкент", "uz": "Toshkent"},
    "country": "UZ",
    "accessibility_notes": {
        "en": "Step-free entrance with a ramp; lifts to every floor; accessible toilets on each floor. "
        "Ask the registration desk for assistance.",
        "ru": "Вход без ступеней, с пандусом; лифты на все этажи; доступные туалеты на каждом этаже. "
        "За помощью обращайтесь к стойке регистрации.",
        "uz": "Zinapoyasiz, pandusli kirish; barcha qavatlarga liftlar; har bir qavatda imkoniyati cheklangan "
        "shaxslar uchun hojatxonalar. Yordam uchun roʻyxatdan oʻtish stoliga murojaat qiling.",
    },
}

_GROUND = {"en": "Ground floor", "ru": "Первый этаж", "uz": "1-qavat"}
_FIRST = {"en": "First floor", "ru": "Второй этаж", "uz": "2-qavat"}
_LIFT = {
    "en": "Reached by lift from the main hall.",
    "ru": "Доступ на лифте из главного холла.",
    "uz": "Asosiy zaldan liftda chiqiladi.",
}


def _breakout(n: int) -> dict[str, Any]:
    return {
        "key": f"Breakout room {n}",
        "name": {"en": f"Breakout room {n}", "ru": f"Зал секционных заседаний {n}", "uz": f"{n}-seksiya zali"},
        "capacity": 120 if n <= 2 else 100,
        "floor": _FIRST,
        "accessibility_notes": _LIFT,
    }


ROOMS: list[dict[str, Any]] = [
    {
        "key": "Plenary hall",
        "name": {"en": "Plenary hall", "ru": "Пленарный зал", "uz": "Yalpi majlislar zali"},
        "capacity": 700,
        "floor": _GROUND,
        "accessibility_notes": {
            "en": "Step-free access; wheelchair spaces in the front and back rows; induction loop; "
            "interpretation headsets at the entrance.",
            "ru": "Доступ без ступеней; места для колясок в первом и последнем рядах; индукционная петля; "
            "наушники для перевода у входа.",
            "uz": "Zinapoyasiz kirish; birinchi va oxirgi qatorlarda nogironlik aravachalari uchun joylar; "
            "induksion halqa; tarjima uchun quloqchinlar kirish joyida.",
        },
    },
    _breakout(1),
    _breakout(2),
    _breakout(3),
    _breakout(4),
    {
        "key": "Side-event room A",
        "name": {"en": "Side-event room A", "ru": "Зал параллельных мероприятий A", "uz": "Parallel tadbirlar zali A"},
        "capacity": 80,
        "floor": _GROUND,
        "accessibility_notes": {"en": "Step-free access.", "ru": "Доступ без ступеней.", "uz": "Zinapoyasiz kirish."},
    },
    {
        "key": "Side-event room B",
        "name": {"en": "Side-event room B", "ru": "Зал параллельных мероприятий B", "uz": "Parallel tadbirlar zali B"},
        "capacity": 60,
        "floor": _FIRST,
        "accessibility_notes": _LIFT,
    },
    {
        "key": "Press room",
        "name": {"en": "Press room", "ru": "Пресс-центр", "uz": "Matbuot markazi"},
        "capacity": 40,
        "floor": _GROUND,
        "accessibility_notes": {
            "en": "Step-free access; open to accredited media only.",
            "ru": "Доступ без ступеней; только для аккредитованных СМИ.",
            "uz": "Zinapoyasiz kirish; faqat akkreditatsiyadan oʻtgan OAV vakillari uchun.",
        },
    },
]

# key: stable natural key (the English name); logo: monogram text and colour.
ORGANISATIONS: dict[str, dict[str, Any]] = {
    "isrs": {
        "name": {
            "en": "Institute for Strategic and Regional Studies under the President of the Republic of Uzbekistan",
            "ru": "Институт стратегических и межрегиональных исследований при Президенте Республики Узбекистан",
            "uz": "Oʻzbekiston Respublikasi Prezidenti huzuridagi Strategik va mintaqalararo tadqiqotlar instituti",
        },
        "acronym": {"en": "ISRS", "ru": "ИСМИ", "uz": "SMTI"},
        "kind": "think_tank",
        "country": "UZ",
        "website": "https://isrs.uz",
        "colour": "#0b6e4f",
        "shape": "circle",
    },
    "mfa-uz": {
        "name": {
            "en": "Ministry of Foreign Affairs of the Republic of Uzbekistan",
            "ru": "Министерство иностранных дел Республики Узбекистан",
            "uz": "Oʻzbekiston Respublikasi Tashqi ishlar vazirligi",
        },
        "acronym": {"en": "MFA", "ru": "МИД", "uz": "TIV"},
        "kind": "government",
        "country": "UZ",
        "website": "https://mfa.uz",
        "colour": "#1f4e8c",
        "shape": "square",
    },
    "unoct": {
        "name": {
            "en": "United Nations Office of Counter-Terrorism",
            "ru": "Контртеррористическое управление Организации Объединённых Наций",
            "uz": "Birlashgan Millatlar Tashkilotining Terrorizmga qarshi kurash boshqarmasi",
        },
        "acronym": {"en": "UNOCT", "ru": "КТУ ООН", "uz": "UNOCT"},
        "kind": "un_entity",
        "country": "",
        "website": "https://www.un.org/counterterrorism/",
        "colour": "#2a6f97",
        "shape": "circle",
    },
    "unrcca": {
        "name": {
            "en": "United Nations Regional Centre for Preventive Diplomacy for Central Asia",
            "ru": "Региональный центр ООН по превентивной дипломатии для Центральной Азии",
            "uz": "BMTning Markaziy Osiyo uchun Preventiv diplomatiya mintaqaviy markazi",
        },
        "acronym": {"en": "UNRCCA", "ru": "РЦПДЦА", "uz": "UNRCCA"},
        "kind": "un_entity",
        "country": "",
        "website": "https://unrcca.unmissions.org",
        "colour": "#5b3f8c",
        "shape": "square",
    },
    "osce": {
        "name": {
            "en": "Organization for Security and Co-operation in Europe",
            "ru": "Организация по безопасности и сотрудничеству в Европе",
            "uz": "Yevropada xavfsizlik va hamkorlik tashkiloti",
        },
        "acronym": {"en": "OSCE", "ru": "ОБСЕ", "uz": "YXHT"},
        "kind": "igo",
        "country": "",
        "website": "https://www.osce.org",
        "colour": "#8c2f39",
        "shape": "circle",
    },
    "sco": {
        "name": {
            "en": "Shanghai Cooperation Organisation",
            "ru": "Шанхайская организация сотрудничества",
            "uz": "Shanxay hamkorlik tashkiloti",
        },
        "acronym": {"en": "SCO", "ru": "ШОС", "uz": "ShHT"},
        "kind": "regional",
        "country": "",
        "website": "https://eng.sectsco.org",
        "colour": "#b5651d",
        "shape": "square",
    },
    "sco-rats": {
        "name": {
            "en": "Regional Anti-Terrorist Structure of the Shanghai Cooperation Organisation",
            "ru": "Региональная антитеррористическая структура Шанхайской организации сотрудничества",
            "uz": "Shanxay hamkorlik tashkilotining Mintaqaviy aksilterror tuzilmasi",
        },
        "acronym": {"en": "SCO RATS", "ru": "РАТС ШОС", "uz": "ShHT MATT"},
        "kind": "regional",
        "country": "",
        "website": "https://ecrats.org",
        "colour": "#6b705c",
        "shape": "circle",
    },
    "un": {
        "name": {
            "en": "United Nations",
            "ru": "Организация Объединённых Наций",
            "uz": "Birlashgan Millatlar Tashkiloti",
        },
        "acronym": {"en": "UN", "ru": "ООН", "uz": "BMT"},
        "kind": "un_entity",
        "country": "",
        "website": "https://www.un.org",
        "colour": "#3d5a80",
        "shape": "square",
    },
    "mfa-kz": {
        "name": {
            "en": "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "ru": "Министерство иностранных дел Республики Казахстан",
            "uz": "Qozogʻiston Respublikasi Tashqi ishlar vazirligi",
        },
        "acronym": {"en": "MFA KZ", "ru": "МИД РК", "uz": "QR TIV"},
        "kind": "government",
        "country": "KZ",
        "website": "https://www.gov.kz/memleket/entities/mfa",
        "colour": "#00798c",
        "shape": "square",
    },
}

# (organisation key, role, position): the five co-organisers in the press release's order.
EVENT_ORGANISATIONS: list[tuple[str, str, int]] = [
    ("isrs", "co_organiser", 1),
    ("mfa-uz", "co_organiser", 2),
    ("unoct", "co_organiser", 3),
    ("unrcca", "co_organiser", 4),
    ("osce", "co_organiser", 5),
    ("mfa-uz", "host", 0),
    ("sco-rats", "side_event_organiser", 10),
    ("osce", "side_event_organiser", 11),
    ("unoct", "side_event_organiser", 12),
    ("sco", "partner", 20),
]

PILLARS: list[dict[str, Any]] = [
    {
        "number": 1,
        "title": {
            "en": "Measures to address the conditions conducive to the spread of terrorism",
            "ru": "Меры по устранению условий, способствующих распространению терроризма",
            "uz": "Terrorizmning tarqalishiga olib keluvchi sharoitlarni bartaraf etish choralari",
        },
        "summary": {
            "en": "How the countries of Central Asia address the conditions conducive to terrorism, "
            "including the role of youth, education and the prevention of violent extremism.",
            "ru": "Как страны Центральной Азии устраняют условия, способствующие терроризму, включая роль "
            "молодёжи, образования и предупреждения насильственного экстремизма.",
            "uz": "Markaziy Osiyo mamlakatlari terrorizmga olib keluvchi sharoitlarni qanday bartaraf etmoqda, "
            "jumladan yoshlar, taʼlim va zoʻravon ekstremizmning oldini olishning roli.",
        },
    },
    {
        "number": 2,
        "title": {
            "en": "Measures to prevent and combat terrorism",
            "ru": "Меры по предупреждению терроризма и борьбе с ним",
            "uz": "Terrorizmning oldini olish va unga qarshi kurashish choralari",
        },
        "summary": {
            "en": "Regional cooperation in preventing and countering terrorism, from information exchange to "
            "countering the financing of terrorism.",
            "ru": "Региональное сотрудничество в предупреждении терроризма и борьбе с ним — от обмена "
            "информацией до противодействия финансированию терроризма.",
            "uz": "Terrorizmning oldini olish va unga qarshi kurashda mintaqaviy hamkorlik — axborot "
            "almashishdan terrorizmni moliyalashtirishga qarshi kurashgacha.",
        },
    },
    {
        "number": 3,
        "title": {
            "en": "Measures to build States' capacity to prevent and combat terrorism and to strengthen the "
            "role of the United Nations system in that regard",
            "ru": "Меры по созданию потенциала государств в области предупреждения терроризма и борьбы с ним и по "
            "укреплению роли системы Организации Объединенных Наций в этой области",
            "uz": "Davlatlarning terrorizmning oldini olish va unga qarshi kurashish salohiyatini oshirish hamda "
            "bu borada Birlashgan Millatlar Tashkiloti tizimining rolini kuchaytirish choralari",
        },
        "summary": {
            "en": "Building national capacities in the region and the support the UN system and other "
            "partners give to it.",
            "ru": "Наращивание национального потенциала стран региона и поддержка, которую им оказывают "
            "система ООН и другие партнёры.",
            "uz": "Mintaqa mamlakatlarining milliy salohiyatini oshirish hamda BMT tizimi va boshqa hamkorlar "
            "koʻrsatayotgan koʻmak.",
        },
    },
    {
        "number": 4,
        "title": {
            "en": "Measures to ensure respect for human rights for all and the rule of law as the fundamental "
            "basis of the fight against terrorism",
            "ru": "Меры по обеспечению всеобщего уважения прав человека и верховенства права как "
            "фундаментальной основы борьбы с терроризмом",
            "uz": "Terrorizmga qarshi kurashning asosiy negizi sifatida barcha uchun inson huquqlari hurmat "
            "qilinishini va qonun ustuvorligini taʼminlash choralari",
        },
        "summary": {
            "en": "Respect for human rights and the rule of law in counter-terrorism, including the role of "
            "civil society.",
            "ru": "Уважение прав человека и верховенство права в противодействии терроризму, включая роль "
            "гражданского общества.",
            "uz": "Terrorizmga qarshi kurashda inson huquqlarini hurmat qilish va qonun ustuvorligi, jumladan "
            "fuqarolik jamiyatining roli.",
        },
    },
]

PR_FUNCTION = {
    "en": "Public relations coordinator",
    "ru": "Координатор по связям с общественностью",
    "uz": "Jamoatchilik bilan aloqalar boʻyicha koordinator",
}

# The three contacts of the press release, e-mail addresses exactly as published.
CONTACTS: list[dict[str, Any]] = [
    {"name": "N. Shokhimardonova", "email": "shokhimardonova.n@isrs.uz", "organisation": "isrs", "position": 1},
    {"name": "Anvarjon Meliboev", "email": "anvarjon.meliboev@un.org", "organisation": "un", "position": 2},
    {"name": "Dildorakhon Israilova", "email": "Dildorakhon.Israilova@osce.org", "organisation": "osce", "position": 3},
]
CONTACT_EMAILS = [c["email"] for c in CONTACTS]

DOCUMENT_TITLES = {
    "concept_note": {"en": "Concept note", "ru": "Концептуальная записка", "uz": "Konsepsiya"},
    "programme": {"en": "Draft programme", "ru": "Проект программы", "uz": "Dastur loyihasi"},
    "attendee_info": {
        "en": "Information for attendees",
        "ru": "Информация для участников",
        "uz": "Ishtirokchilar uchun maʼlumot",
    },
}

DOCUMENTS: list[dict[str, Any]] = [
    {
        "slug": "concept-note",
        "kind": "concept_note",
        "position": 1,
        "title": DOCUMENT_TITLES["concept_note"],
        "description": {
            "en": "Background, objectives, the four pillars and the expected outcomes of the conference.",
            "ru": "Предыстория, цели, четыре направления и ожидаемые итоги конференции.",
            "uz": "Konferensiyaning asoslari, maqsadlari, toʻrt yoʻnalishi va kutilayotgan natijalari.",
        },
    },
    {
        "slug": "draft-programme",
        "kind": "programme",
        "position": 2,
        "title": DOCUMENT_TITLES["programme"],
        "description": {
            "en": "Outline of the two conference days (draft, subject to change).",
            "ru": "Структура двух дней конференции (проект, возможны изменения).",
            "uz": "Konferensiyaning ikki kunlik tuzilmasi (loyiha, oʻzgarishi mumkin).",
        },
    },
    {
        "slug": "information-for-attendees",
        "kind": "attendee_info",
        "position": 3,
        "title": DOCUMENT_TITLES["attendee_info"],
        "description": {
            "en": "Format, registration, badges, security screening, languages and contacts.",
            "ru": "Формат, регистрация, бейджи, досмотр, языки и контакты.",
            "uz": "Format, roʻyxatdan oʻtish, beyjlar, xavfsizlik tekshiruvi, tillar va aloqa.",
        },
    },
]
DOCUMENT_PUBLISHED_ON = date(2022, 2, 21)

# --- The press release of 21 February 2022 ------------------------------------------------------

NEWS_SLUG = "tashkent-to-host-high-level-conference"

NEWS: dict[str, Any] = {
    "slug": NEWS_SLUG,
    "kind": "press_release",
    "dateline": {"en": "Tashkent/New York/Vienna", "ru": "Ташкент/Нью-Йорк/Вена", "uz": "Toshkent/Nyu-York/Vena"},
    "title": {
        "en": "Tashkent to host high-level international conference on regional cooperation of Central Asian "
        "states in the fight against terrorism",
        "ru": "Ташкент примет международную конференцию высокого уровня по региональному сотрудничеству "
        "государств Центральной Азии в борьбе с терроризмом",
        "uz": "Toshkentda Markaziy Osiyo davlatlarining terrorizmga qarshi kurashdagi mintaqaviy hamkorligiga "
        "bagʻishlangan yuqori darajadagi xalqaro konferensiya boʻlib oʻtadi",
    },
    "lead": {
        "en": "On 3–4 March 2022, Tashkent will host a high-level international conference on “Regional "
        "cooperation of Central Asian countries within the framework of the Joint Action Plan for the "
        "Implementation of the UN Global Counter-Terrorism Strategy”.",
        "ru": "3–4 марта 2022 года в Ташкенте состоится международная конференция высокого уровня на тему "
        "«Региональное сотрудничество стран Центральной Азии в рамках Совместного плана действий по "
        "реализации Глобальной контртеррористической стратегии ООН».",
        "uz": "2022-yil 3–4-mart kunlari Toshkentda “Markaziy Osiyo mamlakatlarining BMT Terrorizmga qarshi "
        "kurash global strategiyasini amalga oshirish boʻyicha Qoʻshma harakatlar rejasi doirasidagi "
        "mintaqaviy hamkorligi” mavzusida yuqori darajadagi xalqaro konferensiya boʻlib oʻtadi.",
    },
}

# Bodies are Markdown; {concept_note}, {programme} and {attendee_info} are replaced by the URLs of
# the documents on this platform, {contacts} by the three e-mail links.
NEWS_BODY = {
    "en": """\
The landmark event, supported by the international community, will be the practical implementation of the \
initiative of the President of Uzbekistan Shavkat Mirziyoyev, put forward at the 75th session of the UN \
General Assembly, and will make a significant contribution to consolidating the efforts of the countries of \
the region and the international community in the implementation of the UN Global Counter-Terrorism \
Strategy (UN GCTS) in Central Asia.

The conference is co-organized by the Institute for Strategic and Regional Studies under the President of \
the Republic of Uzbekistan (ISRS), the Ministry of Foreign Affairs of the Republic of Uzbekistan, the United \
Nations Office of Counter-Terrorism (UNOCT), the UN Regional Centre for Preventive Diplomacy for Central \
Asia (UNRCCA) and the Organization for Security and Co-operation in Europe (OSCE).

The Tashkent Conference will be held in a hybrid format with more than 600 senior officials and leading \
experts from national and foreign think tanks in the EU, Central and South Asia, China, Russia, the USA, the \
Middle East and other countries, representatives of international and regional organizations and civil \
society institutions.

Among the invitees are the participants of the United Nations Global Counter-Terrorism Coordination Compact, \
special representatives of Member States as well as donor states of counter-terrorism activities.

At the opening ceremony, an address is expected on behalf of the President of the Republic of Uzbekistan, \
Mr. Shavkat Mirziyoyev, and a video message from the Secretary-General of the United Nations, \
Mr. António Guterres. Other speakers include OSCE Secretary General Helga Maria Schmid, UN \
Under-Secretary-General for Counter-Terrorism Mr. Vladimir Voronkov, Special Representative of the \
Secretary-General for Central Asia and Head of the UN Regional Centre for Preventive Diplomacy for Central \
Asia (UNRCCA) Ms. Natalia Gherman, Shanghai Cooperation Organisation (SCO) Secretary-General Zhang Ming, \
and the heads of delegations of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.

The Republic of Uzbekistan will be represented by members of government, heads of chambers and committees \
of the Oliy Majlis, specialists from ministries, departments and non-governmental organizations and leading \
researchers from think tanks and universities.

The 10th anniversary of the adoption of the Joint Plan of Action for Central Asia (JPoA) will provide an \
opportunity to learn about the unique experience of implementing the UN GCTS in this region, as well as to \
endorse a new edition of the regional JPoA, prepared on the basis of a ten-year review, multi-stakeholder \
consultations and consensus.

Within the framework of the conference, four breakout sessions will be held in the form of panel \
discussions, one on each of the four pillars of the UN GCTS:

1. addressing the conditions conducive to the spread of terrorism;
2. preventing and countering terrorism;
3. building States' capacity to prevent and combat terrorism and to strengthen the role of the United \
Nations system in that regard;
4. ensuring respect for human rights for all and the rule of law as the fundamental basis for the fight \
against terrorism.

Three side events will be held on the margins of the conference:

1. the role of the SCO Regional Anti-Terrorist Structure (RATS) in strengthening cooperation between the \
states of Central Asia within the framework of the JPoA;
2. the implementation of the UN GCTS: gender aspects in the work with women and children returning from \
war zones;
3. financial support for programmes to counter terrorism.

These side events will be organized by SCO RATS, the OSCE, UNOCT and their partners.

The key outcome documents of the meeting should be the Tashkent Declaration and an updated Joint Plan of \
Action, in which the countries of Central Asia will reaffirm their commitment to the joint fight against \
terrorism, which poses a serious threat to international peace and security, and define specific tasks for \
the near future.

The provisions of the Tashkent Declaration and the new Joint Plan of Action will be a consistent and logical \
continuation of previously adopted documents: the Ashgabat Declaration (2011), the Ashgabat Declaration on \
Countering Terrorism (2017), the Samarkand Declaration on Increasing the Role of Youth in Countering Violent \
Extremism and Radicalization Leading to Terrorism (2018) and the Dushanbe Declaration on the results of the \
high-level international conference “International and regional cooperation against terrorism and its \
sources of financing, including drug trafficking and organized crime” (2019).

\\*\\*\\*

**For more information:**

- visit the conference website: <https://gcts-ca.uz/en>;
- contact the public relations coordinators: {contacts};
- review the background materials: the [concept note]({concept_note}), the [draft programme]({programme}) \
and the [information for attendees]({attendee_info}).
""",
    "ru": """\
Знаковое мероприятие, пользующееся поддержкой международного сообщества, станет практической реализацией \
инициативы Президента Узбекистана Шавката Мирзиёева, выдвинутой на 75-й сессии Генеральной Ассамблеи ООН, и \
внесёт значительный вклад в консолидацию усилий стран региона и международного сообщества по реализации \
Глобальной контртеррористической стратегии ООН (ГКТС ООН) в Центральной Азии.

Организаторами конференции выступают Институт стратегических и межрегиональных исследований при Президенте \
Республики Узбекистан (ИСМИ), Министерство иностранных дел Республики Узбекистан, Контртеррористическое \
управление ООН (КТУ ООН), Региональный центр ООН по превентивной дипломатии для Центральной Азии (РЦПДЦА) и \
Организация по безопасности и сотрудничеству в Европе (ОБСЕ).

Ташкентская конференция пройдёт в гибридном формате. В ней примут участие более 600 высокопоставленных \
должностных лиц и ведущих экспертов национальных и зарубежных аналитических центров ЕС, Центральной и Южной \
Азии, Китая, России, США, Ближнего Востока и других стран, представители международных и региональных \
организаций, институтов гражданского общества.

В числе приглашённых — участники Глобального договора ООН о координации контртеррористической \
деятельности, специальные представители государств-членов, а также государства — доноры \
контртеррористической деятельности.

На церемонии открытия ожидаются обращение от имени Президента Республики Узбекистан Шавката Мирзиёева и \
видеообращение Генерального секретаря ООН Антониу Гутерриша. Выступят также Генеральный секретарь ОБСЕ \
Хельга Мария Шмид, заместитель Генерального секретаря ООН по борьбе с терроризмом Владимир Воронков, \
Специальный представитель Генерального секретаря ООН по Центральной Азии, глава Регионального центра ООН по \
превентивной дипломатии для Центральной Азии (РЦПДЦА) Наталья Герман, Генеральный секретарь Шанхайской \
организации сотрудничества (ШОС) Чжан Мин, главы делегаций Казахстана, Кыргызстана, Таджикистана, \
Туркменистана и Узбекистана.

Республику Узбекистан представят члены правительства, руководители палат и комитетов Олий Мажлиса, \
специалисты министерств, ведомств и негосударственных организаций, ведущие исследователи аналитических \
центров и университетов.

10-летие принятия Совместного плана действий для Центральной Азии (СПД) даст возможность познакомиться с \
уникальным опытом реализации ГКТС ООН в регионе, а также одобрить новую редакцию регионального СПД, \
подготовленную на основе десятилетнего обзора, консультаций с широким кругом заинтересованных сторон и \
консенсуса.

В рамках конференции в формате панельных дискуссий пройдут четыре секционных заседания — по каждому из \
четырёх направлений ГКТС ООН:

1. устранение условий, способствующих распространению терроризма;
2. предупреждение терроризма и борьба с ним;
3. создание потенциала государств по предупреждению терроризма и борьбе с ним и укрепление роли системы \
Организации Объединённых Наций в этой связи;
4. обеспечение всеобщего уважения прав человека и верховенства права как фундаментальной основы борьбы с \
терроризмом.

На полях конференции состоятся три параллельных мероприятия:

1. роль Региональной антитеррористической структуры (РАТС) ШОС в укреплении сотрудничества государств \
Центральной Азии в рамках СПД;
2. реализация ГКТС ООН: гендерные аспекты работы с женщинами и детьми, возвращающимися из зон военных \
действий;
3. финансовая поддержка программ по противодействию терроризму.

Эти мероприятия организуют РАТС ШОС, ОБСЕ, КТУ ООН и их партнёры.

Ключевыми итоговыми документами встречи должны стать Ташкентская декларация и обновлённый Совместный план \
действий, в которых страны Центральной Азии подтвердят приверженность совместной борьбе с терроризмом, \
представляющим серьёзную угрозу международному миру и безопасности, и определят конкретные задачи на \
ближайшую перспективу.

Положения Ташкентской декларации и нового Совместного плана действий станут последовательным и логичным \
продолжением ранее принятых документов: Ашхабадской декларации (2011), Ашхабадской декларации по \
противодействию терроризму (2017), Самаркандской декларации о повышении роли молодёжи в противодействии \
насильственному экстремизму и радикализации, ведущей к терроризму (2018), и Душанбинской декларации по \
итогам международной конференции высокого уровня «Международное и региональное сотрудничество по \
противодействию терроризму и его источникам финансирования, включая незаконный оборот наркотиков и \
организованную преступность» (2019).

\\*\\*\\*

**Дополнительная информация:**

- сайт конференции: <https://gcts-ca.uz/en>;
- координаторы по связям с общественностью: {contacts};
- справочные материалы: [концептуальная записка]({concept_note}), [проект программы]({programme}) и \
[информация для участников]({attendee_info}).
""",
    "uz": """\
Xalqaro hamjamiyat tomonidan qoʻllab-quvvatlanayotgan ushbu muhim tadbir Oʻzbekiston Prezidenti Shavkat \
Mirziyoyevning BMT Bosh Assambleyasining 75-sessiyasida ilgari surgan tashabbusining amaliy ifodasi boʻladi \
hamda Markaziy Osiyoda BMTning Terrorizmga qarshi kurash global strategiyasini (keyingi oʻrinlarda — Global \
strategiya) amalga oshirish borasida mintaqa mamlakatlari va xalqaro hamjamiyat saʼy-harakatlarini \
birlashtirishga salmoqli hissa qoʻshadi.

Konferensiya tashkilotchilari — Oʻzbekiston Respublikasi Prezidenti huzuridagi Strategik va mintaqalararo \
tadqiqotlar instituti (SMTI), Oʻzbekiston Respublikasi Tashqi ishlar vazirligi, BMTning Terrorizmga qarshi \
kurash boshqarmasi (UNOCT), BMTning Markaziy Osiyo uchun Preventiv diplomatiya mintaqaviy markazi (UNRCCA) \
va Yevropada xavfsizlik va hamkorlik tashkiloti (YXHT).

Toshkent konferensiyasi gibrid formatda oʻtkaziladi. Unda 600 dan ortiq yuqori martabali mansabdor shaxslar, \
Yevropa Ittifoqi, Markaziy va Janubiy Osiyo, Xitoy, Rossiya, AQSh, Yaqin Sharq va boshqa mamlakatlardagi \
milliy va xorijiy tahliliy markazlarning yetakchi ekspertlari, xalqaro va mintaqaviy tashkilotlar hamda \
fuqarolik jamiyati institutlari vakillari ishtirok etadi.

Taklif etilganlar orasida BMTning Terrorizmga qarshi kurashni muvofiqlashtirish global kompakti \
ishtirokchilari, aʼzo davlatlarning maxsus vakillari, shuningdek, terrorizmga qarshi kurash faoliyatiga \
koʻmak beruvchi donor davlatlar bor.

Ochilish marosimida Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev nomidan murojaat hamda BMT Bosh \
kotibi António Guterresning videomurojaati kutilmoqda. Shuningdek, YXHT Bosh kotibi Helga Maria Schmid, \
BMT Bosh kotibining terrorizmga qarshi kurash boʻyicha oʻrinbosari Vladimir Voronkov, BMT Bosh kotibining \
Markaziy Osiyo boʻyicha maxsus vakili, BMTning Markaziy Osiyo uchun Preventiv diplomatiya mintaqaviy \
markazi (UNRCCA) rahbari Natalia Gherman, Shanxay hamkorlik tashkiloti (ShHT) Bosh kotibi Zhang Ming hamda \
Qozogʻiston, Qirgʻiziston, Tojikiston, Turkmaniston va Oʻzbekiston delegatsiyalari rahbarlari soʻzga chiqadi.

Oʻzbekiston Respublikasidan hukumat aʼzolari, Oliy Majlis palatalari va qoʻmitalari rahbarlari, vazirlik, \
idora va nodavlat tashkilotlar mutaxassislari, tahliliy markazlar va universitetlarning yetakchi \
tadqiqotchilari qatnashadi.

Markaziy Osiyo uchun Qoʻshma harakatlar rejasi (QHR) qabul qilinganining 10 yilligi Global strategiyani \
mintaqada amalga oshirishning noyob tajribasi bilan tanishish, shuningdek, oʻn yillik sharh, manfaatdor \
tomonlar bilan keng maslahatlashuvlar va konsensus asosida tayyorlangan mintaqaviy QHRning yangi tahririni \
maʼqullash imkonini beradi.

Konferensiya doirasida panel muhokamalari shaklida Global strategiyaning toʻrt yoʻnalishining har biri \
boʻyicha toʻrtta seksiya yigʻilishi oʻtkaziladi:

1. terrorizmning tarqalishiga olib keluvchi sharoitlarni bartaraf etish;
2. terrorizmning oldini olish va unga qarshi kurashish;
3. davlatlarning terrorizmning oldini olish va unga qarshi kurashish salohiyatini oshirish hamda bu borada \
Birlashgan Millatlar Tashkiloti tizimining rolini kuchaytirish;
4. terrorizmga qarshi kurashning asosiy negizi sifatida barcha uchun inson huquqlari hurmat qilinishini va \
qonun ustuvorligini taʼminlash.

Konferensiya doirasida uchta parallel tadbir boʻlib oʻtadi:

1. Markaziy Osiyo davlatlarining QHR doirasidagi hamkorligini mustahkamlashda ShHT Mintaqaviy aksilterror \
tuzilmasining (MATT) roli;
2. Global strategiyani amalga oshirish: urush hududlaridan qaytayotgan ayollar va bolalar bilan ishlashning \
gender jihatlari;
3. terrorizmga qarshi kurash dasturlarini moliyaviy qoʻllab-quvvatlash.

Ushbu tadbirlarni ShHT MATT, YXHT, UNOCT va ularning hamkorlari tashkil etadi.

Uchrashuv yakunlari boʻyicha asosiy hujjatlar Toshkent deklaratsiyasi va yangilangan Qoʻshma harakatlar \
rejasi boʻlishi kutilmoqda. Ularda Markaziy Osiyo mamlakatlari xalqaro tinchlik va xavfsizlikka jiddiy tahdid \
solayotgan terrorizmga qarshi birgalikda kurashishga sodiqligini yana bir bor tasdiqlaydi va yaqin \
istiqboldagi aniq vazifalarni belgilab oladi.

Toshkent deklaratsiyasi va yangi Qoʻshma harakatlar rejasi qoidalari ilgari qabul qilingan hujjatlar — \
Ashxobod deklaratsiyasi (2011), Terrorizmga qarshi kurash boʻyicha Ashxobod deklaratsiyasi (2017), Zoʻravon \
ekstremizm va terrorizmga olib keluvchi radikallashuvga qarshi kurashda yoshlar rolini oshirish toʻgʻrisidagi \
Samarqand deklaratsiyasi (2018) hamda “Terrorizm va uni moliyalashtirish manbalariga, jumladan, giyohvand \
moddalar savdosi va uyushgan jinoyatchilikka qarshi kurashda xalqaro va mintaqaviy hamkorlik” mavzusidagi \
yuqori darajadagi xalqaro konferensiya yakunlari boʻyicha qabul qilingan Dushanbe deklaratsiyasining (2019) \
izchil va mantiqiy davomi boʻladi.

\\*\\*\\*

**Batafsil maʼlumot uchun:**

- konferensiya sayti: <https://gcts-ca.uz/en>;
- jamoatchilik bilan aloqalar boʻyicha koordinatorlar: {contacts};
- maʼlumotnoma materiallari: [konsepsiya]({concept_note}), [dastur loyihasi]({programme}) va \
[ishtirokchilar uchun maʼlumot]({attendee_info}).
""",
}
