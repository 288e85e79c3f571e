"""System checks for what outreach needs in production (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from config.email import webhook_protection


@register(Tags.security, deploy=True)
def check_webhook_protection(app_configs=None, **kwargs) -> list[Error]:
    """Without a webhook secret (or the ESP's signing key) anyone could post tracking events:
    a forged complaint would suppress an address, a forged bounce pause a campaign."""
    if webhook_protection(getattr(settings, "ANYMAIL", {}), getattr(settings, "ESP", None)):
        return []
    return [
        Error(
            "ESP tracking webhooks (/anymail/) accept unauthenticated posts.",
            hint="Set ANYMAIL_WEBHOOK_SECRET (user:password for the webhook URL's basic auth), "
            "or ESP_WEBHOOK_SIGNING_KEY for an ESP that signs its webhooks.",
            id="outreach.E001",
        )
    ]
