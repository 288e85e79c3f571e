from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What each role (crm.services.roles) may do with the project pool: viewers read it, officers
# and campaign managers follow projects up, administrators also delete.
ROLE_CODENAMES = {
    "Viewer": ["view_project", "view_stagechange"],
    "Officer": ["view_project", "add_project", "change_project", "view_stagechange"],
    "Campaign manager": ["view_project", "add_project", "change_project", "view_stagechange"],
    "Administrator": [
        "view_project",
        "add_project",
        "change_project",
        "delete_project",
        "view_stagechange",
    ],
}


def grant_role_permissions(app_label: str, role_codenames: dict, using: str = "default") -> None:
    """Add an app's permissions to the CRM's role groups (created here when missing; crm's own
    post_migrate fills the rest). Never removes what an administrator granted by hand."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    for role, codenames in role_codenames.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


def _grant(sender, using="default", **kwargs) -> None:
    grant_role_permissions("projects", ROLE_CODENAMES, using)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project pool")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_grant, sender=self, dispatch_uid="projects_role_permissions")
