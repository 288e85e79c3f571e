"""Listing filters of the outreach admin screens."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from outreach.models import DeliveryStatus, Message, MessageStatus

# "No report yet" is stored as "", which a filter form reads as "no filter": it gets a name.
NO_REPORT = "none"


def _delivery_choices():
    return [(NO_REPORT if value == "" else value, label) for value, label in DeliveryStatus.choices]


def _languages():
    return list(settings.LANGUAGES)


class MessageFilterSet(WagtailFilterSet):
    """Each filter is one indexed condition within the campaign (outreach_msg_status_idx,
    outreach_msg_delivery_idx); language narrows the rows those give."""

    status = django_filters.ChoiceFilter(label=_("sending status"), choices=MessageStatus.choices)
    delivery_status = django_filters.ChoiceFilter(
        label=_("delivery report"), choices=_delivery_choices, method="filter_delivery"
    )
    language = django_filters.ChoiceFilter(label=_("language"), choices=_languages)

    class Meta:
        model = Message
        fields = []

    def filter_delivery(self, queryset, name, value):
        return queryset.filter(delivery_status="" if value == NO_REPORT else value)
