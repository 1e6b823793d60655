"""Demo accreditations for the Tashkent conference: three delegations and about twenty applications.

Every person here is invented: names are made up in Latin, Cyrillic and Chinese script, e-mail
addresses are at example.org, and passport numbers are obviously fake (``DEMO0001`` …). Nothing
belongs to a real person. The demo users of the event demo take part: ``focalpoint`` is the focal
point of Kazakhstan's delegation, ``participant`` and ``journalist`` have an application each.

``load_demo_accreditation`` is idempotent: delegations are matched by their organisation, applications
by their e-mail address within the event; what exists is left as it is, so a second run changes
nothing. Everything goes through ``services.py`` (audited, mailed through the task queue).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from PIL import Image, ImageDraw

from majlis.events.models import Event, Organisation

from . import photos, services
from .models import Application, Category, Delegation, Mode, SupportingDocument

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

S = Application.Status
G = Application.Gender
H = Application.Honorific

# A one-page PDF that says what it is: demo content, not a real document.
DEMO_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 1/Kids[3 0 R]>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 62>>stream\nBT /F1 18 Tf 72 760 Td (Demo document - not a real one) Tj ET\nendstream\nendobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PASSPORT_EXPIRY = date(2029, 12, 31)
DEMO_CAPACITY = 300  # in-person seats of the demo conference


@dataclass(frozen=True)
class DemoPerson:
    email: str
    category: str
    family_name: str
    given_names: str
    nationality: str
    gender: str
    organisation: str
    position: str
    status: str
    name_native: str = ""
    honorific: str = ""
    mode: str = Mode.IN_PERSON
    language: str = "en"
    listed_publicly: bool = False
    passport: str = ""
    head: bool = False
    reason: str = ""
    username: str = ""  # a demo account that applies itself
    press_card: bool = False
    side_events: int = 0  # how many of the demo side events the person asks for
    photo: bool = False  # a drawn portrait (``demo_photo``), for the badge


@dataclass(frozen=True)
class DemoDelegation:
    organisation_en: str
    kind: str
    country: str
    focal_point_email: str
    language: str
    default_category: str
    state: str  # open, submitted or approved
    members: tuple[DemoPerson, ...]
    focal_point_username: str = ""
    organisation: dict[str, Any] = field(default_factory=dict)  # created when missing


KAZAKHSTAN = DemoDelegation(
    organisation_en="Ministry of Foreign Affairs of the Republic of Kazakhstan",
    organisation={
        "name_ru": "Министерство иностранных дел Республики Казахстан",
        "name_uz": "Qozogʻiston Respublikasi Tashqi ishlar vazirligi",
        "acronym_en": "MFA KZ",
        "kind": Organisation.Kind.GOVERNMENT,
        "country": "KZ",
    },
    kind=Delegation.Kind.MEMBER_STATE,
    country="KZ",
    focal_point_email="focalpoint@example.org",
    focal_point_username="focalpoint",
    language="ru",
    default_category="delegate",
    state="approved",
    members=(
        DemoPerson(
            "demo.kz.head@example.org",
            "minister",
            "Demoyev",
            "Yerlan",
            "KZ",
            G.MALE,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Deputy Minister of Foreign Affairs",
            S.APPROVED,
            name_native="Ерлан Демоев",
            honorific=H.HE,
            language="ru",
            listed_publicly=True,
            passport="DEMO0001",
            head=True,
            side_events=1,
        ),
        DemoPerson(
            "demo.kz.delegate1@example.org",
            "delegate",
            "Nurlanova",
            "Aigerim",
            "KZ",
            G.FEMALE,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Director, Department of Security",
            S.APPROVED,
            name_native="Айгерим Нурланова",
            honorific=H.MS,
            language="ru",
            listed_publicly=True,
            passport="DEMO0002",
        ),
        DemoPerson(
            "demo.kz.delegate2@example.org",
            "delegate",
            "Seitkali",
            "Daniyar",
            "KZ",
            G.MALE,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "Counsellor",
            S.APPROVED,
            name_native="Данияр Сейткали",
            honorific=H.MR,
            mode=Mode.ONLINE,
            language="ru",
        ),
        DemoPerson(
            "demo.kz.delegate3@example.org",
            "delegate",
            "Tokhtarova",
            "Saule",
            "KZ",
            G.UNDISCLOSED,
            "Ministry of Foreign Affairs of the Republic of Kazakhstan",
            "First Secretary",
            S.UNDER_REVIEW,
            name_native="Сауле Тохтарова",
            language="ru",
            passport="DEMO0003",
        ),
    ),
)

KYRGYZSTAN = DemoDelegation(
    organisation_en="Ministry of Foreign Affairs of the Kyrgyz Republic",
    organisation={
        "name_ru": "Министерство иностранных дел Кыргызской Республики",
        "name_uz": "Qirgʻiziston Respublikasi Tashqi ishlar vazirligi",
        "acronym_en": "MFA KG",
        "kind": Organisation.Kind.GOVERNMENT,
        "country": "KG",
    },
    kind=Delegation.Kind.MEMBER_STATE,
    country="KG",
    focal_point_email="demo.kg.focalpoint@example.org",
    language="ru",
    default_category="delegate",
    state="open",
    members=(
        DemoPerson(
            "demo.kg.head@example.org",
            "minister",
            "Asanbekov",
            "Bakyt",
            "KG",
            G.MALE,
            "Ministry of Foreign Affairs of the Kyrgyz Republic",
            "State Secretary",
            S.DRAFT,
            name_native="Бакыт Асанбеков",
            honorific=H.HE,
            language="ru",
            passport="DEMO0004",
            head=True,
        ),
        DemoPerson(
            "demo.kg.delegate1@example.org",
            "delegate",
            "Toktomusheva",
            "Gulnara",
            "KG",
            G.FEMALE,
            "Ministry of Foreign Affairs of the Kyrgyz Republic",
            "Head of Division",
            S.DRAFT,
            name_native="Гульнара Токтомушева",
            honorific=H.MS,
            language="ru",
            passport="DEMO0005",
        ),
    ),
)

UNOCT = DemoDelegation(
    organisation_en="United Nations Office of Counter-Terrorism",
    organisation={"acronym_en": "UNOCT", "kind": Organisation.Kind.UN_ENTITY},
    kind=Delegation.Kind.ORGANISATION,
    country="",
    focal_point_email="demo.unoct.focalpoint@example.org",
    language="en",
    default_category="un-system",
    state="submitted",
    members=(
        DemoPerson(
            "demo.unoct.1@example.org",
            "un-system",
            "Brandtner",
            "Helena",
            "AT",
            G.FEMALE,
            "United Nations Office of Counter-Terrorism",
            "Programme Management Officer",
            S.UNDER_REVIEW,
            honorific=H.MS,
            passport="DEMO0006",
            head=True,
            side_events=2,
        ),
        DemoPerson(
            "demo.unoct.2@example.org",
            "un-system",
            "Rakhimberdiev",
            "Timur",
            "UZ",
            G.MALE,
            "United Nations Office of Counter-Terrorism",
            "Associate Programme Officer",
            S.SUBMITTED,
            name_native="Тимур Рахимбердиев",
            honorific=H.MR,
            language="ru",
            mode=Mode.ONLINE,
        ),
    ),
)

DELEGATIONS = (KAZAKHSTAN, KYRGYZSTAN, UNOCT)

INDIVIDUALS: tuple[DemoPerson, ...] = (
    DemoPerson(
        "participant@example.org",
        "expert",
        "Yılmaz",
        "Ayşe",
        "TR",
        G.FEMALE,
        "Centre for Regional Security Studies (demo)",
        "Senior Research Fellow",
        S.APPROVED,
        honorific=H.DR,
        listed_publicly=True,
        passport="DEMO0007",
        username="participant",
        side_events=2,
    ),
    DemoPerson(
        "journalist@example.org",
        "media",
        "Qodirova",
        "Nodira",
        "UZ",
        G.FEMALE,
        "Tashkent Daily Herald (demo)",
        "Correspondent",
        S.APPROVED,
        name_native="Нодира Кодирова",
        honorific=H.MS,
        language="uz",
        listed_publicly=True,
        passport="DEMO0008",
        username="journalist",
        press_card=True,
    ),
    DemoPerson(
        "demo.expert.li@example.org",
        "expert",
        "Li",
        "Wei",
        "CN",
        G.UNDISCLOSED,
        "Institute for Eurasian Studies (demo)",
        "Research Professor",
        S.APPROVED,
        name_native="李伟",
        honorific=H.PROF,
        listed_publicly=True,
        passport="DEMO0009",
        side_events=1,
    ),
    DemoPerson(
        "demo.cso.ismoilov@example.org",
        "civil-society",
        "Ismoilzoda",
        "Farrukh",
        "TJ",
        G.MALE,
        "Dushanbe Youth Initiative (demo)",
        "Programme Coordinator",
        S.SUBMITTED,
        name_native="Фаррух Исмоилзода",
        honorific=H.MR,
        language="ru",
        passport="DEMO0010",
    ),
    DemoPerson(
        "demo.cso.karimova@example.org",
        "civil-society",
        "Karimbekova",
        "Dilnoza",
        "UZ",
        G.FEMALE,
        "Women for Peace Network Uzbekistan (demo)",
        "Chair",
        S.APPROVED,
        name_native="Дилноза Каримбекова",
        honorific=H.MS,
        language="uz",
        listed_publicly=True,
        passport="DEMO0011",
    ),
    DemoPerson(
        "demo.expert.qurbonov@example.org",
        "expert",
        "Qurbonmurodov",
        "Aziz",
        "UZ",
        G.MALE,
        "Independent consultant (demo)",
        "Consultant",
        S.REJECTED,
        language="uz",
        passport="DEMO0012",
        reason="The organisation named in the application could not be verified. You may apply again with a "
        "letter from your institution.",
    ),
    DemoPerson(
        "demo.media.melnik@example.org",
        "media",
        "Melnichenko",
        "Oksana",
        "KZ",
        G.FEMALE,
        "Steppe News Agency (demo)",
        "Editor",
        S.UNDER_REVIEW,
        name_native="Оксана Мельниченко",
        language="ru",
        passport="DEMO0013",
        press_card=True,
    ),
    DemoPerson(
        "demo.expert.annayev@example.org",
        "expert",
        "Annayevich",
        "Merdan",
        "TM",
        G.MALE,
        "Ashgabat Centre for Strategic Research (demo)",
        "Analyst",
        S.WAITLISTED,
        name_native="Мердан Аннаевич",
        honorific=H.MR,
        language="ru",
        passport="DEMO0014",
    ),
    DemoPerson(
        "demo.staff.tursunov@example.org",
        "organiser-staff",
        "Tursunboyev",
        "Jamshid",
        "UZ",
        G.MALE,
        "Institute for Strategic and Regional Studies",
        "Protocol Officer",
        S.APPROVED,
        name_native="Жамшид Турсунбоев",
        language="uz",
        passport="DEMO0015",
    ),
    DemoPerson(
        "demo.interpreter.nazarova@example.org",
        "interpreter",
        "Nazarbekova",
        "Zarina",
        "UZ",
        G.FEMALE,
        "Interpretation service (demo)",
        "Conference Interpreter (EN-RU-UZ)",
        S.APPROVED,
        name_native="Зарина Назарбекова",
        language="uz",
        passport="DEMO0016",
    ),
    DemoPerson(
        "demo.security.beishenov@example.org",
        "security-support",
        "Beishenaliev",
        "Rustam",
        "KG",
        G.UNDISCLOSED,
        "Venue security (demo)",
        "Security Coordinator",
        S.UNDER_REVIEW,
        name_native="Рустам Бейшеналиев",
        language="ru",
        passport="DEMO0017",
    ),
    DemoPerson(
        "demo.cso.bekova@example.org",
        "civil-society",
        "Bekmukhanova",
        "Ainur",
        "KZ",
        G.FEMALE,
        "Almaty Dialogue Forum (demo)",
        "Director",
        S.WITHDRAWN,
        name_native="Айнур Бекмуханова",
        language="ru",
        passport="DEMO0018",
        reason="Registered twice; the other application of this person is kept.",
    ),
    DemoPerson(
        "demo.expert.aliyev@example.org",
        "expert",
        "Alimardonov",
        "Sanjar",
        "UZ",
        G.MALE,
        "University of World Economy and Diplomacy (demo)",
        "Associate Professor",
        S.APPROVED,
        name_native="Санжар Алимардонов",
        honorific=H.DR,
        mode=Mode.ONLINE,
        language="uz",
        listed_publicly=True,
    ),
    DemoPerson(
        "demo.donor.hartmann@example.org",
        "donor",
        "Hartwig",
        "Claudia",
        "DE",
        G.FEMALE,
        "Demo Foundation for Security Cooperation",
        "Programme Director",
        S.SUBMITTED,
        honorific=H.MS,
        passport="DEMO0019",
    ),
)


# Backgrounds and tones of the drawn portraits: muted, like a passport photo's plain background.
_PHOTO_BACKGROUNDS = ("#dfe6ee", "#e8e2d6", "#dde8df", "#e6dfe9", "#ece6dc", "#dbe4e8")
_PHOTO_SKIN = ("#f1c7a5", "#d9a77f", "#b98158", "#8d5a3b", "#e8b894", "#c68e64")
_PHOTO_HAIR = ("#2b1d14", "#4a3222", "#1b1b1b", "#6b4a2f", "#8a8a8a", "#3b2a20")
_PHOTO_CLOTHES = ("#1f3b5a", "#3a3a3a", "#5a2430", "#24493a", "#4b4033", "#2e2e4f")


def demo_photo(seed: str) -> bytes:
    """A drawn head-and-shoulders portrait, the same for the same ``seed``: no real person's photo.

    It goes through ``photos.crop_photo`` like an upload, so it is stored exactly as a real one would be
    (35:45, 525 × 675 pixels, a JPEG without metadata).
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()

    def pick(options: tuple[str, ...], index: int) -> str:
        return options[digest[index] % len(options)]

    width, height = photos.OUTPUT_SIZE
    image = Image.new("RGB", (width, height), pick(_PHOTO_BACKGROUNDS, 0))
    draw = ImageDraw.Draw(image)
    skin, hair, clothes = pick(_PHOTO_SKIN, 1), pick(_PHOTO_HAIR, 2), pick(_PHOTO_CLOTHES, 3)
    centre = width // 2
    draw.ellipse((centre - 240, 480, centre + 240, 900), fill=clothes)  # shoulders
    draw.rectangle((centre - 45, 400, centre + 45, 500), fill=skin)  # neck
    hair_length = 40 + digest[4] % 160  # short to long
    draw.rounded_rectangle((centre - 135, 120, centre + 135, 300 + hair_length), radius=120, fill=hair)
    draw.ellipse((centre - 110, 150, centre + 110, 440), fill=skin)  # face
    draw.chord((centre - 118, 112, centre + 118, 330), 180, 360, fill=hair)  # hair over the forehead
    for eye in (-45, 45):
        draw.ellipse((centre + eye - 12, 285, centre + eye + 12, 301), fill="#2a2a2a")
    draw.arc((centre - 40, 340, centre + 40, 390), 20, 160, fill="#7a3b33", width=5)
    return photos.crop_photo(image)


class _Counter:
    def __init__(self) -> None:
        self.delegations = 0
        self.applications = 0

    def __bool__(self) -> bool:
        return bool(self.delegations or self.applications)


def _category(event: Event, code: str) -> Category:
    return Category.objects.get(event=event, code=code)


def _user(username: str) -> Any:
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _side_events(event: Event) -> list[Any]:
    from majlis.programme.models import Session, SessionKind

    return list(
        Session.objects.filter(event=event, kind=SessionKind.SIDE_EVENT, is_cancelled=False).order_by("starts_at", "id")
    )


def _person_data(event: Event, person: DemoPerson, side_events: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": _category(event, person.category),
        "honorific": person.honorific,
        "family_name": person.family_name,
        "given_names": person.given_names,
        "name_native": person.name_native,
        "gender": person.gender,
        "nationality": person.nationality,
        "organisation_name": person.organisation,
        "position": person.position,
        "email": person.email,
        "language": person.language,
        "mode": person.mode,
        "listed_publicly": person.listed_publicly,
        "consent": True,
    }
    if person.mode == Mode.IN_PERSON and person.passport:
        data.update(
            passport_number=person.passport,
            # Valid well after the event, also for the practice conference, whose dates move forward.
            passport_expiry=max(PASSPORT_EXPIRY, date(event.end_date.year + 5, 12, 31)),
            passport_country=person.nationality,
            arrival_at=datetime.combine(event.start_date, datetime.min.time(), tzinfo=event.tz).replace(hour=8)
            - timedelta(days=1),
            arrival_details="Flight (demo)",
        )
    if person.press_card:
        data["supporting_document"] = ContentFile(DEMO_PDF, name="press-card-demo.pdf")
    if person.photo:
        data["photo"] = ContentFile(demo_photo(person.email), name="photo.jpg")
    if person.side_events and side_events:
        data["sessions"] = side_events[: person.side_events]
    return data


def _decide(application: Application, person: DemoPerson) -> None:
    """Take a submitted application to the person's demo status."""
    if application.status == person.status:
        return
    target = person.status
    if target == S.UNDER_REVIEW:
        services.start_review(application, actor=None)
    elif target == S.APPROVED:
        services.approve_application(application, actor=None)
    elif target == S.WAITLISTED:
        services.waitlist_application(application, actor=None, reason="The expert places are taken for now.")
    elif target == S.REJECTED:
        services.start_review(application, actor=None)
        services.reject_application(application, actor=None, reason=person.reason)
    elif target == S.WITHDRAWN:
        services.withdraw_application(application, actor=None, reason=person.reason)


def _individual(event: Event, person: DemoPerson, side_events: list[Any], counter: _Counter) -> None:
    if Application.objects.filter(event=event, email__iexact=person.email).exists():
        return
    user = _user(person.username)
    application = services.create_application(
        event, data=_person_data(event, person, side_events), actor=user, user=user
    )
    counter.applications += 1
    if person.status == S.DRAFT:
        return
    services.submit_application(application, actor=user)
    application.refresh_from_db()
    _decide(application, person)


def _organisation(spec: DemoDelegation) -> Organisation:
    organisation = Organisation.objects.filter(name_en=spec.organisation_en).order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name_en=spec.organisation_en, **spec.organisation)
    return organisation


def _delegation(event: Event, spec: DemoDelegation, side_events: list[Any], counter: _Counter) -> None:
    organisation = _organisation(spec)
    if Delegation.objects.filter(event=event, organisation=organisation).exists():
        return
    delegation = services.invite_delegation(
        event,
        organisation,
        kind=spec.kind,
        focal_point_email=spec.focal_point_email,
        language=spec.language,
        actor=None,
        default_category=_category(event, spec.default_category),
    )
    counter.delegations += 1
    # The focal point's first log-in binds them to the delegation; the demo ones have logged in already.
    focal_point = _user(spec.focal_point_username)
    if focal_point is None or (focal_point.email or "").lower() != spec.focal_point_email:
        focal_point = services.user_for_email(spec.focal_point_email)
    services.claim_delegation(delegation, focal_point)
    actor = focal_point
    members = []
    for person in spec.members:
        application = services.nominate_member(delegation, data=_person_data(event, person, side_events), actor=actor)
        counter.applications += 1
        members.append((person, application))
        if person.head:
            services.set_head_of_delegation(delegation, application, actor=actor)
    if spec.state == "open":
        return
    document = (
        SupportingDocument.NOMINATION_LETTER
        if spec.kind == Delegation.Kind.ORGANISATION
        else SupportingDocument.NOTE_VERBALE
    )
    upload = SimpleUploadedFile(f"{document.replace('_', '-')}-demo.pdf", DEMO_PDF, content_type="application/pdf")
    services.add_delegation_document(delegation, upload, document, actor=actor)
    services.submit_delegation(delegation, actor=actor)
    if spec.state == "approved":
        services.approve_delegation(delegation, actor=None)
    for person, application in members:
        application.refresh_from_db()
        _decide(application, person)


def load_demo_accreditation(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Create the demo delegations and applications of ``event`` that are missing; returns whether any were."""
    counter = _Counter()
    with translation.override("en"), transaction.atomic():
        event_capacity = services.ensure_event_setup(event)
        if event_capacity.in_person_capacity is None and not Application.objects.filter(event=event).exists():
            services.set_capacity(event, in_person_capacity=DEMO_CAPACITY, actor=None)
        side_events = _side_events(event)
        for spec in DELEGATIONS:
            _delegation(event, spec, side_events, counter)
        for person in INDIVIDUALS:
            _individual(event, person, side_events, counter)
    if stdout is not None:
        if counter:
            stdout.write(
                f"Demo accreditation of {event.slug}: {counter.delegations} delegations and "
                f"{counter.applications} applications created.\n"
            )
        else:
            stdout.write(f"Demo accreditation of {event.slug} is already up to date: nothing changed.\n")
    return bool(counter)
