from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from site_cms.richtext import PUBLIC_RICH_TEXT_FEATURES

from .base import SitePage


class StandardPage(SitePage):
    """About us, visiting Ningbo, privacy notice: text with headings and links."""

    body = RichTextField(_("text"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)

    content_panels = [*SitePage.content_panels, FieldPanel("body")]
    search_fields = [*SitePage.search_fields, index.SearchField("body")]
    parent_page_types = ["site_cms.HomePage", "site_cms.StandardPage"]
    subpage_types = ["site_cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
