"""Accreditation: who may come to an event, in what capacity, and the personal data that takes.

Thin models: every state change goes through ``services.py`` (transactional, audited, mailed).
Personal files (photos, notes verbales, press cards) are stored under random names in the private
storage and served only by permission-checked views; passport numbers are encrypted at rest.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from majlis.core.models import Honorific, TimeStampedModel
from majlis.events.models import Event, Organisation, country_code_validator

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f4e79."))


def private_upload_to(instance: models.Model, filename: str) -> str:
    """A random name in a folder per model: the original name is kept in the row, never in the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/{instance._meta.model_name}/{uuid.uuid4().hex}.{extension}"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class SupportingDocument(models.TextChoices):
    NONE = "", _("none")
    NOTE_VERBALE = "note_verbale", _("note verbale")
    NOMINATION_LETTER = "nomination_letter", _("nomination letter")
    PRESS_CARD = "press_card", _("press card")


class Category(models.Model):
    """A participant category of one event: its badge colour, rules and in-person quota."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)  # per language
    colour = models.CharField(_("badge colour"), max_length=7, default="#1f4e79", validators=[colour_validator])
    needs_approval = models.BooleanField(
        _("needs approval"),
        default=True,
        help_text=_(
            "Without approval, an individual application in this category is accepted as soon as it is "
            "submitted: keep that for applicants the organisers trust, e.g. those with an invitation code. "
            "Delegation members always wait for the organisers' decision on the delegation's credentials "
            "and on each member."
        ),
    )
    required_document = models.CharField(
        _("supporting document"), max_length=20, choices=SupportingDocument.choices, blank=True
    )
    allows_in_person = models.BooleanField(_("may attend in person"), default=True)
    allows_online = models.BooleanField(_("may attend online"), default=True)
    public_listing_allowed = models.BooleanField(_("may appear in the public participant list"), default=True)
    in_person_quota = models.PositiveIntegerField(_("in-person quota"), null=True, blank=True)
    self_registration = models.BooleanField(
        _("open to individual applicants"),
        default=False,
        help_text=_(
            "Shown on the public registration form (otherwise only through delegations or an invitation code)."
        ),
    )
    for_delegations = models.BooleanField(
        _("may be given to delegation members"),
        default=True,
        help_text=_(
            "Organisers choose, for each delegation, which of these categories its focal point may give its "
            "members. Staff, interpreters, security and media are accredited by the organisers themselves."
        ),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    registration_opens_at = models.DateTimeField(
        _("individual registration opens"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event's registration opens."),
    )
    registration_closes_at = models.DateTimeField(
        _("individual registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event's registration closes."),
    )

    class Meta:
        verbose_name = _("participant category")
        verbose_name_plural = _("participant categories")
        ordering = ["event", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="category_code_unique_in_event")]

    def __str__(self) -> str:
        return self.name

    def registration_window_state(self, now: datetime) -> str:
        """'open', 'not_open' (before its own opening time) or 'closed' (after its own closing time)."""
        if self.registration_opens_at is not None and now < self.registration_opens_at:
            return "not_open"
        if self.registration_closes_at is not None and now >= self.registration_closes_at:
            return "closed"
        return "open"

    @property
    def modes(self) -> list[str]:
        return [
            m for m, allowed in ((Mode.IN_PERSON, self.allows_in_person), (Mode.ONLINE, self.allows_online)) if allowed
        ]


class InvitationCode(models.Model):
    """Lets individuals apply in a category that is not open to everyone. Only a hash is stored."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    max_uses = models.PositiveIntegerField(_("maximum uses"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses"), default=0)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), null=True, blank=True, auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")

    def __str__(self) -> str:
        return self.label or f"{self.category} #{self.pk}"

    def state(self, now: datetime) -> str:
        """'active', 'revoked', 'expired' or 'used_up'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used_up"
        return "active"


class EventCapacity(models.Model):
    """The in-person capacity of an event; its row is the lock taken by every seat allocation."""

    event = models.OneToOneField(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="capacity")
    in_person_capacity = models.PositiveIntegerField(_("in-person capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("in-person capacity")
        verbose_name_plural = _("in-person capacities")

    def __str__(self) -> str:
        return str(self.event)


DEFAULT_RETENTION_DAYS = 180


class AccreditationSettings(models.Model):
    """When an event's registration is open, the focal points' nomination deadline, and data retention."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="accreditation_settings"
    )
    registration_open = models.BooleanField(
        _("registration open"),
        default=True,
        help_text=_("Switch off to close registration at once, whatever the dates."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: as soon as the switch is on.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: until the event ends.")
    )
    nomination_deadline = models.DateTimeField(
        _("nomination deadline"),
        null=True,
        blank=True,
        help_text=_("After it, focal points can no longer nominate members; organisers still can."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep personal data for (days after the event)"), default=DEFAULT_RETENTION_DAYS
    )

    class Meta:
        verbose_name = _("accreditation settings")
        verbose_name_plural = _("accreditation settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__isnull=True)
                | models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="registration_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return str(self.event)

    def window_state(self, now: datetime) -> str:
        """'open', 'closed' (switched off or after the closing time) or 'not_open' (before the opening time)."""
        if not self.registration_open:
            return "closed"
        if self.registration_closes_at is not None and now >= self.registration_closes_at:
            return "closed"
        if self.registration_opens_at is not None and now < self.registration_opens_at:
            return "not_open"
        return "open"

    def nomination_closed(self, now: datetime) -> bool:
        return self.nomination_deadline is not None and now >= self.nomination_deadline


class PrivacyNotice(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="privacy_notices")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text (Markdown)"))  # per language
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["event", "-version"]
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="privacy_notice_version_unique")]

    def __str__(self) -> str:
        return f"{self.event} v{self.version}"


class Delegation(TimeStampedModel):
    """A state's or organisation's delegation, registered by its focal point."""

    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("member state")
        OBSERVER = "observer", _("observer")
        ORGANISATION = "organisation", _("international or regional organisation")

    class Status(models.TextChoices):
        INVITED = "invited", _("focal point invited")
        OPEN = "open", _("being prepared")
        SUBMITTED = "submitted", _("credentials submitted")
        APPROVED = "approved", _("credentials approved")
        REJECTED = "rejected", _("credentials rejected")

        # Status groups: the one place that says which delegation states allow what (the workflow and
        # the services check them; views and templates only ask).
        @classmethod
        def in_preparation(cls) -> frozenset[str]:
            """The focal point has not submitted the credentials yet."""
            return frozenset({cls.INVITED, cls.OPEN})

        @classmethod
        def documents_open(cls) -> frozenset[str]:
            """The focal point may upload documents and edit the delegation: before submission, or after a rejection."""
            return frozenset({cls.INVITED, cls.OPEN, cls.REJECTED})

        @classmethod
        def submission_open(cls) -> frozenset[str]:
            """The focal point may submit the credentials (again, after a rejection)."""
            return frozenset({cls.OPEN, cls.REJECTED})

        @classmethod
        def nomination_open(cls) -> frozenset[str]:
            """The focal point may nominate members: any time but while the credentials are being decided."""
            return frozenset({cls.INVITED, cls.OPEN, cls.APPROVED, cls.REJECTED})

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="delegations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("state or organisation"), on_delete=models.PROTECT, related_name="delegations"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[country_code_validator])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    focal_point_email = models.EmailField(_("focal point's e-mail"))
    focal_point_language = models.CharField(
        _("focal point's language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    default_category = models.ForeignKey(
        Category,
        verbose_name=_("category of its members"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allowed_categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories its members may have"),
        through="DelegationCategory",
        blank=True,
        related_name="+",
    )
    member_limit = models.PositiveIntegerField(_("maximum members"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["event", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="delegation_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def members_with_role(self, *roles: str) -> models.QuerySet[Any]:
        """The people holding any of ``roles`` in this delegation (any role when none is named)."""
        from django.contrib.auth import get_user_model

        memberships = self.memberships.all()
        if roles:
            memberships = memberships.filter(role__in=roles)
        return get_user_model().objects.filter(pk__in=memberships.values("user_id")).order_by("pk")

    def focal_points(self) -> models.QuerySet[Any]:
        return self.members_with_role(DelegationMembership.Role.FOCAL_POINT)

    def is_claimed(self) -> bool:
        """Whether a focal point has logged in and taken the delegation on."""
        return self.memberships.filter(role=DelegationMembership.Role.FOCAL_POINT).exists()

    def roles_of(self, user: Any) -> set[str]:
        """The roles ``user`` holds in this delegation (cached on the delegation for the request)."""
        if not getattr(user, "is_authenticated", False):
            return set()
        cache: dict[int, set[str]] = self.__dict__.setdefault("_majlis_roles_of", {})
        if user.pk not in cache:
            cache[user.pk] = set(self.memberships.filter(user=user).values_list("role", flat=True))
        return cache[user.pk]

    def forget_roles(self) -> None:
        """Drop the cached roles after a membership changed."""
        self.__dict__.pop("_majlis_roles_of", None)


class DelegationMembership(models.Model):
    """A person acting for a delegation, in one role; a person may hold several roles, and a
    delegation several focal points (a deputy)."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("focal point")
        HEAD_OF_DELEGATION = "head_of_delegation", _("head of delegation")
        NEGOTIATOR = "negotiator", _("negotiator")
        MEMBER = "member", _("member")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="delegation_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("delegation membership")
        verbose_name_plural = _("delegation memberships")
        ordering = ["delegation", "role", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "user", "role"], name="delegation_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.user} ({self.get_role_display()})"


class DelegationCategory(models.Model):
    """A category the organisers allow a delegation's members to have, with an optional limit."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="category_rules")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+")
    member_limit = models.PositiveIntegerField(_("maximum members in this category"), null=True, blank=True)

    class Meta:
        verbose_name = _("category allowed to a delegation")
        verbose_name_plural = _("categories allowed to a delegation")
        ordering = ["delegation", "category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "category"], name="delegation_category_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.category}"


class DelegationDocument(models.Model):
    """A note verbale or nomination letter backing a delegation's credentials. Private file."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupportingDocument.choices)
    file = models.FileField(_("file"), upload_to=private_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation document")
        verbose_name_plural = _("delegation documents")
        ordering = ["delegation", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.get_kind_display()}"


class ApplicationQuerySet(models.QuerySet["Application"]):
    """Applications by status group (``Application.Status.live()`` and so on)."""

    def live(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.live())

    def closed(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.closed())

    def not_gone(self) -> ApplicationQuerySet:
        return self.exclude(status__in=Application.Status.gone())

    def counted(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.counted())

    def pending(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.pending())

    def decided(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.decided())

    def accredited(self) -> ApplicationQuerySet:
        return self.filter(status__in=Application.Status.accredited())


class Application(TimeStampedModel):
    """One person's accreditation to one event."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        APPROVED = "approved", _("approved")
        WAITLISTED = "waitlisted", _("waitlisted")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled by the participant")
        WITHDRAWN = "withdrawn", _("withdrawn by the organisers")

        # Status groups: the one place that names them (``ApplicationQuerySet`` filters by them, the
        # workflow's transitions are written with them).
        @classmethod
        def live(cls) -> frozenset[str]:
            """Not closed: the person still counts as applying (duplicates are checked among these)."""
            return frozenset({cls.DRAFT, cls.SUBMITTED, cls.UNDER_REVIEW, cls.APPROVED, cls.WAITLISTED})

        @classmethod
        def closed(cls) -> frozenset[str]:
            """Final: refused, cancelled by the person, or withdrawn by the organisers."""
            return frozenset({cls.REJECTED, cls.CANCELLED, cls.WITHDRAWN})

        @classmethod
        def gone(cls) -> frozenset[str]:
            """The person left or the organisers took them off (a rejected member is still listed)."""
            return frozenset({cls.CANCELLED, cls.WITHDRAWN})

        @classmethod
        def counted(cls) -> frozenset[str]:
            """Taking part in the figures: submitted and not closed."""
            return frozenset({cls.SUBMITTED, cls.UNDER_REVIEW, cls.APPROVED, cls.WAITLISTED})

        @classmethod
        def pending(cls) -> frozenset[str]:
            """Waiting for the organisers' first decision."""
            return frozenset({cls.SUBMITTED, cls.UNDER_REVIEW})

        @classmethod
        def undecided(cls) -> frozenset[str]:
            """Not decided yet: a draft or waiting for a decision."""
            return frozenset({cls.DRAFT, cls.SUBMITTED, cls.UNDER_REVIEW})

        @classmethod
        def decided(cls) -> frozenset[str]:
            """Decided and still live: a change of key data sends these back to review."""
            return frozenset({cls.APPROVED, cls.WAITLISTED})

        @classmethod
        def decidable(cls) -> frozenset[str]:
            """The organisers may still approve: submitted, under review or waiting for a seat."""
            return frozenset({cls.SUBMITTED, cls.UNDER_REVIEW, cls.WAITLISTED})

        @classmethod
        def accredited(cls) -> frozenset[str]:
            return frozenset({cls.APPROVED})

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        UNDISCLOSED = "undisclosed", _("prefer not to say")

    Honorific = Honorific

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_head_of_delegation = models.BooleanField(_("head of delegation"), default=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    mode = models.CharField(_("participation"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)

    honorific = models.CharField(_("honorific"), max_length=8, choices=Honorific.choices, blank=True)
    family_name = models.CharField(_("family name (as in the passport)"), max_length=100)
    given_names = models.CharField(_("given names (as in the passport)"), max_length=150)
    name_native = models.CharField(_("name in your own script"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_code_validator])
    organisation_name = models.CharField(_("organisation"), max_length=300)
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=300)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, help_text=_("International format, e.g. +998 71 123 45 67.")
    )
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en")
    photo = models.FileField(_("photo"), upload_to=private_upload_to, blank=True)
    supporting_document = models.FileField(_("supporting document"), upload_to=private_upload_to, blank=True)
    supporting_document_name = models.CharField(max_length=200, blank=True)
    sessions = models.ManyToManyField(
        "programme.Session",
        verbose_name=_("sessions you intend to attend"),
        blank=True,
        through="SessionSeat",
        related_name="+",
    )
    interpretation_needs = models.CharField(_("interpretation needs"), max_length=300, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)

    # In person only. The passport number is stored encrypted (majlis.core.crypto), never in clear.
    passport_number_encrypted = models.BinaryField(
        _("passport number (encrypted)"), null=True, blank=True, editable=False
    )
    # ``key id$hex`` (majlis.core.crypto.digest): the key id lets a digest key be rotated.
    passport_number_digest = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    passport_expiry = models.DateField(_("passport expiry date"), null=True, blank=True)
    passport_country = models.CharField(
        _("passport issued by"), max_length=2, blank=True, validators=[country_code_validator]
    )
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    arrival_details = models.CharField(_("arrival details (flight, train)"), max_length=200, blank=True)
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    departure_details = models.CharField(_("departure details"), max_length=200, blank=True)

    privacy_notice = models.ForeignKey(
        PrivacyNotice,
        verbose_name=_("privacy notice accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    listed_publicly = models.BooleanField(_("appear in the public participant list"), default=False)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    invitation_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    deletion_requested_at = models.DateTimeField(_("deletion requested"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["event", "family_name", "given_names"]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["event", "email"]),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def holds_in_person_seat(self) -> bool:
        return self.status == self.Status.APPROVED and self.mode == Mode.IN_PERSON

    @property
    def reference(self) -> str:
        """The stable reference number shown to the participant and organisers, e.g. TASHKENT2022-00042."""
        from .models_participants import format_reference, reference_prefix

        return format_reference(reference_prefix(self.event), self.pk) if self.pk else ""


class SessionSeat(models.Model):
    """A seat in a session with its own capacity (side events, breakouts), or a place on its waitlist."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("waitlisted")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="seats")
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="seats")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session seat")
        verbose_name_plural = _("session seats")
        ordering = ["session", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "session"], name="session_seat_unique")]

    def __str__(self) -> str:
        return f"{self.application} — {self.session} ({self.status})"


class SessionInvitation(models.Model):
    """An organiser's personal invitation of one application to one session (by-invitation side events).

    It makes the person eligible for the session whatever its access rule (``session_access``);
    made and withdrawn only through ``services.invite_to_session`` / ``withdraw_session_invitation``.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="session_invitations")
    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to a session")
        verbose_name_plural = _("invitations to sessions")
        ordering = ["session", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "session"], name="session_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.application} — {self.session}"


class LoginLink(models.Model):
    """A one-time e-mail log-in link, single use. Only a hash is stored.

    An ordinary link asked for on the log-in page is valid 20 minutes; the link in an invitation
    (to a focal point, or to a member completing their own data) lasts ``MAJLIS_INVITATION_LINK_HOURS``
    (72 hours by default), so that it can be used across time zones.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", _("log-in")
        INVITATION = "invitation", _("invitation")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_links")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.LOGIN)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    # The outbox message that carried it: a retried message voids the links of its earlier attempts.
    message_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = _("log-in link")
        verbose_name_plural = _("log-in links")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class Vetting(models.Model):
    """The security vetting of one member of a delegation, set by the host country's services.

    Shown to holders of ``accreditation.view`` and ``accreditation.vet`` in the event only: never to the
    focal point, to the member, in the focal point's files or on public pages. A member without a
    row has not been vetted. Every change goes through ``services_delegation_tools.set_vetting_status``.
    """

    class Status(models.TextChoices):
        NOT_VETTED = "not_vetted", _("not vetted")
        PENDING = "pending", _("vetting pending")
        CLEARED = "cleared", _("cleared")
        REFUSED = "refused", _("refused")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="vetting"
    )
    status = models.CharField(_("vetting status"), max_length=10, choices=Status.choices, default=Status.NOT_VETTED)
    note = models.TextField(_("vetting note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("security vetting")
        verbose_name_plural = _("security vettings")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_status_display()}"


from .models_participants import (  # noqa: E402,F401 - registered with this app
    AccreditationDesk,
    MassMailing,
    OrganiserDetails,
    VisaLetter,
)
