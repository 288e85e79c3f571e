from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from outreach import checks, receivers  # noqa: F401 (checks register themselves)

        receivers.connect()

        from crm.segment_extensions import register_segment_filter
        from outreach.services import registration

        register_segment_filter(
            "rsvp", choices=registration.segment_filter_choices, q=registration.segment_filter_q
        )
        post_migrate.connect(_ensure_door_staff_role, sender=self)


DOOR_STAFF = "Door staff"


def _ensure_door_staff_role(sender, using="default", **kwargs) -> None:
    """The "Door staff" group: the admin's front door and check-in at assigned events, nothing
    of the CRM. Permissions are created first, so one `migrate` on a new database is enough."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for label in ("wagtailadmin", "outreach"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=DOOR_STAFF)
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label__in=("wagtailadmin", "outreach"),
            codename__in=("access_admin", "check_in_guests"),
        )
    )
