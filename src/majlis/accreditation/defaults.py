"""Defaults for a new event: participant categories and the first privacy notice, in English, Russian and Uzbek.

Organisers change everything afterwards; ``services.ensure_event_setup`` only creates what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import DEFAULT_RETENTION_DAYS, AccreditationSettings, Category, PrivacyNotice, SupportingDocument

NV = SupportingDocument.NOTE_VERBALE
NL = SupportingDocument.NOMINATION_LETTER
PC = SupportingDocument.PRESS_CARD


@dataclass(frozen=True)
class CategoryDefault:
    code: str
    name_en: str
    name_ru: str
    name_uz: str
    colour: str
    needs_approval: bool = True
    required_document: str = ""
    allows_in_person: bool = True
    allows_online: bool = True
    public_listing_allowed: bool = True
    self_registration: bool = False
    for_delegations: bool = True


DEFAULT_CATEGORIES: tuple[CategoryDefault, ...] = (
    CategoryDefault(
        "head-of-state",
        "Head of State/Government",
        "Глава государства/правительства",
        "Davlat/hukumat rahbari",
        "#7a1f1f",
        required_document=NV,
    ),
    CategoryDefault(
        "minister",
        "Minister / Head of Delegation",
        "Министр / глава делегации",
        "Vazir / delegatsiya rahbari",
        "#a4262c",
        required_document=NV,
    ),
    CategoryDefault(
        "delegate",
        "Delegate of a Member State",
        "Делегат государства-члена",
        "Aʼzo davlat delegati",
        "#1f4e79",
        required_document=NV,
    ),
    CategoryDefault(
        "organisation",
        "International or regional organisation",
        "Международная или региональная организация",
        "Xalqaro yoki mintaqaviy tashkilot",
        "#2e6b30",
        required_document=NL,
    ),
    CategoryDefault(
        "un-system",
        "UN system entity",
        "Структура системы ООН",
        "BMT tizimi tuzilmasi",
        "#0b5e8e",
        required_document=NL,
    ),
    CategoryDefault(
        "expert",
        "Expert / think tank",
        "Эксперт / аналитический центр",
        "Ekspert / tahliliy markaz",
        "#5b3f8c",
        self_registration=True,
    ),
    CategoryDefault(
        "civil-society",
        "Civil society",
        "Гражданское общество",
        "Fuqarolik jamiyati",
        "#00695c",
        self_registration=True,
    ),
    CategoryDefault(
        "media",
        "Media",
        "СМИ",
        "Ommaviy axborot vositalari",
        "#b34700",
        required_document=PC,
        self_registration=True,
        for_delegations=False,
    ),
    CategoryDefault("donor", "Donor", "Донор", "Donor", "#6d4c41"),
    CategoryDefault(
        "organiser-staff",
        "Organiser staff",
        "Персонал организаторов",
        "Tashkilotchilar xodimlari",
        "#37474f",
        needs_approval=False,
        allows_online=False,
        public_listing_allowed=False,
        for_delegations=False,
    ),
    CategoryDefault(
        "interpreter",
        "Interpreter",
        "Переводчик",
        "Tarjimon",
        "#4e342e",
        needs_approval=False,
        public_listing_allowed=False,
        for_delegations=False,
    ),
    CategoryDefault(
        "security-support",
        "Security and support",
        "Безопасность и обслуживание",
        "Xavfsizlik va xizmat koʻrsatish",
        "#212121",
        allows_online=False,
        public_listing_allowed=False,
        for_delegations=False,
    ),
)


# The categories a delegation's members usually have, by kind of delegation. An organiser may allow
# others when inviting it, but never one that is not ``for_delegations`` (staff, interpreters,
# security, media: the organisers accredit those themselves).
DELEGATION_CATEGORY_CODES: dict[str, tuple[str, ...]] = {
    "member_state": ("head-of-state", "minister", "delegate"),
    "observer": ("minister", "delegate"),
    "organisation": ("organisation", "un-system"),
}


def create_default_categories(event: Any) -> list[Category]:
    """Create the default categories the event does not have yet (matched by code)."""
    existing = set(Category.objects.filter(event=event).values_list("code", flat=True))
    created = []
    for position, default in enumerate(DEFAULT_CATEGORIES, start=1):
        if default.code in existing:
            continue
        created.append(
            Category.objects.create(
                event=event,
                code=default.code,
                name_en=default.name_en,
                name_ru=default.name_ru,
                name_uz=default.name_uz,
                colour=default.colour,
                needs_approval=default.needs_approval,
                required_document=default.required_document,
                allows_in_person=default.allows_in_person,
                allows_online=default.allows_online,
                public_listing_allowed=default.public_listing_allowed,
                self_registration=default.self_registration,
                for_delegations=default.for_delegations,
                position=position * 10,
            )
        )
    return created


PRIVACY_NOTICE_EN = """\
## How we handle your personal data

**Who is responsible.** The organisers of {title} decide why and how your data is used. Write to
them through the contacts page of the event website with any question about your data.

**What we collect.** Your names as in your passport and in your own script, honorific, gender,
nationality, organisation and position, e-mail address and phone number, preferred language, the
way you take part (in person or online), your photo, the sessions you want to attend, and any
interpretation, accessibility or dietary needs you tell us. If you attend in person, also your
passport number, its expiry date and issuing country, and your arrival and departure details. If
your category needs one, the supporting document you upload (nomination letter, press card) or
that your delegation's focal point uploads (note verbale).

**Why.** To decide on your accreditation, print your badge and let you into the venue, reserve
seats in the sessions, arrange interpretation, access and meals, and write to you about your
participation. Your gender is used only for overall gender-balance figures. The host country's
security services may need the passport data of in-person participants to admit them to the venue.

**Who sees it.** The organisers' accreditation staff. If you are part of a delegation, its focal
point sees the data of the delegation's members. Passport data is shown only to the few staff
allowed to see it and to the host country's security services when they require it for entry;
it is never sent by e-mail. Your name, organisation, position and country appear in the public
list of participants only if you ask for it, and you can change your mind at any time.

**Where it is kept, and for how long.** Everything, photos and documents included, is stored on
the organiser's own server in Uzbekistan, as Uzbekistan's personal data law requires. Passport
numbers are encrypted, files are never available at a public address, and every access to your
data is recorded. Your personal data is deleted {days} days after the event ends; only anonymous
figures (for example, the number of participants per country) are kept.

**Your rights.** In your account you can see and correct your data, download all of it as a file,
withdraw from the public list of participants, and ask for your data to be deleted. Deleting your
data cancels your accreditation.
"""

PRIVACY_NOTICE_RU = """\
## Как мы обращаемся с вашими персональными данными

**Кто отвечает.** Организаторы мероприятия «{title}» определяют, зачем и как используются ваши
данные. С любыми вопросами о ваших данных обращайтесь к ним через страницу контактов сайта
мероприятия.

**Что мы собираем.** Ваши имя и фамилию, как в паспорте и в вашей собственной письменности,
обращение, пол, гражданство, организацию и должность, адрес электронной почты и номер телефона,
предпочитаемый язык, форму участия (очно или онлайн), фотографию, сессии, которые вы хотите
посетить, а также сообщённые вами потребности в устном переводе, доступности и питании. Если вы
участвуете очно, также номер паспорта, срок его действия и страну выдачи, сведения о прибытии и
отъезде. Если этого требует ваша категория — подтверждающий документ, загруженный вами
(письмо о назначении, удостоверение журналиста) или координатором вашей делегации (вербальная нота).

**Зачем.** Чтобы принять решение о вашей аккредитации, напечатать бейдж и пропустить вас на место
проведения, зарезервировать места на сессиях, организовать перевод, доступность и питание и
писать вам о вашем участии. Пол используется только для общих показателей гендерного баланса.
Службам безопасности принимающей страны могут потребоваться паспортные данные очных участников,
чтобы допустить их на место проведения.

**Кто их видит.** Сотрудники организаторов, отвечающие за аккредитацию. Если вы входите в
делегацию, её координатор видит данные членов делегации. Паспортные данные доступны только
немногим сотрудникам, имеющим на это право, и службам безопасности принимающей страны, когда они
требуются для допуска; они никогда не отправляются по электронной почте. Ваши имя, организация,
должность и страна появляются в публичном списке участников, только если вы об этом попросите;
вы можете передумать в любой момент.

**Где и как долго они хранятся.** Все данные, включая фотографии и документы, хранятся на
собственном сервере организатора в Узбекистане, как того требует закон Узбекистана о
персональных данных. Номера паспортов зашифрованы, файлы никогда не доступны по публичному
адресу, каждое обращение к вашим данным записывается. Ваши персональные данные удаляются через
{days} дней после окончания мероприятия; сохраняются только обезличенные показатели (например,
число участников по странам).

**Ваши права.** В личном кабинете вы можете просмотреть и исправить свои данные, скачать их все
одним файлом, отказаться от публичного списка участников и попросить удалить ваши данные.
Удаление данных отменяет вашу аккредитацию.
"""

PRIVACY_NOTICE_UZ = """\
## Shaxsiy maʼlumotlaringiz bilan qanday ishlaymiz

**Kim javobgar.** «{title}» tadbiri tashkilotchilari maʼlumotlaringiz nima uchun va qanday
ishlatilishini belgilaydi. Maʼlumotlaringiz boʻyicha har qanday savol bilan ularga tadbir
saytidagi aloqa sahifasi orqali murojaat qiling.

**Nimalarni yigʻamiz.** Pasportdagi va oʻz yozuvingizdagi ism-familiyangiz, murojaat shakli,
jinsingiz, fuqaroligingiz, tashkilotingiz va lavozimingiz, elektron pochta manzilingiz va telefon
raqamingiz, afzal koʻrgan tilingiz, ishtirok shakli (shaxsan yoki onlayn), suratingiz, qatnashmoqchi
boʻlgan sessiyalaringiz, shuningdek siz maʼlum qilgan tarjima, qulaylik va ovqatlanish
ehtiyojlaringiz. Agar shaxsan qatnashsangiz, pasport raqamingiz, uning amal qilish muddati va
bergan davlat, kelish va ketish maʼlumotlaringiz ham. Agar toifangiz talab qilsa, siz yuklagan
tasdiqlovchi hujjat (tayinlash xati, jurnalist guvohnomasi) yoki delegatsiyangiz koordinatori
yuklagan hujjat (verbal nota).

**Nima uchun.** Akkreditatsiyangiz boʻyicha qaror qabul qilish, beyjingizni chop etish va sizni
tadbir oʻtkaziladigan joyga kiritish, sessiyalarda joy band qilish, tarjima, qulaylik va
ovqatlanishni tashkil etish hamda ishtirokingiz haqida sizga xat yozish uchun. Jinsingiz faqat
umumiy gender muvozanati koʻrsatkichlari uchun ishlatiladi. Mezbon davlatning xavfsizlik
xizmatlari shaxsan qatnashuvchilarni tadbir joyiga kiritish uchun ularning pasport
maʼlumotlarini talab qilishi mumkin.

**Ularni kim koʻradi.** Tashkilotchilarning akkreditatsiya xodimlari. Agar siz delegatsiya
tarkibida boʻlsangiz, uning koordinatori delegatsiya aʼzolarining maʼlumotlarini koʻradi. Pasport
maʼlumotlari faqat bunga ruxsati bor bir necha xodimga va kirish uchun talab qilinganda mezbon
davlatning xavfsizlik xizmatlariga koʻrsatiladi; ular hech qachon elektron pochta orqali
yuborilmaydi. Ismingiz, tashkilotingiz, lavozimingiz va davlatingiz ishtirokchilarning ochiq
roʻyxatida faqat siz soʻrasangiz paydo boʻladi; fikringizni istalgan vaqtda oʻzgartirishingiz mumkin.

**Qayerda va qancha muddat saqlanadi.** Barcha maʼlumotlar, jumladan suratlar va hujjatlar,
Oʻzbekistonning shaxsga doir maʼlumotlar toʻgʻrisidagi qonuni talabiga koʻra, tashkilotchining
Oʻzbekistondagi oʻz serverida saqlanadi. Pasport raqamlari shifrlangan, fayllar hech qachon ochiq
manzilda mavjud emas va maʼlumotlaringizga har bir murojaat qayd etiladi. Shaxsiy
maʼlumotlaringiz tadbir tugaganidan {days} kun oʻtgach oʻchiriladi; faqat anonim koʻrsatkichlar
(masalan, har bir davlatdan kelgan ishtirokchilar soni) saqlanadi.

**Huquqlaringiz.** Shaxsiy kabinetingizda maʼlumotlaringizni koʻrishingiz va tuzatishingiz,
ularning barchasini bitta fayl sifatida yuklab olishingiz, ishtirokchilarning ochiq roʻyxatidan
chiqishingiz va maʼlumotlaringizni oʻchirishni soʻrashingiz mumkin. Maʼlumotlaringizni oʻchirish
akkreditatsiyangizni bekor qiladi.
"""


def create_privacy_notice(event: Any) -> PrivacyNotice | None:
    """Version 1 of the privacy notice, if the event has none yet."""
    if PrivacyNotice.objects.filter(event=event).exists():
        return None
    days = (
        AccreditationSettings.objects.filter(event=event).values_list("retention_days", flat=True).first()
        or DEFAULT_RETENTION_DAYS
    )

    def title(language: str) -> str:
        return getattr(event, f"title_{language}", "") or event.title_en or event.title

    return PrivacyNotice.objects.create(
        event=event,
        version=1,
        text_en=PRIVACY_NOTICE_EN.format(title=title("en"), days=days),
        text_ru=PRIVACY_NOTICE_RU.format(title=title("ru"), days=days),
        text_uz=PRIVACY_NOTICE_UZ.format(title=title("uz"), days=days),
    )
