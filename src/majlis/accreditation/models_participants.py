"""What participants get besides their accreditation: desks, the organisers' letterhead, visa-support
letters and the organisers' mass e-mails. Imported by ``models.py``; state changes go through
``services_participants.py``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from majlis.events.models import Event, Organisation

prefix_validator = RegexValidator(r"^[A-Z0-9]{2,12}$", _("Use 2 to 12 capital Latin letters or digits, e.g. TAS22."))


class AccreditationDesk(models.Model):
    """Where participants collect their badges: named in the decision e-mails."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="desks")
    location = models.CharField(
        _("location"), max_length=300, help_text=_("For example: Hotel Uzbekistan, ground floor, main lobby.")
    )  # per language
    address = models.CharField(_("address"), max_length=300, blank=True)  # per language
    opening_hours = models.TextField(
        _("opening hours"), help_text=_("For example: 2 March, 10:00–20:00; 3 March, from 07:30.")
    )  # per language
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("accreditation desk")
        verbose_name_plural = _("accreditation desks")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.location


class OrganiserDetails(models.Model):
    """The organisers' address and letterhead, and the prefix of the event's reference numbers."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="organiser_details"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation on the letterhead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its logo and name head the visa-support letters. Empty: the event's host."),
    )
    address = models.TextField(_("organisers' postal address"), blank=True)  # per language
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    signatory_name = models.CharField(_("name of the person who signs the letters"), max_length=200, blank=True)
    signatory_title = models.CharField(_("their position"), max_length=300, blank=True)  # per language
    reference_prefix = models.CharField(
        _("prefix of reference numbers"),
        max_length=12,
        blank=True,
        validators=[prefix_validator],
        help_text=_(
            "Empty: made from the event's short name in URLs. Set it before registration opens: "
            "changing it changes every reference number."
        ),
    )

    class Meta:
        verbose_name = _("organisers' address and letterhead")
        verbose_name_plural = _("organisers' address and letterhead")

    def __str__(self) -> str:
        return str(self.event)


def reference_prefix(event: Event) -> str:
    """The prefix of the event's reference numbers (read once per event object)."""
    cached = getattr(event, "_reference_prefix", None)
    if cached is None:
        chosen = OrganiserDetails.objects.filter(event=event).values_list("reference_prefix", flat=True).first()
        cached = chosen or default_prefix(event)
        event._reference_prefix = cached  # type: ignore[attr-defined]
    return cached


def format_reference(prefix: str, pk: int) -> str:
    return f"{prefix}-{pk:05d}"


def default_prefix(event: Event) -> str:
    """TASHKENT2022 for tashkent-2022: the slug without separators, in capitals, at most 12 characters."""
    return re.sub(r"[^A-Z0-9]", "", event.slug.upper())[:12] or "EVENT"


class VisaLetter(models.Model):
    """A visa-support letter asked for by (or issued by the organisers for) an approved in-person participant.

    The PDF is made at each download from the application as it is then (never stored); it carries
    the passport number only when the participant agreed to it.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ISSUED = "issued", _("issued")

    application = models.OneToOneField(
        "accreditation.Application", verbose_name=_("application"), on_delete=models.CASCADE, related_name="visa_letter"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    include_passport = models.BooleanField(_("passport number in the letter"), default=False)
    embassy = models.CharField(_("embassy or consulate"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("visa-support letter")
        verbose_name_plural = _("visa-support letters")
        ordering = ["application__event", "number"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.application.reference}/V{self.number}"


class MassMailing(models.Model):
    """One e-mail written by the organisers to the participants matching a filter of their list.

    Subject and body exist per language (English required); each recipient gets one ``OutboxMessage``
    in their own language, keyed ``mass:<mailing>:<application>`` so that no one gets it twice.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("being sent")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="mailings")
    subject = models.CharField(_("subject"), max_length=200)  # per language
    body = models.TextField(_("message"))  # per language
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sending started"), null=True, blank=True)

    class Meta:
        verbose_name = _("mass e-mail")
        verbose_name_plural = _("mass e-mails")
        ordering = ["event", "-created_at"]

    def __str__(self) -> str:
        return self.subject
