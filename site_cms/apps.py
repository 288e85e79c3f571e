from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteCmsConfig(AppConfig):
    name = "site_cms"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from site_cms import request_memo, signals

        signals.connect()
        request_memo.connect()

        from outreach.presentation import register_practical_details, register_public_details
        from site_cms.event_details import practical_event_details, public_event_details

        register_public_details(public_event_details)
        register_practical_details(practical_event_details)
