"""Tag through-models: one table per tagged model, so that tag filters are plain joins."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase


class TaggedOrganization(TaggedItemBase):
    content_object = ParentalKey(
        "crm.Organization", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("organization tag")
        verbose_name_plural = _("organization tags")


class TaggedPerson(TaggedItemBase):
    content_object = ParentalKey(
        "crm.Person", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("person tag")
        verbose_name_plural = _("person tags")
