from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What each role (crm.services.roles) may do in the expo screens: viewers read, officers and
# campaign managers run the matchmaking (approve, re-tier, force, lock, schedule), administrators
# also delete. Records naming a restricted person stay hidden by crm.access in every case.
_MODELS = [
    "exhibitor",
    "buyer",
    "meetingrequest",
    "meeting",
    "meetingslot",
    "meetingtable",
    "hallwalk",
    "interpreter",
    "agreement",
]
_VIEW = [f"view_{m}" for m in _MODELS]
_EDIT = _VIEW + [f"{verb}_{m}" for m in _MODELS for verb in ("add", "change")]
ROLE_CODENAMES = {
    "Viewer": _VIEW,
    "Officer": _EDIT,
    "Campaign manager": _EDIT,
    "Administrator": _EDIT + [f"delete_{m}" for m in _MODELS],
}


def _grant(sender, using="default", **kwargs) -> None:
    from projects.apps import grant_role_permissions

    grant_role_permissions("expos", ROLE_CODENAMES, using)


class ExposConfig(AppConfig):
    name = "expos"
    verbose_name = _("Expos")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_grant, sender=self, dispatch_uid="expos_role_permissions")

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
