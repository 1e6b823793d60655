"""Zones of the venue, their gates, and every scan made at them.

A ``Scan`` is the record of one badge shown at one gate (accepted or refused, and why), made by an
officer's browser or a gate device's API token. Its ``nonce``, chosen by the scanning device, makes a
retried request or a re-synchronised offline queue count once. ``Presence`` is where a badge is now
(inside a zone or not) and how often it entered: the check-in service locks the badge row before
reading it, so two gates scanning one badge at the same moment give one entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from majlis.accreditation.models import Category
from majlis.badges.models import Badge
from majlis.events.models import Event, EventApiToken, Room


class Zone(models.Model):
    class Kind(models.TextChoices):
        PERIMETER = "perimeter", _("venue perimeter")
        PLENARY = "plenary", _("plenary hall")
        MEETING = "meeting", _("meeting room")
        BILATERAL = "bilateral", _("bilateral meeting rooms")
        PRESS = "press", _("press centre")
        VIP = "vip", _("VIP lounge")
        OTHER = "other", _("other area")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)  # per language
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories allowed in"),
        related_name="+",
        blank=True,
        help_text=_("Badges of these categories may enter."),
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("While a session takes place in this room, only people who may attend it enter."),
    )
    entry_once = models.BooleanField(
        _("one entry per badge"),
        default=False,
        help_text=_("A badge that entered once is refused afterwards (otherwise people may leave and come back)."),
    )
    exit_scanning = models.BooleanField(
        _("scan on the way out"), default=False, help_text=_("Gates scan exits too, so the zone knows who is inside.")
    )
    open_days = models.JSONField(
        _("days open"),
        default=list,
        blank=True,
        help_text=_("Days (YYYY-MM-DD) on which badges are valid in this zone; none means every day of the event."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Gate(models.Model):
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="gates")
    name = models.CharField(_("name"), max_length=120)  # per language

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["zone", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    ENTRY = "entry", _("entry")
    EXIT = "exit", _("exit")


class ZoneRefusal(models.TextChoices):
    """Refusals of a genuine badge by the zone's rules (the badge's own are ``badges.tokens.Refusal``)."""

    CATEGORY = "category", _("not allowed in this zone")
    CLOSED_DAY = "closed_day", _("not valid in this zone today")
    ALREADY_ENTERED = "already_entered", _("already entered: one entry per badge")
    SESSION = "session", _("may not attend the session now in this room")


class Scan(models.Model):
    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="scans")
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="scans")
    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices, default=Direction.ENTRY)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=24, blank=True)
    nonce = models.CharField(max_length=64)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gate officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    device = models.ForeignKey(
        EventApiToken,
        verbose_name=_("gate device"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("scanned"))  # the device's clock (offline scans are synchronised later)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    offline = models.BooleanField(_("scanned offline"), default=False)
    # An offline decision the server would not have taken (the badge was revoked meanwhile, a second
    # entry of a one-entry zone…): the person is through the gate, the organisers are told.
    conflict = models.CharField(_("conflict"), max_length=24, blank=True)
    conflict_acknowledged_at = models.DateTimeField(_("conflict acknowledged"), null=True, blank=True)
    conflict_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conflict acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Let in (or not) by the officer after a name search, without a badge code: the officer looked at
    # the person and their identity document. Organisers see these apart from scanned badges.
    manual = models.BooleanField(_("admitted by name search"), default=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "nonce"], name="scan_nonce_unique_per_event")]
        indexes = [
            models.Index(fields=["event", "scanned_at"]),
            models.Index(fields=["zone", "result", "scanned_at"]),
            models.Index(
                fields=["event", "scanned_at"],
                condition=~models.Q(conflict=""),
                name="scan_conflicts_by_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_result_display()} {self.scanned_at:%Y-%m-%d %H:%M:%S}"


class Presence(models.Model):
    badge = models.ForeignKey(Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="presences")
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="presences")
    inside = models.BooleanField(_("inside"), default=False)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    first_entry_at = models.DateTimeField(_("first entry"), null=True, blank=True)
    last_movement_at = models.DateTimeField(_("last movement"), null=True, blank=True)

    class Meta:
        verbose_name = _("presence in a zone")
        verbose_name_plural = _("presences in zones")
        constraints = [models.UniqueConstraint(fields=["badge", "zone"], name="presence_badge_zone_unique")]

    def __str__(self) -> str:
        return f"{self.badge} in {self.zone}: {'inside' if self.inside else 'outside'}"
