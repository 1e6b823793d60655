"""Events, the organisations behind them, venues, documents, news and contacts.

Fields marked "per language" are registered in ``translation.py``: django-modeltranslation adds
``<field>_en``, ``<field>_ru`` and ``<field>_uz`` columns, with English as the fallback.
"""

from __future__ import annotations

import zoneinfo
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from majlis.core.models import TimeStampedModel

if TYPE_CHECKING:
    # django-modeltranslation swaps the managers of the translated models for its
    # MultilingualManager at runtime; importing it lets the django-stubs plugin resolve them.
    import modeltranslation.manager  # noqa: F401

country_code_validator = RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 country code, e.g. UZ."))
LANGUAGE_CHOICES = settings.LANGUAGES


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Series(TimeStampedModel):
    """A line of related conferences, e.g. the regional JPoA conferences for Central Asia."""

    slug = models.SlugField(_("short name in URLs"), unique=True)
    name = models.CharField(_("name"), max_length=300)  # per language
    description = models.TextField(_("description"), blank=True)  # per language

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A document adopted earlier in the series (the lineage a conference builds on)."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        YEAR = "year", _("year only")

    series = models.ForeignKey(Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    date_end = models.DateField(_("last day"), null=True, blank=True)
    date_precision = models.CharField(_("date known to the"), max_length=4, choices=Precision.choices, default="day")
    city = models.CharField(_("city"), max_length=100)  # per language
    title = models.CharField(_("title"), max_length=400)  # per language
    description = models.TextField(_("description"), blank=True)  # per language
    event = models.ForeignKey(
        "Event",
        verbose_name=_("conference on this platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )

    class Meta:
        verbose_name = _("milestone of the series")
        verbose_name_plural = _("milestones of the series")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.year} {self.city}: {self.title}"


class Venue(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)  # per language
    address = models.CharField(_("address"), max_length=300, blank=True)  # per language
    city = models.CharField(_("city"), max_length=100)  # per language
    country = models.CharField(_("country"), max_length=2, validators=[country_code_validator])
    accessibility_notes = models.TextField(_("accessibility"), blank=True)  # per language

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)  # per language
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    floor = models.CharField(_("floor"), max_length=50, blank=True)  # per language
    accessibility_notes = models.TextField(_("accessibility"), blank=True)  # per language
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue})"


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> EventQuerySet:
        return self.exclude(status=Event.Status.DRAFT)


if TYPE_CHECKING:
    EventManager = models.Manager.from_queryset(EventQuerySet)


class Event(TimeStampedModel):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (in person and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    slug = models.SlugField(_("short name in URLs"), unique=True, help_text=_("For example tashkent-2022."))
    series = models.ForeignKey(
        Series, verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    title = models.CharField(_("title"), max_length=400)  # per language
    short_title = models.CharField(_("short title"), max_length=120)  # per language
    if TYPE_CHECKING:  # one of the columns django-modeltranslation adds (translation.py)
        title_en: str | None
    summary = models.TextField(_("summary"))  # per language
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    city = models.CharField(_("city"), max_length=100)  # per language
    country = models.CharField(_("country"), max_length=2, validators=[country_code_validator])
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    expected_participants = models.PositiveIntegerField(_("expected participants"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    website = models.URLField(_("official website"), blank=True)

    # modeltranslation subclasses this manager inside a function at runtime, a class the
    # django-stubs plugin cannot see; declare the type it is seen as (a subclass of EventManager).
    objects: ClassVar[EventManager[Event]] = EventQuerySet.as_manager()
    _default_manager: ClassVar[EventManager[Event]]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    def get_absolute_url(self) -> str:
        return reverse("events:home", kwargs={"event": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def days(self) -> list[date]:
        count = (self.end_date - self.start_date).days + 1
        return [date.fromordinal(self.start_date.toordinal() + i) for i in range(count)]

    def phase(self, today: date | None = None) -> str:
        today = today or timezone.localdate(timezone=self.tz)
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "past"
        return "ongoing"


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("government")
        PARLIAMENT = "parliament", _("parliament")
        UN_ENTITY = "un_entity", _("UN entity")
        REGIONAL = "regional", _("regional organisation")
        IGO = "igo", _("intergovernmental organisation")
        THINK_TANK = "think_tank", _("think tank or research institute")
        NGO = "ngo", _("non-governmental organisation")
        MEDIA = "media", _("media")

    name = models.CharField(_("name"), max_length=300)  # per language
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)  # per language
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text=_("Leave empty for international organisations."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["svg", "png", "jpg", "jpeg"])],
        help_text=_("SVG, PNG or JPEG, at most 1 MB."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def display_acronym(self) -> str:
        return self.acronym or self.name


class EventOrganisation(models.Model):
    """The part an organisation plays in an event."""

    class Role(models.TextChoices):
        HOST = "host", _("host")
        CO_ORGANISER = "co_organiser", _("co-organiser")
        PARTNER = "partner", _("partner")
        SIDE_EVENT_ORGANISER = "side_event_organiser", _("side-event organiser")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="organisation_roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("organisation's role in the event")
        verbose_name_plural = _("organisations' roles in the event")
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation", "role"], name="event_organisation_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class Pillar(models.Model):
    """A pillar of the UN Global Counter-Terrorism Strategy as the event presents it."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("official wording"), max_length=400)  # per language
    summary = models.TextField(_("what the breakout panel discusses"), blank=True)  # per language

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="pillar_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user) -> DocumentQuerySet:  # type: ignore[no-untyped-def]
        """Public documents once published; everything of the events whose settings the user manages."""
        from majlis.events.rules import events_with

        public = models.Q(is_public=True, published_on__isnull=False, published_on__lte=timezone.localdate())
        organised = events_with(user, "event.manage")
        if organised is None:  # superuser
            return self.all()
        return self.filter(public | models.Q(event_id__in=organised))


if TYPE_CHECKING:
    DocumentManager = models.Manager.from_queryset(DocumentQuerySet)


class Document(TimeStampedModel):
    class Kind(models.TextChoices):
        CONCEPT_NOTE = "concept_note", _("concept note")
        PROGRAMME = "programme", _("draft programme")
        ATTENDEE_INFO = "attendee_info", _("information for attendees")
        PRESS_RELEASE = "press_release", _("press release")
        BACKGROUND = "background", _("background")
        OUTCOME = "outcome", _("outcome document")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    slug = models.SlugField(_("short name in URLs"))
    title = models.CharField(_("title"), max_length=300)  # per language
    description = models.TextField(_("description"), blank=True)  # per language
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Restricted documents are shown only to the event's organisers.")
    )
    version = models.CharField(_("version"), max_length=20, default="1")
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Declared for the django-stubs plugin, as for Event.objects above.
    objects: ClassVar[DocumentManager[Document]] = DocumentQuerySet.as_manager()
    _default_manager: ClassVar[DocumentManager[Document]]

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["event", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="document_slug_unique_in_event")]

    def __str__(self) -> str:
        return self.title


def document_upload_to(instance: DocumentFile, filename: str) -> str:
    from uuid import uuid4

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{uuid4().hex}.{extension}"


class DocumentFile(models.Model):
    """The file of a document in one language; served only through the document view."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        validators=[FileExtensionValidator(["pdf", "docx", "doc", "odt", "xlsx", "pptx", "txt"])],
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "language"]
        constraints = [models.UniqueConstraint(fields=["document", "language"], name="document_file_one_per_language")]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse(
            "events:document-file",
            kwargs={"event": self.document.event.slug, "slug": self.document.slug, "file_language": self.language},
        )


class NewsItem(TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        PRESS_RELEASE = "press_release", _("press release")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="news")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    slug = models.SlugField(_("short name in URLs"), max_length=120)
    dateline = models.CharField(_("dateline"), max_length=200, blank=True)  # per language
    title = models.CharField(_("title"), max_length=400)  # per language
    lead = models.TextField(_("lead"), blank=True)  # per language
    body = models.TextField(_("body (Markdown)"))  # per language
    published_at = models.DateTimeField(
        _("publication time"), null=True, blank=True, help_text=_("Empty: not published. In the future: scheduled.")
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news and press releases")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="news_slug_unique_in_event")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:news-detail", kwargs={"event": self.event.slug, "slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class Contact(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    function = models.CharField(_("function"), max_length=200)  # per language
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class EventRole(models.Model):
    """What a user may do in one event. Later issues attach delegations and zones to these roles."""

    class Role(models.TextChoices):
        ORGANISER_ADMIN = "organiser_admin", _("organiser (administrator)")
        CO_ORGANISER = "co_organiser", _("co-organiser")
        SIDE_EVENT_ORGANISER = "side_event_organiser", _("side-event organiser")
        ACCREDITATION_OFFICER = "accreditation_officer", _("accreditation officer")
        SECURITY_OFFICER = "security_officer", _("security officer")
        FOCAL_POINT = "focal_point", _("delegation focal point")
        PARTICIPANT = "participant", _("participant")
        GATE_OFFICER = "gate_officer", _("gate officer")
        JOURNALIST = "journalist", _("journalist")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role in an event")
        verbose_name_plural = _("roles in events")
        constraints = [models.UniqueConstraint(fields=["event", "user", "role"], name="event_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.event})"


from .models_tokens import EventApiToken  # noqa: E402,F401 - registered with this app
