from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from outreach import checks, receivers  # noqa: F401 (checks register themselves)

        receivers.connect()
