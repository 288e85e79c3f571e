"""The door: who may check guests in at an event, and every scan a door device made.

A `CheckIn` row is one scan as the device saw it, identified by the id the device gave it, so a
queue uploaded twice is stored once. Its outcome is decided by the server under a lock on the
registration: the first entry admits, a second entry (without an exit between) is a conflict that
names the earlier gate, time and device.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DoorAssignment(models.Model):
    """A staff member who checks guests in at an event (the "Door staff" role sees only these)."""

    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="door_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="door_assignments",
    )
    gate = models.CharField(_("gate"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("door assignment")
        verbose_name_plural = _("door assignments")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="outreach_door_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class CheckIn(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("entry")
        OUT = "out", _("exit")

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        CONFLICT = "conflict", _("already checked in")
        REFUSED = "refused", _("refused")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        NAME = "name", _("found by name")
        WALK_IN = "walk_in", _("walk-in")

    scan_id = models.UUIDField(_("scan id"), unique=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        "outreach.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="checkins"
    )
    registration = models.ForeignKey(
        "outreach.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="checkins",
    )
    attendee = models.PositiveSmallIntegerField(
        _("attendee"), default=0, help_text=_("0 the guest, n the n-th companion.")
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.IN
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    method = models.CharField(_("how"), max_length=8, choices=Method.choices, default=Method.QR)
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    device = models.CharField(_("device"), max_length=60, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        permissions = [("check_in_guests", _("Can check guests in at assigned events"))]
        ordering = ["event", "scanned_at", "id"]
        indexes = [
            models.Index(fields=["registration", "attendee", "scanned_at"], name="outreach_ci_att"),
            models.Index(fields=["event", "outcome"], name="outreach_ci_event"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.registration_id}/{self.attendee}"


class ProtocolRank(models.Model):
    """A guest's place in the order of precedence as staff set it (overrides the rank suggested
    by position), and the date of appointment that breaks ties."""

    registration = models.OneToOneField(
        "outreach.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="protocol_rank",
    )
    rank = models.PositiveSmallIntegerField(_("protocol rank"), null=True, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("protocol rank")
        verbose_name_plural = _("protocol ranks")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.rank}"
