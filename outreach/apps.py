from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from outreach import receivers

        receivers.connect()

        from crm.segment_extensions import register_segment_filter
        from outreach.services import registration

        register_segment_filter(
            "rsvp", choices=registration.segment_filter_choices, q=registration.segment_filter_q
        )
