"""Badges and the keys that sign them.

A ``Badge`` row is one printed card: re-issuing (lost card, changed category or name, rotated key)
revokes the row and creates a new one with the next ``revision`` of the same ``serial``, so a
revocation list of badge ids is exact and an old card never passes a gate again. The QR code holds a
signed token (``tokens.py``) naming the badge id and revision, never personal data.

Each event has its own Ed25519 key pairs (``SigningKey``): one current key signs, retired keys still
verify the badges they signed, a withdrawn key (compromised) verifies nothing. The private key is
encrypted at rest with the data keys (``core.crypto``; ``majlis rotate-data-keys`` re-encrypts every
``*_encrypted`` column).

A ``PrintJob`` is one "print every badge matching these filters" asked at the badge desk: the worker
renders the PDF (``services_printing.run_print_job``) into a private file and counts its progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from majlis.accreditation.models import Application, Category, private_upload_to
from majlis.events.models import Event


class SigningKey(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="badge_keys")
    key_id = models.PositiveBigIntegerField(_("key id"))  # first four bytes of SHA-256(public key), big-endian
    public_key = models.BinaryField(_("public key"), max_length=32)
    private_key_encrypted = models.BinaryField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)  # no longer signs; still verifies
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)  # verifies nothing any more
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")
        ordering = ["event", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key_id"], name="badge_key_id_unique"),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(retired_at__isnull=True, withdrawn_at__isnull=True),
                name="badge_key_one_current_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.slug} key {self.key_id:08x}"

    @property
    def key_id_hex(self) -> str:
        return f"{self.key_id:08x}"

    @property
    def verifies(self) -> bool:
        return self.withdrawn_at is None


class RevokeReason(models.TextChoices):
    NOT_ACCREDITED = "not_accredited", _("no longer accredited in person")
    CATEGORY_CHANGED = "category_changed", _("category changed")
    DATA_CHANGED = "data_changed", _("printed details changed")
    LOST = "lost", _("reported lost")
    KEY_WITHDRAWN = "key_withdrawn", _("signing key withdrawn")
    VETTING_REFUSED = "vetting_refused", _("security vetting refused")
    ORGANISER = "organiser", _("revoked by the organisers")


class IdentityDocument(models.TextChoices):
    PASSPORT = "passport", _("passport")
    NATIONAL_ID = "national_id", _("national identity card")
    DIPLOMATIC_ID = "diplomatic_id", _("diplomatic identity card")
    OTHER = "other", _("other photo identity document")


class Badge(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        REVOKED = "revoked", _("revoked")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="badges")
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="badges"
    )
    serial = models.PositiveIntegerField(_("badge number"))  # the same for every revision of one person's badge
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ISSUED)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(SigningKey, verbose_name=_("signing key"), on_delete=models.PROTECT, related_name="badges")
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    # SHA-256 of what is printed (names, category, organisation, photo): a change re-issues the badge.
    printed_fingerprint = models.CharField(max_length=64, editable=False)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=20, choices=RevokeReason.choices, blank=True)
    printed_at = models.DateTimeField(_("last printed"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected"), null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collector_document = models.CharField(
        _("identity document checked"), max_length=16, choices=IdentityDocument.choices, blank=True
    )
    collector_name = models.CharField(_("collected by (if not the holder)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["event", "serial", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["event", "serial", "revision"], name="badge_serial_revision_unique"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="issued"), name="badge_one_issued_per_application"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The short number printed on the card and said at the desk: 0042, or 0042-2 for a re-issue."""
        base = f"{self.serial:04d}"
        return base if self.revision == 1 else f"{base}-{self.revision}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class PrintFormat(models.TextChoices):
    """The paper of a print job (the values of ``pdf.BadgeFormat``)."""

    ID1 = "id1", _("ID-1 cards (85.6 × 54 mm, card printer)")
    A6 = "a6", _("A6, one badge a page")
    A4_SHEET = "a4", _("A4 sheets with cut marks")


class PrintJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("being printed")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="badge_print_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The desk's filters (``queries_desk.BadgeFilter.as_dict``); only issued badges are ever printed.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=PrintFormat.choices, default=PrintFormat.A6)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    total = models.PositiveIntegerField(_("badges"), default=0)
    done = models.PositiveIntegerField(_("printed so far"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_to, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge print job")
        verbose_name_plural = _("badge print jobs")
        ordering = ["event", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event.slug} print job {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
