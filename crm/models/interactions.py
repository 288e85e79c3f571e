from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import InteractionKind


class Interaction(models.Model):
    """Something that happened between the office and its contacts: a meeting, a call, a visit,
    a delegation, attendance at an event. Other apps record interactions through
    crm.services.interactions (e.g. check-in at an event), naming themselves in `source` and
    their own id in `source_ref` so that recording twice changes nothing."""

    kind = models.CharField(_("kind"), max_length=30, choices=InteractionKind.choices)
    occurred_on = models.DateField(_("date"), db_index=True)
    subject = models.CharField(_("subject"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    people = models.ManyToManyField(
        "crm.Person", verbose_name=_("contacts"), blank=True, related_name="interactions"
    )
    organizations = models.ManyToManyField(
        "crm.Organization",
        verbose_name=_("organizations"),
        blank=True,
        related_name="interactions",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff participants"),
        blank=True,
        related_name="crm_interactions",
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_follow_ups",
    )
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    source = models.CharField(_("source"), max_length=50, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~Q(source_ref=""),
                name="crm_interaction_unique_source_ref",
            )
        ]
        indexes = [
            models.Index(
                fields=["follow_up_owner", "follow_up_on"],
                condition=Q(follow_up_done=False, follow_up_on__isnull=False),
                name="crm_interaction_followup_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} · {self.get_kind_display()} · {self.subject}"
