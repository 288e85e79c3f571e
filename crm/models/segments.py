from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .choices import ConsentPurpose, DiasporaFilter, VipLevel


class Segment(models.Model):
    """A saved audience: filters (all combined with AND; several values in one filter are OR'ed)
    plus static additions and exclusions. Resolved to people by
    crm.services.segments.resolve_segment_queryset in one database query."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    cities = models.CharField(
        _("cities"), max_length=500, blank=True, help_text=_("Comma-separated, e.g. Hamburg, Lyon")
    )
    organization_kinds = models.JSONField(
        _("organization kinds"),
        default=list,
        blank=True,
        help_text=_("People with a current affiliation to an organization of these kinds."),
    )
    sectors = models.ManyToManyField(
        "crm.Sector", verbose_name=_("sectors"), blank=True, related_name="+"
    )
    tags = models.ManyToManyField(
        "taggit.Tag", verbose_name=_("tags"), blank=True, related_name="+"
    )
    languages = models.JSONField(_("preferred languages"), default=list, blank=True)
    diaspora = models.CharField(
        _("diaspora"), max_length=5, choices=DiasporaFilter.choices, blank=True, default=""
    )
    min_vip_level = models.PositiveSmallIntegerField(
        _("minimum VIP level"), choices=VipLevel.choices, null=True, blank=True
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("owning staff"), blank=True, related_name="+"
    )
    consent_purpose = models.CharField(
        _("has valid consent for"),
        max_length=30,
        choices=ConsentPurpose.choices,
        blank=True,
        help_text=_("Applies to static additions too: nobody without consent is in the audience."),
    )
    last_interaction_after = models.DateField(_("last interaction after"), null=True, blank=True)
    last_interaction_before = models.DateField(_("last interaction before"), null=True, blank=True)
    extension_filters = models.JSONField(
        _("answers and other filters"),
        default=list,
        blank=True,
        help_text=_("Filters other parts of Liaison provide, such as answers to invitations."),
    )
    additions = models.ManyToManyField(
        "crm.Person", verbose_name=_("always include"), blank=True, related_name="+"
    )
    exclusions = models.ManyToManyField(
        "crm.Person", verbose_name=_("always exclude"), blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_segments",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def city_list(self) -> list[str]:
        return [c.strip() for c in self.cities.split(",") if c.strip()]
