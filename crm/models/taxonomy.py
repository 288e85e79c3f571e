from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """A managed taxonomy of industry sectors (seeded with the sectors that recur in the office's
    events: smart manufacturing, robotics, new materials, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name} · {self.name_zh}" if self.name_zh else self.name
