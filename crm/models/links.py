from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .choices import RelationshipScope


class Affiliation(models.Model):
    """A person's position at an organization, current (no end date) or past."""

    person = ParentalKey(
        "crm.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    department = models.CharField(_("department"), max_length=255, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-is_primary", "end_date", "-start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="crm_one_primary_affiliation"
            )
        ]
        indexes = [models.Index(fields=["organization", "end_date"], name="crm_aff_org_idx")]

    def __str__(self) -> str:
        return " · ".join(str(p) for p in (self.position, self.organization) if p)

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class RelationshipType(models.Model):
    """A kind of link with its two directed labels, e.g. "assistant of" / "has assistant"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    forward_label = models.CharField(
        _("label from the first to the second"), max_length=100, help_text=_("E.g. assistant of")
    )
    reverse_label = models.CharField(
        _("label from the second to the first"), max_length=100, help_text=_("E.g. has assistant")
    )
    scope = models.CharField(
        _("between"), max_length=20, choices=RelationshipScope.choices, default="people"
    )

    class Meta:
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")
        ordering = ["scope", "name"]

    def __str__(self) -> str:
        return f"{self.forward_label} / {self.reverse_label}"


class Relationship(models.Model):
    """A typed, dated link between two people or between two organizations."""

    type = models.ForeignKey(
        RelationshipType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="relationships",
    )
    from_person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("from person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_from",
    )
    to_person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("to person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    from_organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("from organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_from",
    )
    to_organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("to organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        from_person__isnull=False,
                        to_person__isnull=False,
                        from_organization__isnull=True,
                        to_organization__isnull=True,
                    )
                    | Q(
                        from_person__isnull=True,
                        to_person__isnull=True,
                        from_organization__isnull=False,
                        to_organization__isnull=False,
                    )
                ),
                name="crm_relationship_two_people_or_two_organizations",
            )
        ]

    def __str__(self) -> str:
        first = self.from_person or self.from_organization
        second = self.to_person or self.to_organization
        return f"{first} — {self.type.forward_label} — {second}"
