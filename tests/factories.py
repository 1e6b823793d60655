"""Plain factory functions: each makes a valid object with sensible defaults; keywords override."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from majlis.events.models import (
    Contact,
    Document,
    DocumentFile,
    Event,
    EventOrganisation,
    EventRole,
    NewsItem,
    Organisation,
    Pillar,
    Room,
    Series,
    Venue,
)

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple 42"


def make_user(**kwargs: Any):
    n = next(_seq)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("email", f"user{n}@example.org")
    password = kwargs.pop("password", PASSWORD)
    user = get_user_model().objects.create_user(password=password, **kwargs)
    return user


def make_series(**kwargs: Any) -> Series:
    n = next(_seq)
    kwargs.setdefault("slug", f"series-{n}")
    kwargs.setdefault("name_en", f"Series {n}")
    return Series.objects.create(**kwargs)


def make_event(**kwargs: Any) -> Event:
    n = next(_seq)
    kwargs.setdefault("slug", f"event-{n}")
    kwargs.setdefault("title_en", f"Conference number {n}")
    kwargs.setdefault("title_ru", f"Конференция номер {n}")
    kwargs.setdefault("title_uz", f"{n}-konferensiya")
    kwargs.setdefault("short_title_en", f"Conference {n}")
    kwargs.setdefault("summary_en", "A conference on regional cooperation.")
    kwargs.setdefault("start_date", date(2022, 3, 3))
    kwargs.setdefault("end_date", kwargs["start_date"] + timedelta(days=1))
    kwargs.setdefault("time_zone", "Asia/Tashkent")
    kwargs.setdefault("city_en", "Tashkent")
    kwargs.setdefault("country", "UZ")
    kwargs.setdefault("format", Event.Format.HYBRID)
    kwargs.setdefault("status", Event.Status.PUBLISHED)
    return Event.objects.create(**kwargs)


def make_organisation(**kwargs: Any) -> Organisation:
    n = next(_seq)
    kwargs.setdefault("name_en", f"Organisation {n}")
    kwargs.setdefault("acronym_en", f"ORG{n}")
    kwargs.setdefault("kind", Organisation.Kind.IGO)
    return Organisation.objects.create(**kwargs)


def make_event_organisation(event: Event, organisation: Organisation | None = None, **kwargs: Any):
    kwargs.setdefault("role", EventOrganisation.Role.CO_ORGANISER)
    return EventOrganisation.objects.create(event=event, organisation=organisation or make_organisation(), **kwargs)


def make_role(event: Event, role: str, user=None, **kwargs: Any) -> EventRole:
    return EventRole.objects.create(event=event, user=user or make_user(), role=role, **kwargs)


def make_news(event: Event, **kwargs: Any) -> NewsItem:
    n = next(_seq)
    kwargs.setdefault("slug", f"news-{n}")
    kwargs.setdefault("title_en", f"News item {n}")
    kwargs.setdefault("body_en", "First paragraph.\n\nSecond paragraph.")
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=1))
    return NewsItem.objects.create(event=event, **kwargs)


# A small well-formed PDF (one empty page, a correct cross-reference table): uploads are opened with
# pikepdf, which refuses what it cannot read.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n"
    b"2 0 obj\n<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>\nendobj\n"
    b"3 0 obj\n<< /MediaBox [ 0 0 595 842 ] /Parent 2 0 R /Resources << >> /Type /Page >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000117 00000 n \n"
    b"trailer\n<< /Root 1 0 R /Size 4 >>\nstartxref\n207\n%%EOF\n"
)


def make_document(event: Event, *, languages: tuple[str, ...] = ("en",), **kwargs: Any) -> Document:
    n = next(_seq)
    kwargs.setdefault("slug", f"document-{n}")
    kwargs.setdefault("kind", Document.Kind.BACKGROUND)
    kwargs.setdefault("title_en", f"Document {n}")
    kwargs.setdefault("published_on", date(2022, 2, 21))
    document = Document.objects.create(event=event, **kwargs)
    for language in languages:
        make_document_file(document, language)
    return document


def make_document_file(document: Document, language: str, content: bytes = PDF_BYTES) -> DocumentFile:
    file = DocumentFile(
        document=document,
        language=language,
        original_name=f"{document.slug}-{language}.pdf",
        content_type="application/pdf",
        size=len(content),
    )
    file.file.save(f"{document.slug}-{language}.pdf", ContentFile(content), save=False)
    file.save()
    return file


def make_contact(event: Event, **kwargs: Any) -> Contact:
    n = next(_seq)
    kwargs.setdefault("name", f"Contact {n}")
    kwargs.setdefault("function_en", "Public relations coordinator")
    kwargs.setdefault("email", f"contact{n}@example.org")
    return Contact.objects.create(event=event, **kwargs)


def make_venue(**kwargs: Any) -> Venue:
    n = next(_seq)
    kwargs.setdefault("name_en", f"Congress Hall {n}")
    kwargs.setdefault("city_en", "Tashkent")
    kwargs.setdefault("country", "UZ")
    return Venue.objects.create(**kwargs)


def make_room(venue: Venue, **kwargs: Any) -> Room:
    n = next(_seq)
    kwargs.setdefault("name_en", f"Room {n}")
    kwargs.setdefault("capacity", 100)
    return Room.objects.create(venue=venue, **kwargs)


def make_pillar(event: Event, **kwargs: Any) -> Pillar:
    if "number" not in kwargs:
        kwargs["number"] = (event.pillars.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    kwargs.setdefault("title_en", f"Pillar {kwargs['number']}")
    return Pillar.objects.create(event=event, **kwargs)


def make_milestone(series: Series, **kwargs: Any):
    from majlis.events.models import Milestone

    n = next(_seq)
    kwargs.setdefault("date", date(2011, 11, 30))
    kwargs.setdefault("city_en", "Ashgabat")
    kwargs.setdefault("title_en", f"Declaration {n}")
    return Milestone.objects.create(series=series, **kwargs)


# --- Programme (tracks, people, sessions, speakers, published versions) ---


def make_track(event: Event, **kwargs: Any):
    from majlis.programme.models import Track

    n = next(_seq)
    kwargs.setdefault("slug", f"track-{n}")
    kwargs.setdefault("name_en", f"Track {n}")
    return Track.objects.create(event=event, **kwargs)


def make_person(**kwargs: Any):
    from majlis.programme.models import Person

    n = next(_seq)
    kwargs.setdefault("slug", f"person-{n}")
    kwargs.setdefault("name_latin", f"Person {n}")
    kwargs.setdefault("name_native", kwargs["name_latin"])
    kwargs.setdefault("sort_name", kwargs["name_latin"].split()[-1])
    return Person.objects.create(**kwargs)


def make_session(event: Event, **kwargs: Any):
    """A session on the event's first day at 10:00 local time, one hour long, unless told otherwise."""
    from datetime import datetime

    from majlis.programme.models import Session, SessionKind

    n = next(_seq)
    kwargs.setdefault("slug", f"session-{n}")
    kwargs.setdefault("kind", SessionKind.PLENARY)
    kwargs.setdefault("title_en", f"Session {n}")
    if "starts_at" not in kwargs:
        kwargs["starts_at"] = datetime.combine(event.start_date, datetime.min.time(), tzinfo=event.tz).replace(hour=10)
    kwargs.setdefault("ends_at", kwargs["starts_at"] + timedelta(hours=1))
    return Session.objects.create(event=event, **kwargs)


def make_speaker(session, person=None, **kwargs: Any):
    from majlis.programme.models import SessionSpeaker

    return SessionSpeaker.objects.create(session=session, person=person or make_person(), **kwargs)


def make_published_programme(event: Event, *, note: str = "First programme", actor=None):
    """Publish the event's current draft programme; returns the new ProgrammeVersion."""
    from majlis.programme.services import publish_programme

    return publish_programme(event, actor=actor, note=note)


def make_sample_programme(event: Event) -> dict[str, Any]:
    """A small two-day programme in the spirit of Tashkent 2022, with the cases exports must handle.

    An opening with an address on behalf of the President, a video message, a Cyrillic and a Chinese
    name; a breakout panel on a track; a cancelled side event; a break without a room; a closing.
    Returns the objects by name. Nothing is published.
    """
    from datetime import datetime

    from majlis.programme.models import Person, ProtocolRank, SessionKind, SessionSpeaker

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        start = datetime.combine(event.start_date, datetime.min.time(), tzinfo=event.tz)
        return start.replace(hour=hour, minute=minute) + timedelta(days=day)

    venue = event.venue
    if venue is None:
        venue = event.venue = make_venue(name_en="Congress Hall", name_ru="Конгресс-холл")
        event.save(update_fields=["venue"])
    plenary = make_room(venue, name_en="Plenary Hall", name_ru="Пленарный зал", name_uz="Yalpi majlis zali", position=0)
    room_b = make_room(venue, name_en="Room B", name_ru="Зал B", position=1, floor_en="2nd floor")
    pillar_track = make_track(event, slug="pillar-1", name_en="Pillar I", name_ru="Столп I", colour="#7a1f3d")
    un = make_organisation(name_en="United Nations", acronym_en="UN", acronym_ru="ООН", kind="un_entity")
    sco = make_organisation(name_en="Shanghai Cooperation Organisation", acronym_en="SCO", acronym_ru="ШОС")
    uzbekistan = make_organisation(name_en="Government of Uzbekistan", acronym_en="Uzbekistan", kind="government")
    envoy = make_person(
        slug="host-envoy",
        honorific=Person.Honorific.HE,
        name_latin="Aziz Namunov",
        name_native="Азиз Намунов",
        sort_name="Namunov",
        position_en="Minister",
        position_ru="Министр",
        organisation=uzbekistan,
        country="UZ",
        protocol_rank=ProtocolRank.MINISTER,
    )
    guterres = make_person(
        slug="antonio-guterres",
        honorific=Person.Honorific.HE,
        name_latin="António Guterres",
        sort_name="Guterres",
        position_en="Secretary-General",
        position_ru="Генеральный секретарь",
        organisation=un,
        protocol_rank=ProtocolRank.MINISTER,
    )
    voronkov = make_person(
        slug="vladimir-voronkov",
        honorific=Person.Honorific.HE,
        name_latin="Vladimir Voronkov",
        name_native="Владимир Воронков",
        sort_name="Voronkov",
        position_en="Under-Secretary-General",
        organisation=un,
        protocol_rank=ProtocolRank.UNDER_SECRETARY_GENERAL,
    )
    zhang = make_person(
        slug="zhang-ming",
        honorific=Person.Honorific.HE,
        name_latin="Zhang Ming",
        name_native="张明",
        sort_name="Zhang",
        position_en="Secretary-General",
        organisation=sco,
        protocol_rank=ProtocolRank.MINISTER,
    )
    gherman = make_person(
        slug="natalia-gherman",
        honorific=Person.Honorific.MS,
        name_latin="Natalia Gherman",
        sort_name="Gherman",
        position_en="Special Representative of the Secretary-General",
        organisation=un,
    )
    opening = make_session(
        event,
        slug="opening",
        kind=SessionKind.OPENING,
        title_en="Opening of the conference",
        title_ru="Открытие конференции",
        title_uz="Konferensiyaning ochilishi",
        abstract_en="Welcome addresses.",
        abstract_ru="Приветственные выступления.",
        starts_at=at(0, 9),
        ends_at=at(0, 10, 30),
        room=plenary,
        floor_languages=["en"],
        interpretation=["ru", "uz"],
    )
    make_speaker(opening, gherman, role=SessionSpeaker.Role.CHAIR)
    make_speaker(opening, zhang)
    make_speaker(opening, voronkov)
    make_speaker(opening, guterres, delivery=SessionSpeaker.Delivery.VIDEO)
    make_speaker(
        opening,
        envoy,
        delivery=SessionSpeaker.Delivery.ON_BEHALF,
        on_behalf_of_en="the President of the Republic of Uzbekistan",
        on_behalf_of_ru="Президента Республики Узбекистан",
    )
    panel = make_session(
        event,
        slug="pillar-1-panel",
        kind=SessionKind.BREAKOUT,
        title_en="Conditions conducive to terrorism",
        title_ru="Условия, способствующие распространению терроризма",
        starts_at=at(0, 11),
        ends_at=at(0, 12, 30),
        room=room_b,
        track=pillar_track,
    )
    make_speaker(panel, gherman, role=SessionSpeaker.Role.MODERATOR)
    side = make_session(
        event,
        slug="side-event-financing",
        kind=SessionKind.SIDE_EVENT,
        title_en="Financing counter-terrorism programmes",
        title_ru="Финансирование контртеррористических программ",
        starts_at=at(0, 14),
        ends_at=at(0, 15),
        room=room_b,
        is_cancelled=True,
    )
    coffee = make_session(
        event,
        slug="coffee",
        kind=SessionKind.BREAK,
        title_en="Coffee break",
        title_ru="Кофе-брейк",
        starts_at=at(0, 10, 30),
        ends_at=at(0, 11),
    )
    closing = make_session(
        event,
        slug="closing",
        kind=SessionKind.CLOSING,
        title_en="Adoption of the Tashkent Declaration",
        title_ru="Принятие Ташкентской декларации",
        starts_at=at(1, 16),
        ends_at=at(1, 17, 15),
        room=plenary,
    )
    return {
        "venue": venue,
        "plenary": plenary,
        "room_b": room_b,
        "track": pillar_track,
        "opening": opening,
        "panel": panel,
        "side": side,
        "coffee": coffee,
        "closing": closing,
        "zhang": zhang,
        "envoy": envoy,
        "guterres": guterres,
        "voronkov": voronkov,
        "gherman": gherman,
    }


def make_large_programme(event: Event, count: int) -> list:
    """``count`` sessions over the event's days in three rooms, each with two speakers (bulk inserts)."""
    from datetime import datetime

    from majlis.programme.models import Person, Session, SessionKind, SessionSpeaker

    venue = event.venue or make_venue()
    rooms = [make_room(venue, position=i) for i in range(3)]
    track = make_track(event)
    days = event.days
    n = next(_seq)
    people = Person.objects.bulk_create(
        Person(slug=f"bulk-{n}-{i}", name_latin=f"Speaker {i}", name_native=f"Speaker {i}", sort_name=f"S{i}")
        for i in range(20)
    )
    sessions = []
    for i in range(count):
        day = days[i % len(days)]
        start = datetime.combine(day, datetime.min.time(), tzinfo=event.tz) + timedelta(
            hours=8, minutes=15 * (i // (3 * len(days)))
        )
        sessions.append(
            Session(
                event=event,
                slug=f"bulk-{n}-{i}",
                kind=SessionKind.PLENARY,
                title_en=f"Session {i}",
                title_ru=f"Заседание {i}",
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                room=rooms[i % 3],
                track=track,
                is_cancelled=(i % 17 == 0),
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, person=people[(i + k) % len(people)])
        for i, session in enumerate(sessions)
        for k in range(2)
    )
    return sessions


# --- Accreditation ---------------------------------------------------------------------------------


def make_accreditation_event(**kwargs: Any) -> Event:
    """A published event with the default categories, its capacity row and privacy notice v1."""
    from majlis.accreditation.services import ensure_event_setup

    kwargs.setdefault("status", Event.Status.PUBLISHED)
    event = make_event(**kwargs)
    ensure_event_setup(event)
    return event


def make_category(event: Event, **kwargs: Any):
    from majlis.accreditation.models import Category

    n = next(_seq)
    kwargs.setdefault("code", f"category-{n}")
    kwargs.setdefault("name_en", f"Category {n}")
    return Category.objects.create(event=event, **kwargs)


def make_application(event: Event, **kwargs: Any):
    """An application written straight to the database (no workflow, no mail): for setting up tests.

    ``category`` may be a Category or a code (default "expert"); ``passport_number`` is encrypted.
    """
    from majlis.accreditation.models import Application, Category
    from majlis.accreditation.services import set_passport_number

    n = next(_seq)
    category = kwargs.pop("category", "expert")
    if isinstance(category, str):
        category = Category.objects.get(event=event, code=category)
    passport = kwargs.pop("passport_number", "")
    kwargs.setdefault("family_name", f"Family{n}")
    kwargs.setdefault("given_names", f"Given{n}")
    kwargs.setdefault("nationality", "UZ")
    kwargs.setdefault("organisation_name", "Institute of Strategic Studies")
    kwargs.setdefault("position", "Researcher")
    kwargs.setdefault("email", f"applicant{n}@example.org")
    if kwargs.get("status") in {Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW}:
        kwargs.setdefault("submitted_at", timezone.now())
    if kwargs.get("status") == Application.Status.WAITLISTED:
        kwargs.setdefault("waitlisted_at", timezone.now())
    application = Application(event=event, category=category, **kwargs)
    if passport:
        set_passport_number(application, passport)
    application.save()
    return application


def make_delegation(event: Event, *, focal_point=None, **kwargs: Any):
    """A delegation of a government (a new one unless ``organisation`` is given), members in the "delegate" category.

    With a ``focal_point`` user the delegation is claimed (status "open") and the user holds the focal-point role.
    """
    from majlis.accreditation.models import Category, Delegation

    organisation = kwargs.pop("organisation", None)
    if organisation is None:
        organisation = make_organisation(kind=Organisation.Kind.GOVERNMENT, country="KZ")
    kwargs.setdefault("kind", Delegation.Kind.MEMBER_STATE)
    kwargs.setdefault("country", organisation.country)
    kwargs.setdefault("focal_point_email", focal_point.email if focal_point else f"focal{next(_seq)}@example.org")
    if "default_category" not in kwargs:
        kwargs["default_category"] = Category.objects.filter(event=event, code="delegate").first()
    if focal_point is not None:
        kwargs.setdefault("status", Delegation.Status.OPEN)
        EventRole.objects.get_or_create(
            event=event, user=focal_point, role=EventRole.Role.FOCAL_POINT, defaults={"organisation": organisation}
        )
    delegation = Delegation.objects.create(event=event, organisation=organisation, **kwargs)
    if focal_point is not None:
        delegation.memberships.create(user=focal_point, role="focal_point", created_by=focal_point)
    # As the service does: the kind's usual categories, and the default one, are the members' to have.
    from majlis.accreditation.models import DelegationCategory
    from majlis.accreditation.services import usual_delegation_categories

    allowed = {c.pk: c for c in usual_delegation_categories(event, delegation.kind)}
    if delegation.default_category is not None and delegation.default_category.for_delegations:
        allowed[delegation.default_category.pk] = delegation.default_category
    for category in allowed.values():
        DelegationCategory.objects.create(delegation=delegation, category=category)
    return delegation
