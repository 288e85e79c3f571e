from django.contrib.admin.apps import AdminConfig
from wagtail.users.apps import WagtailUsersAppConfig


class LiaisonUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with group screens that show group names translated."""

    group_viewset = "crm.admin.groups.GroupViewSet"


class LiaisonAdminConfig(AdminConfig):
    default_site = "config.admin.SuperuserAdminSite"

    def ready(self):
        super().ready()
        from config.wagtail_i18n import (
            make_snippet_breadcrumbs_lazy,
            make_snippet_chooser_texts_lazy,
            register_menu_labels_in_request_language,
        )

        make_snippet_chooser_texts_lazy()
        make_snippet_breadcrumbs_lazy()
        register_menu_labels_in_request_language()
