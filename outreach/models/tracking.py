"""Tracking events from the ESP, stored once each (unique on ESP + event id), applied later."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TrackingEvent(models.Model):
    """One event as the ESP reported it. The webhook only inserts these rows (fast under bursts);
    a worker applies them to the messages in bulk (outreach.services.tracking)."""

    esp = models.CharField(_("ESP"), max_length=30)
    # The ESP's event id where it has one; else a digest of the payload (a replay is identical).
    event_id = models.CharField(_("event id"), max_length=100)
    # No index: nothing looks events up by type, and each index is written by every webhook.
    event_type = models.CharField(pgettext_lazy("tracking event type", "event"), max_length=20)
    esp_message_id = models.CharField(_("ESP message id"), max_length=100, blank=True)
    message_public_id = models.CharField(_("message"), max_length=36, blank=True)
    reject_reason = models.CharField(_("reject reason"), max_length=20, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # Why the event was (partly) ignored: found malformed on receipt or failed to apply. A bad
    # event is marked and set aside; it never holds up the events after it.
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["esp", "event_id"], name="outreach_event_once")
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(applied_at__isnull=True),
                name="outreach_event_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.esp} {self.event_type} {self.event_id}"
