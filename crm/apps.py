from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, using="default", verbosity=1, **kwargs):
    """Fill the roles after migrate. post_migrate runs app by app, and the apps after crm
    (outreach, wagtailadmin's access_admin...) have no permissions yet at crm's turn: create
    every app's content types and permissions first, so that one `migrate` on a new database
    leaves complete roles."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from crm.services.roles import ensure_roles

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
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
