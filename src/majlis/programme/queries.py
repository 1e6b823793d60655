"""Turning a published snapshot into what the public pages show.

Everything here works on the snapshot dictionary (see ``snapshot.py``), never on the live tables,
so a page costs the same few queries whatever the size of the programme. Translated texts are
resolved for one language; times are converted to the event's time zone; the clock is a
parameter (``now``) so that "now / next" can be tested at any instant.
"""

from __future__ import annotations

import re
import threading
import zoneinfo
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from majlis.core.i18n import native_name_language

from .models import Person, Session, SessionKind, SessionSpeaker

DEFAULT_COLOUR = "#1f4e79"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Names of the countries that appear most in this region's conferences; others show their code.
COUNTRY_NAMES = {
    "AF": gettext_lazy("Afghanistan"),
    "AT": gettext_lazy("Austria"),
    "AZ": gettext_lazy("Azerbaijan"),
    "CH": gettext_lazy("Switzerland"),
    "CN": gettext_lazy("China"),
    "DE": gettext_lazy("Germany"),
    "FR": gettext_lazy("France"),
    "GB": gettext_lazy("United Kingdom"),
    "IN": gettext_lazy("India"),
    "IR": gettext_lazy("Iran"),
    "JP": gettext_lazy("Japan"),
    "KG": gettext_lazy("Kyrgyzstan"),
    "KZ": gettext_lazy("Kazakhstan"),
    "MD": gettext_lazy("Moldova"),
    "PK": gettext_lazy("Pakistan"),
    "PT": gettext_lazy("Portugal"),
    "RU": gettext_lazy("Russian Federation"),
    "SA": gettext_lazy("Saudi Arabia"),
    "TJ": gettext_lazy("Tajikistan"),
    "TM": gettext_lazy("Turkmenistan"),
    "TR": gettext_lazy("Türkiye"),
    "US": gettext_lazy("United States of America"),
    "UZ": gettext_lazy("Uzbekistan"),
}

ROLE_ORDER = [choice.value for choice in SessionSpeaker.Role]


def active_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def tr(value: Any, language: str | None = None) -> str:
    """The text of a {"en", "ru", "uz"} dictionary in one language, falling back to English."""
    if value is None:
        return ""
    if not isinstance(value, Mapping):
        return str(value)
    language = language or active_language()
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next((v for v in value.values() if v), "")


def current_time() -> datetime:
    """The clock of the public pages; tests replace it to see the programme at another instant."""
    return timezone.now()


def language_label(code: str) -> str:
    """A language's name in the visitor's language ("Russian", "русский")."""
    for candidate in (code, {"zh": "zh-hans"}.get(code, code)):
        try:
            return str(get_language_info(candidate)["name_translated"])
        except KeyError:
            continue
    return code


# -- Views of the snapshot ------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str
    label: str


@dataclass(frozen=True)
class OrganisationView:
    id: int | None
    name: str
    acronym: str
    country: str

    @property
    def display(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name


@dataclass(frozen=True)
class RoomView:
    id: int
    name: str
    floor: str
    capacity: int | None


@dataclass(frozen=True)
class TrackView:
    slug: str
    name: str
    colour: str
    pillar: int | None


@dataclass(frozen=True)
class PersonView:
    slug: str
    honorific: str
    name_latin: str
    name_native: str
    native_language: str
    sort_name: str
    position: str
    organisation: OrganisationView | None
    country: str
    bio: str
    has_photo: bool

    @property
    def show_native(self) -> bool:
        return bool(self.name_native) and self.name_native.strip() != self.name_latin.strip()

    @property
    def country_name(self) -> str:
        return str(COUNTRY_NAMES.get(self.country, self.country))

    @property
    def affiliation(self) -> str:
        """Position and organisation in one line, as a badge would print them."""
        parts = [self.position, self.organisation.display if self.organisation else ""]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Appearance:
    person: PersonView
    role: str
    role_label: str
    delivery: str
    delivery_label: str
    on_behalf_of: str


@dataclass(frozen=True)
class RoleGroup:
    role: str
    label: str
    appearances: list[Appearance]


@dataclass
class SessionView:
    guid: str
    slug: str
    kind: str
    kind_label: str
    title: str
    abstract: str
    starts_at: datetime
    ends_at: datetime
    room: RoomView | None
    track: TrackView | None
    organisers: list[OrganisationView]
    capacity: int | None
    access: str
    access_label: str
    floor_languages: list[Language]
    interpretation: list[Language]
    is_cancelled: bool
    speakers: list[Appearance]

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def language_codes(self) -> set[str]:
        return {lang.code for lang in self.floor_languages} | {lang.code for lang in self.interpretation}

    @property
    def speakers_by_role(self) -> list[Appearance]:
        """Every speaker, chairs and moderators first, each role in protocol order."""
        return [appearance for group in self.speaker_groups for appearance in group.appearances]

    @property
    def speaker_groups(self) -> list[RoleGroup]:
        """Speakers by role (chair first), each group in protocol order."""
        groups: dict[str, list[Appearance]] = {}
        for appearance in self.speakers:
            groups.setdefault(appearance.role, []).append(appearance)
        ordered = sorted(groups, key=lambda r: ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER))
        return [RoleGroup(role, _role_group_label(role, len(groups[role])), groups[role]) for role in ordered]

    def is_on(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def _role_group_label(role: str, count: int) -> str:
    plural = count > 1
    labels = {
        "chair": (_("Chair"), _("Chairs")),
        "moderator": (_("Moderator"), _("Moderators")),
        "keynote": (_("Keynote speaker"), _("Keynote speakers")),
        "speaker": (_("Speaker"), _("Speakers")),
        "discussant": (_("Discussant"), _("Discussants")),
        "rapporteur": (_("Rapporteur"), _("Rapporteurs")),
    }
    singular_plural = labels.get(role)
    if singular_plural is None:
        return role
    return singular_plural[1] if plural else singular_plural[0]


@dataclass
class Programme:
    number: int
    event: dict[str, Any]
    tz: zoneinfo.ZoneInfo
    tracks: list[TrackView]
    rooms: list[RoomView]
    people: list[PersonView]
    sessions: list[SessionView]
    people_by_slug: dict[str, PersonView] = field(default_factory=dict)
    sessions_by_slug: dict[str, SessionView] = field(default_factory=dict)
    sessions_by_guid: dict[str, SessionView] = field(default_factory=dict)
    published_at: datetime | None = None

    @property
    def days(self) -> list[date]:
        """The event's days, plus any day on which a session falls outside them."""
        start = date.fromisoformat(self.event["start_date"])
        end = date.fromisoformat(self.event["end_date"])
        days = {date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)}
        days |= {session.day for session in self.sessions}
        return sorted(days)

    @property
    def languages(self) -> list[Language]:
        """Every language spoken on the floor or offered as a channel, the site's languages first."""
        codes = set().union(*(s.language_codes for s in self.sessions)) if self.sessions else set()
        site = [code for code, _name in settings.LANGUAGES]
        ordered = [c for c in site if c in codes] + sorted(codes - set(site))
        return [Language(code, language_label(code)) for code in ordered]

    @property
    def kinds(self) -> list[tuple[str, str]]:
        present = {s.kind for s in self.sessions}
        return [(value, str(label)) for value, label in SessionKind.choices if value in present]

    def sessions_of(self, person: PersonView) -> list[tuple[SessionView, list[Appearance]]]:
        result = []
        for session in self.sessions:
            appearances = [a for a in session.speakers if a.person.slug == person.slug]
            if appearances:
                result.append((session, appearances))
        return result


def _choice_label(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def _organisation(data: Mapping[str, Any] | None, language: str) -> OrganisationView | None:
    if not data:
        return None
    return OrganisationView(
        id=data.get("id"),
        name=tr(data.get("name"), language),
        acronym=tr(data.get("acronym"), language),
        country=data.get("country") or "",
    )


def _person(data: Mapping[str, Any], language: str) -> PersonView:
    name_native = data.get("name_native") or ""
    country = data.get("country") or ""
    honorific = data.get("honorific") or ""
    return PersonView(
        slug=data["slug"],
        honorific=_choice_label(Person.Honorific.choices, honorific) if honorific else "",
        name_latin=data.get("name_latin") or name_native,
        name_native=name_native,
        native_language=native_name_language(name_native, country),
        sort_name=data.get("sort_name") or data.get("name_latin") or "",
        position=tr(data.get("position"), language),
        organisation=_organisation(data.get("organisation"), language),
        country=country,
        bio=tr(data.get("bio"), language),
        has_photo=bool(data.get("has_photo")),
    )


def _delivery_label(delivery: str, on_behalf_of: str) -> str:
    if delivery == SessionSpeaker.Delivery.VIDEO:
        return _("video message")
    if delivery == SessionSpeaker.Delivery.REMOTE_LIVE:
        return _("speaking remotely, live")
    if delivery == SessionSpeaker.Delivery.ON_BEHALF:
        if on_behalf_of:
            return _("on behalf of %(name)s") % {"name": on_behalf_of}
        return _("delivered on behalf of someone else")
    return ""


def _aware(value: str, tz: zoneinfo.ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))
    return moment.astimezone(tz)


def build_programme(number: int, snapshot: Mapping[str, Any], language: str | None = None) -> Programme:
    """The snapshot in one language, with times in the event's time zone."""
    language = language or active_language()
    event = snapshot.get("event", {})
    tz = zoneinfo.ZoneInfo(event.get("time_zone") or "UTC")
    tracks = [
        TrackView(
            slug=t["slug"],
            name=tr(t.get("name"), language),
            colour=t["colour"] if _COLOUR.match(t.get("colour") or "") else DEFAULT_COLOUR,
            pillar=t.get("pillar"),
        )
        for t in snapshot.get("tracks", [])
    ]
    rooms = [
        RoomView(
            id=r["id"], name=tr(r.get("name"), language), floor=tr(r.get("floor"), language), capacity=r.get("capacity")
        )
        for r in snapshot.get("rooms", [])
    ]
    people = [_person(p, language) for p in snapshot.get("people", [])]
    tracks_by_slug = {t.slug: t for t in tracks}
    rooms_by_id = {r.id: r for r in rooms}
    people_by_slug = {p.slug: p for p in people}
    sessions = []
    for s in snapshot.get("sessions", []):
        speakers = []
        for a in s.get("speakers", []):
            person = people_by_slug.get(a.get("person"))
            if person is None:
                continue
            on_behalf_of = tr(a.get("on_behalf_of"), language)
            speakers.append(
                Appearance(
                    person=person,
                    role=a.get("role", ""),
                    role_label=_choice_label(SessionSpeaker.Role.choices, a["role"]),
                    delivery=a.get("delivery", ""),
                    delivery_label=_delivery_label(a.get("delivery", ""), on_behalf_of),
                    on_behalf_of=on_behalf_of,
                )
            )
        sessions.append(
            SessionView(
                guid=s["guid"],
                slug=s["slug"],
                kind=s["kind"],
                kind_label=_choice_label(SessionKind.choices, s["kind"]),
                title=tr(s.get("title"), language),
                abstract=tr(s.get("abstract"), language),
                starts_at=_aware(s["starts_at"], tz),
                ends_at=_aware(s["ends_at"], tz),
                room=rooms_by_id.get(s.get("room")),
                track=tracks_by_slug.get(s.get("track")),
                organisers=[o for o in (_organisation(org, language) for org in s.get("organisers", [])) if o],
                capacity=s.get("capacity"),
                access=s.get("access", ""),
                access_label=_choice_label(Session.Access.choices, s.get("access", "")),
                floor_languages=[Language(c, language_label(c)) for c in s.get("floor_languages", [])],
                interpretation=[Language(c, language_label(c)) for c in s.get("interpretation", [])],
                is_cancelled=bool(s.get("is_cancelled")),
                speakers=speakers,
            )
        )
    sessions.sort(key=lambda s: (s.starts_at, s.room is None, _room_position(s.room, rooms), s.title))
    return Programme(
        number=number,
        event=event,
        tz=tz,
        tracks=tracks,
        rooms=rooms,
        people=people,
        sessions=sessions,
        people_by_slug=people_by_slug,
        sessions_by_slug={s.slug: s for s in sessions},
        sessions_by_guid={s.guid: s for s in sessions},
    )


def _room_position(room: RoomView | None, rooms: list[RoomView]) -> int:
    return rooms.index(room) if room in rooms else len(rooms)


# -- Filters, days, now / next ---------------------------------------------------------------------


@dataclass
class Filters:
    track: str = ""
    kind: str = ""
    language: str = ""
    room: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.track or self.kind or self.language or self.room is not None)

    def as_query(self) -> dict[str, str]:
        values = {
            "track": self.track,
            "kind": self.kind,
            "language": self.language,
            "room": "" if self.room is None else str(self.room),
        }
        return {key: value for key, value in values.items() if value}

    def matches(self, session: SessionView) -> bool:
        if self.track and (session.track is None or session.track.slug != self.track):
            return False
        if self.kind and session.kind != self.kind:
            return False
        if self.language and self.language not in session.language_codes:
            return False
        return not (self.room is not None and (session.room is None or session.room.id != self.room))


def _shown(value: str) -> str:
    return value[:60]


def parse_filters(params: Mapping[str, str], programme: Programme) -> Filters:
    """The filters asked for; a value the programme does not know is dropped with a message."""
    filters = Filters()
    track = (params.get("track") or "").strip()
    if track:
        if track in {t.slug for t in programme.tracks}:
            filters.track = track
        else:
            filters.problems.append(
                _("There is no track called “%(value)s”. Sessions of every track are shown.") % {"value": _shown(track)}
            )
    kind = (params.get("kind") or "").strip()
    if kind:
        if kind in SessionKind.values:
            filters.kind = kind
        else:
            filters.problems.append(
                _("There is no kind of session called “%(value)s”. Sessions of every kind are shown.")
                % {"value": _shown(kind)}
            )
    language = (params.get("language") or "").strip()
    if language:
        if language in {lang.code for lang in programme.languages}:
            filters.language = language
        else:
            filters.problems.append(
                _(
                    "No session is held or interpreted in the language “%(value)s”. Sessions in every language "
                    "are shown."
                )
                % {"value": _shown(language)}
            )
    room = (params.get("room") or "").strip()
    if room:
        room_id = int(room) if room.isdigit() else None
        if room_id is not None and room_id in {r.id for r in programme.rooms}:
            filters.room = room_id
        else:
            filters.problems.append(
                _("There is no room “%(value)s” in this programme. Sessions in every room are shown.")
                % {"value": _shown(room)}
            )
    return filters


def local_now(programme: Programme, now: datetime | None = None) -> datetime:
    return (now or current_time()).astimezone(programme.tz)


def is_ongoing(programme: Programme, now: datetime | None = None) -> bool:
    today = local_now(programme, now).date()
    days = programme.days
    return bool(days) and days[0] <= today <= days[-1]


def choose_day(programme: Programme, requested: str | None, now: datetime | None = None) -> tuple[date | None, str]:
    """The day to show and, when the requested day was not usable, a message saying so.

    Default: today (in the event's time zone) during the event, otherwise the first day.
    """
    days = programme.days
    if not days:
        return None, ""
    today = local_now(programme, now).date()
    default = today if today in days else days[0]
    requested = (requested or "").strip()
    if not requested:
        return default, ""
    try:
        wanted = date.fromisoformat(requested)
    except ValueError:
        return default, _("“%(value)s” is not a date like 2022-03-03. The programme of %(day)s is shown.") % {
            "value": _shown(requested),
            "day": _format_day(default),
        }
    if wanted not in days:
        return default, _("The conference has no programme on %(wanted)s. The programme of %(day)s is shown.") % {
            "wanted": _format_day(wanted),
            "day": _format_day(default),
        }
    return wanted, ""


def _format_day(value: date) -> str:
    from majlis.core.templatetags.majlis_tags import format_day

    return format_day(value)


@dataclass
class Slot:
    """Sessions starting at the same time: shown side by side on a wide screen."""

    starts_at: datetime
    sessions: list[SessionView]


def sessions_on(programme: Programme, day: date | None, filters: Filters | None = None) -> list[SessionView]:
    return [s for s in programme.sessions if (day is None or s.day == day) and (filters is None or filters.matches(s))]


def slots(sessions: Iterable[SessionView]) -> list[Slot]:
    result: list[Slot] = []
    for session in sessions:
        if result and result[-1].starts_at == session.starts_at:
            result[-1].sessions.append(session)
        else:
            result.append(Slot(session.starts_at, [session]))
    return result


@dataclass
class DayProgramme:
    day: date
    slots: list[Slot]


def by_day(programme: Programme, filters: Filters | None = None) -> list[DayProgramme]:
    return [DayProgramme(day, slots(sessions_on(programme, day, filters))) for day in programme.days]


@dataclass
class NowNext:
    now: list[SessionView]
    next: list[SessionView]

    def __bool__(self) -> bool:
        return bool(self.now or self.next)


def now_and_next(programme: Programme, now: datetime | None = None) -> NowNext | None:
    """During the event: the sessions under way and the next ones to start (cancelled ones left out)."""
    moment = local_now(programme, now)
    if not is_ongoing(programme, moment):
        return None
    running = [s for s in programme.sessions if not s.is_cancelled and s.is_on(moment)]
    upcoming = [s for s in programme.sessions if not s.is_cancelled and s.starts_at > moment]
    first = min((s.starts_at for s in upcoming), default=None)
    following = [s for s in upcoming if s.starts_at == first]
    return NowNext(now=running, next=following)


def removed_session_titles(event: Any, guids: Iterable[str], language: str | None = None) -> dict[str, str]:
    """The last published titles of sessions no longer in the programme (for a personal agenda)."""
    from .models import ProgrammeVersion

    wanted = set(guids)
    found: dict[str, str] = {}
    versions = ProgrammeVersion.objects.filter(event=event).order_by("-number").values_list("snapshot", flat=True)
    for snapshot in versions.iterator(chunk_size=4):
        for session in snapshot.get("sessions", []):
            if session.get("guid") in wanted and session["guid"] not in found:
                found[session["guid"]] = tr(session.get("title"), language)
        if len(found) == len(wanted):
            break
    return found


def utc_offset_label(programme: Programme) -> str:
    """The event's offset from UTC on its first day: "UTC+5", "UTC+5:30", "UTC"."""
    days = programme.days
    moment = datetime(days[0].year, days[0].month, days[0].day, 12, tzinfo=programme.tz) if days else current_time()
    offset = moment.astimezone(programme.tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


# -- The published programme, built once per version and language in each process ----------------

MAX_BUILT = 12
_built: OrderedDict[tuple[Any, ...], Programme] = OrderedDict()
_built_lock = threading.Lock()


def clear_built_programmes() -> None:
    with _built_lock:
        _built.clear()


def published(event: Any, language: str | None = None) -> Programme | None:
    """The newest published programme of an event in one language, or None before the first publication.

    One query reads the newest version's identity on every call, so a newer publication is seen at
    once; the snapshot is read through ``published.published_programme`` and turned into view data
    only once per version and language in each process.
    """
    from .models import ProgrammeVersion
    from .published import published_programme

    row = (
        ProgrammeVersion.objects.filter(event=event)
        .order_by("-number")
        .values_list("pk", "number", "published_at")
        .first()
    )
    if row is None:
        return None
    pk, number, published_at = row
    language = language or active_language()
    key = (event.pk, pk, number, published_at.isoformat() if published_at else "", language)
    with _built_lock:
        programme = _built.get(key)
        if programme is not None:
            _built.move_to_end(key)
            return programme
    result = published_programme(event)
    if result is None:
        return None
    programme = build_programme(result[0], result[1], language)
    if result[0] != number:  # a newer version appeared meanwhile: use it, cache it next time
        return programme
    programme.published_at = published_at
    with _built_lock:
        _built[key] = programme
        while len(_built) > MAX_BUILT:
            _built.popitem(last=False)
    return programme


def public_version_key(event_slug: str) -> tuple[int, int] | None:
    """(event id, newest version number) of a published or archived event, in one raw query.

    The hot path of cached public pages: compiling an ORM query costs more than running this one.
    """
    from django.db import connection

    from majlis.events.models import Event

    from .models import ProgrammeVersion

    event_table = connection.ops.quote_name(Event._meta.db_table)
    version_table = connection.ops.quote_name(ProgrammeVersion._meta.db_table)
    sql = (
        f"SELECT e.id, (SELECT MAX(v.number) FROM {version_table} v WHERE v.event_id = e.id) "  # noqa: S608
        f"FROM {event_table} e WHERE e.slug = %s AND e.status <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_slug, Event.Status.DRAFT])
        row = cursor.fetchone()
    if row is None or row[1] is None:
        return None
    return int(row[0]), int(row[1])
