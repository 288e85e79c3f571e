"""The office's identity on everything a guest sees: invitation mail, unsubscribe and preference
pages, the public site's header and footer. One record for the installation (Wagtail's
settings), edited under Settings in the admin."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour as #RRGGBB, e.g. #1f4e79."))


@register_setting(icon="image")
class OfficeBranding(BaseGenericSetting):
    office_name = models.CharField(
        _("office name"),
        max_length=200,
        blank=True,
        help_text=_(
            "As the office signs, e.g. 宁波市国际会展促进中心. "
            "Shown on the public site and in mail."
        ),
    )
    office_name_latin = models.CharField(
        _("office name in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown to readers of languages other than Chinese; empty: the office name."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(_("postal address"), blank=True)
    address_latin = models.TextField(
        _("postal address in English"),
        blank=True,
        help_text=_("Shown to readers of languages other than Chinese; empty: the address."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b8860b", validators=[colour]
    )
    icp_number = models.CharField(
        _("ICP filing number"),
        max_length=60,
        blank=True,
        help_text=_(
            "E.g. 浙ICP备12345678号-1; shown in the public site's footer, "
            "linked to beian.miit.gov.cn."
        ),
    )

    class Meta:
        verbose_name = _("office branding")
        verbose_name_plural = _("office branding")
