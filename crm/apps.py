from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs):
    from crm.services.roles import ensure_roles

    ensure_roles()


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM")

    def ready(self):
        # Roles (Wagtail groups) are created after every migrate, once all permissions exist.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="crm_ensure_roles")
        # Groups are named by key ("Campaign manager"); everywhere a group is shown (user
        # filters, group pages, permission screens) it reads in the staff member's language.
        from django.contrib.auth.models import Group

        from crm.services.roles import group_label

        Group.__str__ = lambda group: group_label(group.name)
