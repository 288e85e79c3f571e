"""The project pool (项目池): projects the office follows up for investment, from competition
winners, agreements signed at expos, or entered by hand, each moving through one pipeline of
stages with the history of every move."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class ProjectStage(models.TextChoices):
    LEAD = "lead", pgettext_lazy("project stage", "Lead")
    CONTACT = "contact", pgettext_lazy("project stage", "Contact")
    NEGOTIATION = "negotiation", pgettext_lazy("project stage", "Negotiation")
    SIGNED = "signed", pgettext_lazy("project stage", "Signed")
    LANDED = "landed", pgettext_lazy("project stage", "Landed")


STAGE_ORDER = list(ProjectStage.values)
# The transition table: a project may move to any other stage (a deal that falls through goes
# back); moving backwards needs a reason (projects.services.pool.move_stage).
TRANSITIONS = {stage: [s for s in STAGE_ORDER if s != stage] for stage in STAGE_ORDER}


class ProjectSource(models.TextChoices):
    COMPETITION = "competition", _("Competition entry")
    EXPO = "expo", _("Expo agreement")
    MANUAL = "manual", _("Entered by staff")


class Project(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sector = models.ForeignKey(
        "crm.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=ProjectStage.choices,
        default=ProjectStage.LEAD,
        db_index=True,
    )
    investment_sought = models.DecimalField(
        _("investment sought"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_projects",
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    organizations = models.ManyToManyField(
        "crm.Organization",
        verbose_name=_("organizations"),
        blank=True,
        related_name="pool_projects",
    )
    people = models.ManyToManyField(
        "crm.Person", verbose_name=_("contacts"), blank=True, related_name="pool_projects"
    )
    recommended_to = models.ManyToManyField(
        "crm.Organization",
        verbose_name=_("recommended to (investors, banks)"),
        blank=True,
        related_name="recommended_projects",
    )
    interactions = models.ManyToManyField(
        "crm.Interaction",
        verbose_name=_("interactions"),
        blank=True,
        related_name="pool_projects",
    )
    source_kind = models.CharField(
        _("source"), max_length=20, choices=ProjectSource.choices, default=ProjectSource.MANUAL
    )
    # The record the project came from (a competition entry, an expo agreement), if any.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    landed_on = models.DateField(_("landed on"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pool project")
        verbose_name_plural = _("project pool")
        ordering = ["next_follow_up_on", "-updated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=Q(source_type__isnull=False),
                name="projects_project_unique_source",
            ),
            models.CheckConstraint(
                condition=~Q(name_zh="", name_en=""), name="projects_project_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(investment_sought__isnull=True) | Q(investment_sought__gte=0),
                name="projects_project_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language, else the other one."""
        if (get_language() or "").startswith("zh"):
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh

    def clean(self) -> None:
        if not (self.name_zh or "").strip() and not (self.name_en or "").strip():
            raise ValidationError({"name_en": _("Give the project a Chinese or English name.")})
        if self.currency:
            self.currency = self.currency.upper()
            if len(self.currency) != 3 or not self.currency.isalpha():
                raise ValidationError(
                    {"currency": _("Use a three-letter ISO currency code, e.g. CNY, EUR, USD.")}
                )


class StageChange(models.Model):
    """One move on the pipeline: who moved the project, when, from where to where, and why."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=ProjectStage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=ProjectStage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.from_stage or '-'} → {self.to_stage}"
