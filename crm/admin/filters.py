"""Listing filters of the CRM's admin views."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet

from crm.models import (
    Interaction,
    InteractionKind,
    Organization,
    OrganizationKind,
    Person,
    Sector,
    StrategicTier,
    VipLevel,
)


def staff_users(request=None):
    """Members of a role (and superusers): who may own and follow up records."""
    from crm.access import staff_members

    return staff_members()


def _languages():
    return list(settings.LANGUAGES)


class PersonFilterSet(WagtailFilterSet):
    country = django_filters.ChoiceFilter(label=_("country"), choices=countries)
    city = django_filters.CharFilter(label=_("city"), lookup_expr="iexact")
    preferred_language = django_filters.ChoiceFilter(
        label=_("preferred language"), choices=_languages
    )
    organization_kind = django_filters.ChoiceFilter(
        label=_("organization kind"),
        choices=OrganizationKind.choices,
        field_name="affiliations__organization__kind",
        distinct=True,
    )
    sectors = django_filters.ModelChoiceFilter(label=_("sector"), queryset=Sector.objects.all())
    tags = django_filters.ModelChoiceFilter(
        label=_("tag"), queryset=Tag.objects.filter(crm_taggedperson_items__isnull=False).distinct()
    )
    vip_level = django_filters.ChoiceFilter(label=_("VIP level"), choices=VipLevel.choices)
    owner = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("responsible staff member", "owner"), queryset=staff_users
    )
    is_diaspora = django_filters.BooleanFilter(label=_("diaspora contact"))
    do_not_contact = django_filters.BooleanFilter(label=_("do not contact"))

    class Meta:
        model = Person
        fields = []


class OrganizationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrganizationKind.choices)
    country = django_filters.ChoiceFilter(label=_("country"), choices=countries)
    tier = django_filters.ChoiceFilter(label=_("strategic tier"), choices=StrategicTier.choices)
    sectors = django_filters.ModelChoiceFilter(label=_("sector"), queryset=Sector.objects.all())
    owner = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("responsible staff member", "owner"), queryset=staff_users
    )

    class Meta:
        model = Organization
        fields = []


class InteractionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=InteractionKind.choices)
    occurred_after = django_filters.DateFilter(
        label=_("on or after"), field_name="occurred_on", lookup_expr="gte"
    )
    occurred_before = django_filters.DateFilter(
        label=_("on or before"), field_name="occurred_on", lookup_expr="lte"
    )
    staff = django_filters.ModelChoiceFilter(label=_("staff participant"), queryset=staff_users)
    follow_up_owner = django_filters.ModelChoiceFilter(
        label=_("follow-up by"), queryset=staff_users
    )
    follow_up_done = django_filters.BooleanFilter(label=_("follow-up done"))

    class Meta:
        model = Interaction
        fields = []
