from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Honorific(models.TextChoices):
    """How a person is addressed, in programmes, applications and badges."""

    HE = "he", _("H.E.")
    DR = "dr", _("Dr")
    PROF = "prof", _("Prof.")
    MR = "mr", _("Mr")
    MS = "ms", _("Ms")
    NONE = "", _("(none)")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogIsAppendOnly(Exception):
    """Raised on an attempt to change or delete audit entries other than by sealing or redacting them."""


# The only columns that change after an entry is written: its seal (``audit.seal``) and the redaction
# of the object's name when personal data is purged (``audit.redact``); neither touches what the hash
# chain covers.
SEAL_FIELDS = frozenset({"chain_position", "chain_key_id", "entry_hash"})
REDACTION_FIELDS = frozenset({"object_repr", "redacted_at"})


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        if not set(kwargs) <= SEAL_FIELDS | REDACTION_FIELDS:
            raise AuditLogIsAppendOnly(f"Audit entries cannot be changed ({', '.join(sorted(kwargs))}).")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which object, and why.

    Tamper-evident: ``audit.seal`` gives each committed entry the next ``chain_position`` and an
    ``entry_hash`` (HMAC with a digest key, ``chain_key_id``) over its content and the previous
    entry's hash, so that changing, removing or reordering an entry breaks the chain
    (``majlis verify-audit``). The object's name is covered through ``repr_digest`` so that a purge
    of personal data can redact the name (``redacted_at``) without breaking the chain.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor as recorded"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    event_slug = models.CharField(_("event"), max_length=100, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    repr_digest = models.CharField(max_length=100, blank=True, editable=False)
    redacted_at = models.DateTimeField(_("name removed"), null=True, blank=True, editable=False)
    chain_position = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    chain_key_id = models.CharField(max_length=16, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class ScheduledJob(models.Model):
    """The state of one periodic job of ``majlis.core.scheduler`` (one row per registered name).

    A worker runs the job only after claiming the row with one conditional UPDATE (due, and no live
    lease): with several workers on several hosts each due run happens once. ``running_until`` is the
    lease; if the worker dies mid-run it expires and another worker runs the job again.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(db_index=True)
    running_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=10, blank=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Deadline(models.Model):
    """A one-off piece of work to run once when ``run_at`` has come (``scheduler.schedule_at``).

    ``key`` makes scheduling idempotent: scheduling the same key again changes nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("deadline status", "pending")
        DONE = "done", pgettext_lazy("deadline status", "done")
        FAILED = "failed", pgettext_lazy("deadline status", "failed")

    key = models.CharField(max_length=200, unique=True)
    callable_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    run_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    running_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["run_at", "pk"]

    def __str__(self) -> str:
        return f"{self.key} at {self.run_at:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """One e-mail of the platform, queued, sent or failed: every e-mail of every app goes through here.

    ``key`` names the occurrence the message announces (e.g. ``application:42:approved:<audit id>``),
    so the same occurrence is never mailed twice. ``template`` names an entry of the registry of
    ``majlis.core.outbox``; ``context`` holds only ids and plain strings (never a secret, never a
    log-in link) from which the entry rebuilds what the templates show, in the recipient's language,
    when the message leaves. ``subject`` is rendered then too. ``event_id`` is the event the message
    belongs to, without a foreign key: core knows no conference (``events`` deletes an event's
    messages with it); ``related`` ("accreditation.application:42") lets organisers find a person's mail.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event_id = models.PositiveBigIntegerField(_("event"), null=True, blank=True, db_index=True)
    related = models.CharField(_("related object"), max_length=100, blank=True, db_index=True)
    recipient = models.EmailField(_("recipient"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    template = models.CharField(_("template"), max_length=100, db_index=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Not auto_now_add: the rows moved from the accreditation notifications keep their dates.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.status})"

    @property
    def related_label(self) -> str:
        """``"accreditation.application"`` for ``related="accreditation.application:42"``."""
        return self.related.rpartition(":")[0]

    @property
    def related_pk(self) -> int | None:
        """``42`` for ``related="accreditation.application:42"``."""
        pk = self.related.rpartition(":")[2]
        return int(pk) if pk.isdigit() else None
