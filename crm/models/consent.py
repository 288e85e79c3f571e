from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ConsentChannel, ConsentPurpose, LegalBasis


class ConsentQuerySet(models.QuerySet):
    def valid(self, at=None):
        """Given (not in the future) and not withdrawn (or withdrawn only later than `at`)."""
        at = at or timezone.now()
        return self.filter(given_at__lte=at).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at)
        )


class Consent(models.Model):
    """A person's consent (or other legal basis) to be contacted for one purpose on one channel.
    Withdrawal keeps the row (the record of what was agreed and when) and sets withdrawn_at."""

    person = models.ForeignKey(
        "crm.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=ConsentChannel.choices, default=ConsentChannel.EMAIL
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=30, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("How it was given: registration form, business card at event X, email..."),
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=50, blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        indexes = [
            # "Does this person hold a valid consent?" answered from the index alone.
            models.Index(
                fields=["person", "purpose", "channel"],
                include=["given_at", "withdrawn_at"],
                name="crm_consent_person_valid_idx",
            ),
            models.Index(
                fields=["purpose", "channel", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="crm_consent_current_idx",
            ),
        ]

    def __str__(self) -> str:
        state = _("withdrawn") if self.withdrawn_at else _("given")
        return f"{self.get_purpose_display()} / {self.get_channel_display()} ({state})"

    @property
    def is_valid(self) -> bool:
        now = timezone.now()
        return self.given_at <= now and (self.withdrawn_at is None or self.withdrawn_at > now)
