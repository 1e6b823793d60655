"""The three background documents of the demo conference as real, readable PDFs in en/ru/uz.

They are reconstructions from the press release of 21 February 2022 and the domain notes, not the
official texts; the footer of every page says so. Output is deterministic (``invariant=1``).
"""

from __future__ import annotations

from typing import Any

from majlis.core import pdf

from .content import CONTACTS, DOCUMENT_TITLES, EVENT, PILLARS

Block = tuple[str, Any]

EVENT_LINE = {
    "en": "Tashkent, 3–4 March 2022 · hybrid format",
    "ru": "Ташкент, 3–4 марта 2022 года · гибридный формат",
    "uz": "Toshkent, 2022-yil 3–4-mart · gibrid format",
}
PUBLISHED = {
    "en": "Published on 21 February 2022 · version 1",
    "ru": "Опубликовано 21 февраля 2022 года · версия 1",
    "uz": "2022-yil 21-fevralda eʼlon qilingan · 1-versiya",
}
FOOTER = {
    "en": "Majlis demo document, based on the press release of 21 February 2022 — not the official text.",
    "ru": "Демонстрационный документ Majlis по пресс-релизу от 21.02.2022 — не официальный текст.",
    "uz": "Majlis namunaviy hujjati, 21.02.2022 dagi press-reliz asosida — rasmiy matn emas.",
}
AUTHOR = "ISRS · MFA of Uzbekistan · UNOCT · UNRCCA · OSCE"


def _contacts_lines() -> list[str]:
    return [f"{c['name']} — {c['email']}" for c in CONTACTS]


CONCEPT_NOTE: dict[str, list[Block]] = {
    "en": [
        ("h", "Background"),
        (
            "p",
            "On 30 November 2011, in Ashgabat, the countries of Central Asia adopted the Joint Plan of Action "
            "(JPoA) for the implementation of the UN Global Counter-Terrorism Strategy in Central Asia, "
            "together with the Ashgabat Declaration. The plan was prepared in 2010–2011 through expert "
            "meetings in Bratislava, Dushanbe and Almaty.",
        ),
        (
            "p",
            "The region has built on it since: the Ashgabat Declaration on Countering Terrorism (2017), the "
            "Samarkand Declaration on Increasing the Role of Youth in Countering Violent Extremism and "
            "Radicalization Leading to Terrorism (2018) and the Dushanbe Declaration (2019).",
        ),
        (
            "p",
            "The Tashkent conference is the practical implementation of the initiative of the President of "
            "Uzbekistan Shavkat Mirziyoyev, put forward at the 75th session of the UN General Assembly. It is "
            "co-organised by the Institute for Strategic and Regional Studies under the President of the "
            "Republic of Uzbekistan (ISRS), the Ministry of Foreign Affairs of the Republic of Uzbekistan, "
            "UNOCT, UNRCCA and the OSCE.",
        ),
        ("h", "Objectives"),
        (
            "ul",
            [
                "Consolidate the efforts of the countries of the region and of the international community in "
                "implementing the UN Global Counter-Terrorism Strategy in Central Asia.",
                "Mark the 10th anniversary of the JPoA and share the experience of implementing the Strategy in "
                "the region.",
                "Endorse a new edition of the regional JPoA, prepared on the basis of a ten-year review, "
                "multi-stakeholder consultations and consensus.",
            ],
        ),
        ("h", "The four pillars of the Strategy"),
        ("p", "One breakout panel is held on each pillar of the Strategy (A/RES/60/288):"),
        ("ol", "pillars"),
        ("h", "Participants"),
        (
            "p",
            "More than 600 senior officials and leading experts are expected, in Tashkent and online: think "
            "tanks of the EU, Central and South Asia, China, Russia, the USA, the Middle East and other "
            "countries; international and regional organisations; civil society; participants of the UN "
            "Global Counter-Terrorism Coordination Compact; special representatives of Member States and "
            "donor states.",
        ),
        ("h", "Expected outcomes"),
        (
            "ul",
            [
                "The Tashkent Declaration, in which the countries of Central Asia reaffirm their commitment to the "
                "joint fight against terrorism and define specific tasks for the near future.",
                "An updated Joint Plan of Action for Central Asia.",
            ],
        ),
    ],
    "ru": [
        ("h", "Предыстория"),
        (
            "p",
            "30 ноября 2011 года в Ашхабаде страны Центральной Азии приняли Совместный план действий (СПД) по "
            "реализации Глобальной контртеррористической стратегии ООН в Центральной Азии и Ашхабадскую "
            "декларацию. План был подготовлен в 2010–2011 годах на экспертных встречах в Братиславе, Душанбе "
            "и Алматы.",
        ),
        (
            "p",
            "С тех пор регион развивает его: Ашхабадская декларация по противодействию терроризму (2017), "
            "Самаркандская декларация о повышении роли молодёжи в противодействии насильственному экстремизму "
            "и радикализации, ведущей к терроризму (2018), и Душанбинская декларация (2019).",
        ),
        (
            "p",
            "Ташкентская конференция — практическая реализация инициативы Президента Узбекистана Шавката "
            "Мирзиёева, выдвинутой на 75-й сессии Генеральной Ассамблеи ООН. Её организаторы — Институт "
            "стратегических и межрегиональных исследований при Президенте Республики Узбекистан (ИСМИ), "
            "Министерство иностранных дел Республики Узбекистан, КТУ ООН, РЦПДЦА и ОБСЕ.",
        ),
        ("h", "Цели"),
        (
            "ul",
            [
                "Консолидировать усилия стран региона и международного сообщества по реализации Глобальной "
                "контртеррористической стратегии ООН в Центральной Азии.",
                "Отметить 10-летие СПД и обменяться опытом реализации Стратегии в регионе.",
                "Одобрить новую редакцию регионального СПД, подготовленную на основе десятилетнего обзора, "
                "консультаций с широким кругом заинтересованных сторон и консенсуса.",
            ],
        ),
        ("h", "Четыре направления Стратегии"),
        ("p", "По каждому направлению Стратегии (A/RES/60/288) проводится секционное заседание:"),
        ("ol", "pillars"),
        ("h", "Участники"),
        (
            "p",
            "Ожидается более 600 высокопоставленных должностных лиц и ведущих экспертов — в Ташкенте и онлайн: "
            "аналитические центры ЕС, Центральной и Южной Азии, Китая, России, США, Ближнего Востока и других "
            "стран; международные и региональные организации; гражданское общество; участники Глобального "
            "договора ООН о координации контртеррористической деятельности; специальные представители "
            "государств-членов и государства-доноры.",
        ),
        ("h", "Ожидаемые итоги"),
        (
            "ul",
            [
                "Ташкентская декларация, в которой страны Центральной Азии подтвердят приверженность совместной "
                "борьбе с терроризмом и определят конкретные задачи на ближайшую перспективу.",
                "Обновлённый Совместный план действий для Центральной Азии.",
            ],
        ),
    ],
    "uz": [
        ("h", "Asoslar"),
        (
            "p",
            "2011-yil 30-noyabrda Ashxobodda Markaziy Osiyo mamlakatlari BMTning Terrorizmga qarshi kurash "
            "global strategiyasini Markaziy Osiyoda amalga oshirish boʻyicha Qoʻshma harakatlar rejasini (QHR) "
            "va Ashxobod deklaratsiyasini qabul qilgan. Reja 2010–2011-yillarda Bratislava, Dushanbe va "
            "Almatidagi ekspertlar uchrashuvlarida tayyorlangan.",
        ),
        (
            "p",
            "Shundan beri mintaqa uni rivojlantirib kelmoqda: Terrorizmga qarshi kurash boʻyicha Ashxobod "
            "deklaratsiyasi (2017), Zoʻravon ekstremizm va terrorizmga olib keluvchi radikallashuvga qarshi "
            "kurashda yoshlar rolini oshirish toʻgʻrisidagi Samarqand deklaratsiyasi (2018) va Dushanbe "
            "deklaratsiyasi (2019).",
        ),
        (
            "p",
            "Toshkent konferensiyasi Oʻzbekiston Prezidenti Shavkat Mirziyoyevning BMT Bosh Assambleyasining "
            "75-sessiyasida ilgari surgan tashabbusining amaliy ifodasidir. Uning tashkilotchilari — "
            "Oʻzbekiston Respublikasi Prezidenti huzuridagi Strategik va mintaqalararo tadqiqotlar instituti "
            "(SMTI), Oʻzbekiston Respublikasi Tashqi ishlar vazirligi, UNOCT, UNRCCA va YXHT.",
        ),
        ("h", "Maqsadlar"),
        (
            "ul",
            [
                "Markaziy Osiyoda BMTning Terrorizmga qarshi kurash global strategiyasini amalga oshirishda mintaqa "
                "mamlakatlari va xalqaro hamjamiyat saʼy-harakatlarini birlashtirish.",
                "QHRning 10 yilligini nishonlash va Strategiyani mintaqada amalga oshirish tajribasi bilan "
                "oʻrtoqlashish.",
                "Oʻn yillik sharh, manfaatdor tomonlar bilan keng maslahatlashuvlar va konsensus asosida "
                "tayyorlangan mintaqaviy QHRning yangi tahririni maʼqullash.",
            ],
        ),
        ("h", "Strategiyaning toʻrt yoʻnalishi"),
        ("p", "Strategiyaning (A/RES/60/288) har bir yoʻnalishi boʻyicha seksiya yigʻilishi oʻtkaziladi:"),
        ("ol", "pillars"),
        ("h", "Ishtirokchilar"),
        (
            "p",
            "Toshkentda va onlayn tarzda 600 dan ortiq yuqori martabali mansabdor shaxslar va yetakchi "
            "ekspertlar ishtirok etishi kutilmoqda: Yevropa Ittifoqi, Markaziy va Janubiy Osiyo, Xitoy, "
            "Rossiya, AQSh, Yaqin Sharq va boshqa mamlakatlarning tahliliy markazlari; xalqaro va mintaqaviy "
            "tashkilotlar; fuqarolik jamiyati; BMTning Terrorizmga qarshi kurashni muvofiqlashtirish global "
            "kompakti ishtirokchilari; aʼzo davlatlarning maxsus vakillari va donor davlatlar.",
        ),
        ("h", "Kutilayotgan natijalar"),
        (
            "ul",
            [
                "Toshkent deklaratsiyasi: unda Markaziy Osiyo mamlakatlari terrorizmga qarshi birgalikda kurashishga "
                "sodiqligini tasdiqlaydi va yaqin istiqboldagi aniq vazifalarni belgilaydi.",
                "Markaziy Osiyo uchun yangilangan Qoʻshma harakatlar rejasi.",
            ],
        ),
    ],
}

PROGRAMME: dict[str, list[Block]] = {
    "en": [
        ("mark", "DRAFT — subject to change. Times will be confirmed (Tashkent time, UTC+5)."),
        ("h", "Day 1 — Thursday, 3 March 2022"),
        (
            "table",
            [
                [
                    "Registration",
                    "Badge collection and security screening at the venue. Online participants join "
                    "through the video-conference links sent by e-mail.",
                ],
                [
                    "Opening ceremony",
                    "Address on behalf of the President of the Republic of Uzbekistan Shavkat "
                    "Mirziyoyev; video message from UN Secretary-General António Guterres; "
                    "statements by OSCE Secretary General Helga Maria Schmid, UN Under-Secretary-"
                    "General for Counter-Terrorism Vladimir Voronkov, Special Representative of the "
                    "Secretary-General and Head of UNRCCA Natalia Gherman and SCO Secretary-General "
                    "Zhang Ming.",
                ],
                [
                    "High-level plenary",
                    "Statements by the heads of delegation of Kazakhstan, Kyrgyzstan, Tajikistan, "
                    "Turkmenistan and Uzbekistan.",
                ],
                [
                    "Breakout panels I–IV",
                    "Four parallel panel discussions, one on each pillar of the UN Global "
                    "Counter-Terrorism Strategy (see below).",
                ],
                [
                    "Closing of the high-level segment",
                    "Adoption of the Tashkent Declaration and of the updated Joint Plan of Action for Central Asia.",
                ],
            ],
        ),
        ("h", "Day 2 — Friday, 4 March 2022"),
        (
            "table",
            [
                [
                    "Side event 1",
                    "The role of the SCO Regional Anti-Terrorist Structure (RATS) in strengthening "
                    "cooperation between the states of Central Asia within the framework of the JPoA.",
                ],
                [
                    "Side event 2",
                    "Implementing the UN Global Counter-Terrorism Strategy: gender aspects in the work "
                    "with women and children returning from war zones.",
                ],
                ["Side event 3", "Financial support for programmes to counter terrorism."],
                ["Closing session", "Reports from the breakout panels and side events; closing remarks."],
            ],
        ),
        ("p", "The side events are organised by SCO RATS, the OSCE, UNOCT and their partners."),
        ("h", "Breakout panels"),
        ("ol", "pillars"),
    ],
    "ru": [
        ("mark", "ПРОЕКТ — возможны изменения. Время будет уточнено (ташкентское время, UTC+5)."),
        ("h", "День 1 — четверг, 3 марта 2022 года"),
        (
            "table",
            [
                [
                    "Регистрация",
                    "Получение бейджей и досмотр на площадке. Онлайн-участники подключаются по ссылкам "
                    "на видеоконференцию, направленным по электронной почте.",
                ],
                [
                    "Церемония открытия",
                    "Обращение от имени Президента Республики Узбекистан Шавката Мирзиёева; "
                    "видеообращение Генерального секретаря ООН Антониу Гутерриша; выступления "
                    "Генерального секретаря ОБСЕ Хельги Марии Шмид, заместителя Генерального "
                    "секретаря ООН по борьбе с терроризмом Владимира Воронкова, Специального "
                    "представителя Генерального секретаря ООН, главы РЦПДЦА Натальи Герман и "
                    "Генерального секретаря ШОС Чжан Мина.",
                ],
                [
                    "Пленарное заседание высокого уровня",
                    "Выступления глав делегаций Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана.",
                ],
                [
                    "Секционные заседания I–IV",
                    "Четыре параллельные панельные дискуссии — по каждому направлению "
                    "Глобальной контртеррористической стратегии ООН (см. ниже).",
                ],
                [
                    "Закрытие сегмента высокого уровня",
                    "Принятие Ташкентской декларации и обновлённого Совместного плана действий для Центральной Азии.",
                ],
            ],
        ),
        ("h", "День 2 — пятница, 4 марта 2022 года"),
        (
            "table",
            [
                [
                    "Параллельное мероприятие 1",
                    "Роль Региональной антитеррористической структуры (РАТС) ШОС в "
                    "укреплении сотрудничества государств Центральной Азии в рамках СПД.",
                ],
                [
                    "Параллельное мероприятие 2",
                    "Реализация Глобальной контртеррористической стратегии ООН: гендерные "
                    "аспекты работы с женщинами и детьми, возвращающимися из зон военных "
                    "действий.",
                ],
                ["Параллельное мероприятие 3", "Финансовая поддержка программ по противодействию терроризму."],
                [
                    "Заключительное заседание",
                    "Доклады секционных заседаний и параллельных мероприятий; заключительные выступления.",
                ],
            ],
        ),
        ("p", "Параллельные мероприятия организуют РАТС ШОС, ОБСЕ, КТУ ООН и их партнёры."),
        ("h", "Секционные заседания"),
        ("ol", "pillars"),
    ],
    "uz": [
        ("mark", "LOYIHA — oʻzgarishi mumkin. Vaqtlar aniqlashtiriladi (Toshkent vaqti, UTC+5)."),
        ("h", "1-kun — payshanba, 2022-yil 3-mart"),
        (
            "table",
            [
                [
                    "Roʻyxatdan oʻtish",
                    "Beyjlarni olish va tadbir joyida xavfsizlik tekshiruvi. Onlayn ishtirokchilar "
                    "elektron pochta orqali yuborilgan videokonferensiya havolalari orqali ulanadi.",
                ],
                [
                    "Ochilish marosimi",
                    "Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev nomidan murojaat; BMT "
                    "Bosh kotibi António Guterresning videomurojaati; YXHT Bosh kotibi Helga Maria "
                    "Schmid, BMT Bosh kotibining terrorizmga qarshi kurash boʻyicha oʻrinbosari "
                    "Vladimir Voronkov, BMT Bosh kotibining maxsus vakili, UNRCCA rahbari Natalia "
                    "Gherman va ShHT Bosh kotibi Zhang Mingning nutqlari.",
                ],
                [
                    "Yuqori darajadagi yalpi majlis",
                    "Qozogʻiston, Qirgʻiziston, Tojikiston, Turkmaniston va "
                    "Oʻzbekiston delegatsiyalari rahbarlarining nutqlari.",
                ],
                [
                    "I–IV seksiya yigʻilishlari",
                    "BMTning Terrorizmga qarshi kurash global strategiyasining har bir "
                    "yoʻnalishi boʻyicha toʻrtta parallel panel muhokamasi (quyida).",
                ],
                [
                    "Yuqori darajadagi qismning yopilishi",
                    "Toshkent deklaratsiyasi va Markaziy Osiyo uchun "
                    "yangilangan Qoʻshma harakatlar rejasining qabul qilinishi.",
                ],
            ],
        ),
        ("h", "2-kun — juma, 2022-yil 4-mart"),
        (
            "table",
            [
                [
                    "1-parallel tadbir",
                    "Markaziy Osiyo davlatlarining QHR doirasidagi hamkorligini mustahkamlashda ShHT "
                    "Mintaqaviy aksilterror tuzilmasining (MATT) roli.",
                ],
                [
                    "2-parallel tadbir",
                    "BMTning Terrorizmga qarshi kurash global strategiyasini amalga oshirish: urush "
                    "hududlaridan qaytayotgan ayollar va bolalar bilan ishlashning gender jihatlari.",
                ],
                ["3-parallel tadbir", "Terrorizmga qarshi kurash dasturlarini moliyaviy qoʻllab-quvvatlash."],
                ["Yopilish majlisi", "Seksiya yigʻilishlari va parallel tadbirlar hisobotlari; yakuniy nutqlar."],
            ],
        ),
        ("p", "Parallel tadbirlarni ShHT MATT, YXHT, UNOCT va ularning hamkorlari tashkil etadi."),
        ("h", "Seksiya yigʻilishlari"),
        ("ol", "pillars"),
    ],
}

ATTENDEE_INFO: dict[str, list[Block]] = {
    "en": [
        ("h", "Format"),
        (
            "p",
            "The conference is held in a hybrid format: in person in Tashkent and online. Online participants "
            "receive the video-conference links in separate e-mails.",
        ),
        ("h", "Registration"),
        (
            "p",
            "Register on the conference website with your names, organisation, position, country and e-mail "
            "address, a recent passport-style photo (JPEG, at most 300 KB), and say whether you will take "
            "part in person or online. The organisers approve each registration and confirm it by e-mail.",
        ),
        ("h", "Badges"),
        (
            "p",
            "Participants attending in person receive a personal badge with their photo. Wear it visibly at "
            "all times in the venue: it shows your category and the areas you may enter. Badges may not be "
            "passed on to anyone else.",
        ),
        ("h", "Security screening"),
        (
            "p",
            "Everyone entering the venue passes a security screening. Bring the identity document you "
            "registered with and allow extra time at the entrance.",
        ),
        ("h", "Languages and time"),
        ("p", "The conference languages are English, Russian and Uzbek. All times are Tashkent time (UTC+5)."),
        ("h", "Contacts"),
        ("p", "Public relations coordinators (ISRS, UN, OSCE):"),
        ("ul", "contacts"),
        ("p", "Conference website: https://gcts-ca.uz/en"),
    ],
    "ru": [
        ("h", "Формат"),
        (
            "p",
            "Конференция проходит в гибридном формате: очно в Ташкенте и онлайн. Онлайн-участники получают "
            "ссылки на видеоконференцию отдельными письмами.",
        ),
        ("h", "Регистрация"),
        (
            "p",
            "Зарегистрируйтесь на сайте конференции: укажите имя и фамилию, организацию, должность, страну и "
            "адрес электронной почты, приложите недавнюю фотографию паспортного формата (JPEG, не более "
            "300 КБ) и выберите очное или онлайн-участие. Организаторы рассматривают каждую заявку и "
            "подтверждают её по электронной почте.",
        ),
        ("h", "Бейджи"),
        (
            "p",
            "Очные участники получают именной бейдж с фотографией. Носите его на виду всё время пребывания на "
            "площадке: бейдж показывает вашу категорию и зоны, в которые вы можете проходить. Передавать бейдж "
            "другим лицам нельзя.",
        ),
        ("h", "Досмотр"),
        (
            "p",
            "Все входящие на площадку проходят досмотр. Возьмите с собой документ, удостоверяющий личность, "
            "указанный при регистрации, и заложите дополнительное время на вход.",
        ),
        ("h", "Языки и время"),
        ("p", "Языки конференции — английский, русский и узбекский. Всё время указано по Ташкенту (UTC+5)."),
        ("h", "Контакты"),
        ("p", "Координаторы по связям с общественностью (ИСМИ, ООН, ОБСЕ):"),
        ("ul", "contacts"),
        ("p", "Сайт конференции: https://gcts-ca.uz/en"),
    ],
    "uz": [
        ("h", "Format"),
        (
            "p",
            "Konferensiya gibrid formatda oʻtkaziladi: Toshkentda bevosita va onlayn. Onlayn ishtirokchilar "
            "videokonferensiya havolalarini alohida elektron xatlarda oladi.",
        ),
        ("h", "Roʻyxatdan oʻtish"),
        (
            "p",
            "Konferensiya saytida roʻyxatdan oʻting: ism-familiyangiz, tashkilotingiz, lavozimingiz, mamlakatingiz "
            "va elektron pochta manzilingizni kiriting, pasport uslubidagi yaqinda olingan suratingizni (JPEG, "
            "koʻpi bilan 300 KB) yuklang hamda bevosita yoki onlayn ishtirok etishingizni tanlang. "
            "Tashkilotchilar har bir arizani koʻrib chiqadi va elektron pochta orqali tasdiqlaydi.",
        ),
        ("h", "Beyjlar"),
        (
            "p",
            "Bevosita ishtirok etuvchilar suratli shaxsiy beyj oladi. Tadbir joyida uni doimo koʻrinadigan "
            "qilib taqib yuring: beyj sizning toifangizni va kirishingiz mumkin boʻlgan hududlarni koʻrsatadi. "
            "Beyjni boshqa shaxsga berish mumkin emas.",
        ),
        ("h", "Xavfsizlik tekshiruvi"),
        (
            "p",
            "Tadbir joyiga kiruvchi har bir kishi xavfsizlik tekshiruvidan oʻtadi. Roʻyxatdan oʻtishda "
            "koʻrsatilgan shaxsni tasdiqlovchi hujjatni olib keling va kirish uchun qoʻshimcha vaqt ajrating.",
        ),
        ("h", "Tillar va vaqt"),
        (
            "p",
            "Konferensiya tillari — ingliz, rus va oʻzbek tillari. Barcha vaqtlar Toshkent vaqti (UTC+5) "
            "boʻyicha koʻrsatilgan.",
        ),
        ("h", "Aloqa"),
        ("p", "Jamoatchilik bilan aloqalar boʻyicha koordinatorlar (SMTI, BMT, YXHT):"),
        ("ul", "contacts"),
        ("p", "Konferensiya sayti: https://gcts-ca.uz/en"),
    ],
}

CONTENT = {"concept_note": CONCEPT_NOTE, "programme": PROGRAMME, "attendee_info": ATTENDEE_INFO}


def _flowables(blocks: list[Block], language: str) -> list:
    story = []
    for kind, value in blocks:
        if kind == "h":
            story.append(pdf.heading(value))
        elif kind == "p":
            story.append(pdf.paragraph(value))
        elif kind == "mark":
            story.append(pdf.marking(value))
        elif kind == "ul":
            story.append(pdf.bullets(_contacts_lines() if value == "contacts" else value))
        elif kind == "ol":
            items = [p["title"][language] for p in PILLARS] if value == "pillars" else value
            story.append(pdf.bullets(items, numbered=True))
        elif kind == "table":
            story.append(pdf.table(value, col_widths_mm=[48, 122]))
        else:  # pragma: no cover - content error
            raise ValueError(f"unknown block {kind!r}")
    return story


def render(kind: str, language: str) -> bytes:
    """The PDF of one document (``concept_note``, ``programme``, ``attendee_info``) in one language."""
    title = DOCUMENT_TITLES[kind][language]
    story = [
        pdf.title(title),
        pdf.subtitle(EVENT["title"][language]),
        pdf.paragraph(EVENT_LINE[language]),
        pdf.paragraph(PUBLISHED[language], "small"),
        pdf.spacer(3),
        *_flowables(CONTENT[kind][language], language),
    ]
    return pdf.build_a4(
        story,
        title=title,
        author=AUTHOR,
        subject=EVENT["title"][language],
        language=language,
        footer=FOOTER[language],
    )
