from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

JUDGE = "Judge"


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("Competitions")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from competitions import receivers

        receivers.connect()
        post_migrate.connect(_ensure_judge_role, sender=self)


def _ensure_judge_role(sender, using="default", **kwargs) -> None:
    """The "Judge" group: the admin's front door and the judging screens of the competitions a
    judge is on, nothing of the CRM. Permissions are created first, so one `migrate` is enough."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for label in ("wagtailadmin", "competitions"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=JUDGE)
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label__in=("wagtailadmin", "competitions"),
            codename__in=("access_admin", "judge_entries"),
        )
    )
