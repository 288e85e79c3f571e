from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.models import ClusterableModel
from phonenumber_field.modelfields import PhoneNumberField

from crm.identity import fold_text

from .choices import OrganizationKind, PartnershipKind, PartnershipStatus, StrategicTier
from .validators import validate_visible_text


class Organization(ClusterableModel):
    """Any body the office deals with: international organization, partner city, ministry,
    embassy, think tank, university, association, enterprise, investor, media..."""

    name = models.CharField(
        _("official name"),
        max_length=255,
        help_text=_("In the organization's own language."),
        validators=[validate_visible_text],
    )
    name_en = models.CharField(
        _("English name"), max_length=255, blank=True, validators=[validate_visible_text]
    )
    name_zh = models.CharField(
        _("Chinese name"), max_length=255, blank=True, validators=[validate_visible_text]
    )
    acronym = models.CharField(
        _("acronym"), max_length=50, blank=True, validators=[validate_visible_text]
    )
    kind = models.CharField(
        _("kind"), max_length=40, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = PhoneNumberField(_("switchboard phone"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("E.g. the ministry a department belongs to, the body a chapter belongs to."),
    )
    sectors = models.ManyToManyField(
        "crm.Sector", verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    tier = models.PositiveSmallIntegerField(
        _("strategic tier"), choices=StrategicTier.choices, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_organizations",
    )
    tags = ClusterTaggableManager(
        verbose_name=_("tags"), through="crm.TaggedOrganization", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind"], name="crm_org_kind_idx"),
            models.Index(fields=["country"], name="crm_org_country_idx"),
        ]

    def __str__(self) -> str:
        shown = self.name
        if self.name_en and self.name_en != self.name:
            shown = f"{self.name} ({self.name_en})"
        return shown

    @property
    def display_name(self) -> str:
        return str(self)

    def build_search_text(self) -> str:
        parts = [self.name, self.name_en, self.name_zh, self.acronym, self.city]
        return fold_text(" | ".join(p for p in parts if p))

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class SisterCityPartnership(models.Model):
    """A formal agreement with a foreign city (the partner is an Organization, the city's
    government)."""

    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner city"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=PartnershipKind.choices, default=PartnershipKind.SISTER
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    areas_of_cooperation = models.TextField(_("areas of cooperation"), blank=True)
    sectors = models.ManyToManyField(
        "crm.Sector", verbose_name=_("sectors"), blank=True, related_name="partnerships"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("sister-city partnership")
        verbose_name_plural = _("sister-city partnerships")
        ordering = ["-established_on"]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_kind_display()}"
