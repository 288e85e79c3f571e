"""The send ledger: one row per recipient of a campaign, with an explicit state machine.

QUEUED -> SENDING (claimed by a worker, with a lease) -> SENT | FAILED | UNKNOWN.
A transient error puts the row back to QUEUED with a later due time; UNKNOWN is never sent again
automatically (staff decide: "mark sent" or "resend"). With an ESP that honours idempotency keys
(Resend) an ambiguous attempt goes back to QUEUED too, retried under the same key while the ESP
remembers it (``ambiguous_since``); a "resend" decision starts a new key (``resend_count``).
SKIPPED rows were suppressed at send time, CANCELLED rows belonged to a cancelled campaign. The
ledger lives in the database only: the broker just wakes workers up."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown — needs a decision")
    SKIPPED = "skipped", _("Skipped (suppressed)")
    CANCELLED = "cancelled", _("Cancelled")


class DeliveryStatus(models.TextChoices):
    """What the ESP reported afterwards. Higher precedence wins whatever the arrival order."""

    NONE = "", _("No report yet")
    DEFERRED = "deferred", _("Deferred")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    CLICKED = "clicked", _("Clicked")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Complained (spam)")


DELIVERY_PRECEDENCE = {
    DeliveryStatus.NONE: 0,
    DeliveryStatus.DEFERRED: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.OPENED: 3,
    DeliveryStatus.CLICKED: 4,
    DeliveryStatus.UNSUBSCRIBED: 5,
    DeliveryStatus.BOUNCED: 6,
    DeliveryStatus.COMPLAINED: 7,
}


class Message(models.Model):
    campaign = models.ForeignKey(
        "outreach.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    # Opaque id: the only thing that goes to the ESP (metadata) and into tokens.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("addressee"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via_assistant = models.ForeignKey(
        "crm.Person",
        verbose_name=_("sent via assistant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.CharField(_("recipient address"), max_length=254)
    email_digest = models.CharField(_("address identity (hashed)"), max_length=64)
    language = models.CharField(_("language"), max_length=12)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    due_at = models.DateTimeField(_("due at"))

    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    esp_message_id = models.CharField(_("ESP message id"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The ESP idempotency key is derived from public_id and resend_count (sending.idempotency_key).
    resend_count = models.PositiveSmallIntegerField(
        _("resent by decision"),
        default=0,
        help_text=_("How many times a person decided to send this message again."),
    )
    ambiguous_since = models.DateTimeField(
        _("outcome unknown since"),
        null=True,
        blank=True,
        help_text=_(
            "When an attempt whose outcome is unknown was handed to the ESP; it is retried "
            "automatically only while the ESP still recognises it as a repeat."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    delivery_status = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryStatus.choices, default="", blank=True
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    complained_at = models.DateTimeField(_("complained at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_digest"], name="outreach_one_message_per_identity"
            )
        ]
        indexes = [
            models.Index(
                # the claim's order (due_at, id) straight from the index: see claim_batch
                fields=["campaign", "due_at", "id"],
                condition=Q(status="queued"),
                name="outreach_msg_due_idx",
            ),
            models.Index(
                fields=["lease_until"], condition=Q(status="sending"), name="outreach_msg_lease_idx"
            ),
            models.Index(fields=["campaign", "status"], name="outreach_msg_status_idx"),
            models.Index(fields=["esp_message_id"], name="outreach_msg_espid_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"
