"""The suppression list: addresses that must not receive campaign mail (for one purpose or all).

Only the address's identity digest is kept (crm.identity.email_digest), so an entry
survives the erasure of the person and still stops a later import from being mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SuppressionReason(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", _("Hard bounce")
    COMPLAINT = "complaint", _("Spam complaint")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
    MANUAL = "manual", _("Added by staff")
    ERASURE = "erasure", _("Person erased")


class Suppression(models.Model):
    email_digest = models.CharField(_("address identity (hashed)"), max_length=64)
    purpose = models.CharField(
        _("purpose"),
        max_length=30,
        blank=True,
        help_text=_("Empty: every purpose."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=SuppressionReason.choices)
    source_message = models.ForeignKey(
        "outreach.Message",
        verbose_name=_("caused by message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppression")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email_digest", "purpose"], name="outreach_suppressed_once"
            )
        ]

    def __str__(self) -> str:
        scope = self.purpose or _("all purposes")
        return f"{self.email_digest[:12]}… ({self.get_reason_display()}, {scope})"


class SendRateBucket(models.Model):
    """The database fallback of the global send-rate limiter (embedded mode, no Redis)."""

    key = models.CharField(max_length=100, primary_key=True)
    tokens = models.FloatField(default=0)
    updated = models.FloatField(default=0)

    class Meta:
        verbose_name = _("send-rate bucket")
        verbose_name_plural = _("send-rate buckets")

    def __str__(self) -> str:
        return self.key
