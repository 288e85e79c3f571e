from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposConfig(AppConfig):
    name = "expos"
    verbose_name = _("Expos")

    def ready(self) -> None:
        # The online hall's pages are in the public page cache: a change to what they show
        # makes every cached page stale (see site_cms.page_cache).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from expos import models
        from site_cms.page_cache import invalidate_all

        for sender in (models.Exhibitor, models.BoothMaterial):
            uid = f"expos_cache_{sender._meta.label_lower}"
            post_save.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_save")
            post_delete.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_delete")
        m2m_changed.connect(
            invalidate_all,
            sender=models.Exhibitor.sectors.through,
            dispatch_uid="expos_cache_exhibitor_sectors",
        )
