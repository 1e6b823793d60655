"""The programme: tracks, sessions, people and who speaks where, plus published versions.

Organisers edit the live rows (the draft). Publishing freezes the whole programme into an
immutable ``ProgrammeVersion`` snapshot; the public site, the exports and the public API read only
snapshots, which keeps them exact ("what was published") and fast (one row per request).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from majlis.core.models import Honorific, TimeStampedModel
from majlis.events.models import Event, Organisation, Pillar, Room, country_code_validator

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f4e79."))


class Track(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tracks")
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("pillar of the Strategy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracks",
    )
    slug = models.SlugField(_("short name in URLs"))
    name = models.CharField(_("name"), max_length=300)  # per language
    colour = models.CharField(_("colour"), max_length=7, default="#1f4e79", validators=[colour_validator])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["event", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="track_slug_unique_in_event")]

    def __str__(self) -> str:
        return self.name


class ProtocolRank(models.IntegerChoices):
    """Order of precedence; a lower number speaks first (DOMAIN.md §5)."""

    HEAD_OF_STATE = 10, _("Head of State or Government")
    VICE_PRESIDENT = 20, _("Vice-President or Crown Prince")
    MINISTER = 30, _("Minister, or head of a UN or intergovernmental organisation at Secretary-General level")
    UNDER_SECRETARY_GENERAL = 40, _("Under-Secretary-General")
    DEPUTY_MINISTER = 50, _("Deputy minister")
    AMBASSADOR = 60, _("Ambassador")
    SENIOR_OFFICIAL = 70, _("Senior official")
    OFFICIAL = 80, _("Official")
    EXPERT = 90, _("Expert")


class Person(TimeStampedModel):
    """Someone who appears in a programme: a speaker, chair, moderator …"""

    Honorific = Honorific

    slug = models.SlugField(_("short name in URLs"), unique=True, max_length=120)
    honorific = models.CharField(_("honorific"), max_length=8, choices=Honorific.choices, blank=True)
    name_native = models.CharField(
        _("name as written natively"), max_length=200, help_text=_("In the person's own script: Cyrillic, Chinese …")
    )
    name_latin = models.CharField(_("name in Latin script"), max_length=200)
    sort_name = models.CharField(_("sort name"), max_length=200, blank=True, help_text=_("Usually the family name."))
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=300, blank=True)  # per language
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[country_code_validator])
    protocol_rank = models.PositiveSmallIntegerField(
        _("protocol rank"), choices=ProtocolRank.choices, null=True, blank=True
    )
    photo = models.FileField(
        _("photo"), upload_to="people/", blank=True, validators=[FileExtensionValidator(["jpg", "jpeg", "png"])]
    )
    bio = models.TextField(_("short biography"), blank=True)  # per language
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_people",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_name", "name_latin"]

    def __str__(self) -> str:
        return self.name_latin

    @property
    def represents_state(self) -> bool:
        """States speak before organisations of the same rank."""
        if self.organisation is None:
            return bool(self.country)
        return self.organisation.kind in {Organisation.Kind.GOVERNMENT, Organisation.Kind.PARLIAMENT}


class SessionKind(models.TextChoices):
    OPENING = "opening", _("opening ceremony")
    PLENARY = "plenary", _("plenary")
    BREAKOUT = "breakout", _("breakout panel")
    SIDE_EVENT = "side_event", _("side event")
    PRESS_CONFERENCE = "press_conference", _("press conference")
    BREAK = "break", _("break")
    CLOSING = "closing", _("closing and adoption")


class Session(TimeStampedModel):
    class Access(models.TextChoices):
        OPEN = "open", _("open to all accredited participants")
        INVITATION = "invitation", _("by invitation")
        RESTRICTED = "restricted", _("restricted to some categories")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions")
    guid = models.UUIDField(_("stable identifier"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name in URLs"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=400)  # per language
    abstract = models.TextField(_("abstract"), blank=True)  # per language
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    organisers = models.ManyToManyField(Organisation, verbose_name=_("organised by"), blank=True, related_name="+")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=12, choices=Access.choices, default=Access.OPEN)
    restricted_to = models.JSONField(
        _("restricted to categories"),
        default=list,
        blank=True,
        help_text=_("Category codes, when access is restricted."),
    )
    floor_languages = models.JSONField(_("floor languages"), default=list, blank=True)
    interpretation = models.JSONField(
        _("interpretation channels"), default=list, blank=True, help_text=_("Language codes offered as channels.")
    )
    stream_url = models.URLField(_("stream link"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "room__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="session_slug_unique_in_event"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        languages = {code for code, _name in settings.LANGUAGES} | {"ar", "zh", "fr", "es", "tg", "kk", "ky", "tk"}
        for field in ("floor_languages", "interpretation"):
            unknown = [code for code in getattr(self, field) or [] if code not in languages]
            if unknown:
                raise ValidationError({field: _("Unknown language codes: %(codes)s") % {"codes": ", ".join(unknown)}})


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MODERATOR = "moderator", _("moderator")
        KEYNOTE = "keynote", _("keynote")
        SPEAKER = "speaker", _("speaker")
        DISCUSSANT = "discussant", _("discussant")
        RAPPORTEUR = "rapporteur", _("rapporteur")

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        REMOTE_LIVE = "remote_live", _("remote, live")
        VIDEO = "video", _("pre-recorded video message")
        ON_BEHALF = "on_behalf", _("delivered on behalf of someone")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appearances")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=300, blank=True)  # per language
    requested_at = models.DateTimeField(_("request to speak registered"), null=True, blank=True)
    manual_position = models.PositiveSmallIntegerField(_("manual position"), null=True, blank=True)
    override_reason = models.CharField(_("reason for the manual position"), max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    class Meta:
        verbose_name = _("speaker in a session")
        verbose_name_plural = _("speakers in sessions")
        constraints = [models.UniqueConstraint(fields=["session", "person", "role"], name="session_person_role_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class ProgrammeVersion(models.Model):
    """An immutable, published state of an event's programme."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("change note"), max_length=500)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        verbose_name = _("published programme version")
        verbose_name_plural = _("published programme versions")
        ordering = ["event", "-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="programme_version_unique")]

    def __str__(self) -> str:
        return f"{self.event} v{self.number}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValidationError("A published programme version cannot be changed.")
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    """A session a participant added to their personal agenda (by its stable guid)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_items")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    session_guid = models.UUIDField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["user", "event", "session_guid"], name="agenda_item_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.session_guid}"


class CalendarFeed(models.Model):
    """A private iCal feed of a personal agenda. Only a hash of the secret token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} — {self.event} ({'revoked' if self.revoked_at else 'active'})"
