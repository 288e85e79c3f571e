"""Choosing the email service provider (ESP) from the environment.

Any backend django-anymail ships can be named by ``ESP``; the generic variables are mapped to the
setting names that backend reads (Postmark calls its key a "server token", MailerSend an "API
token", most others an "API key"). Where Liaison extends anymail's backend for an ESP (Resend: its
idempotency key), ``BACKEND`` names Liaison's subclass instead."""

from __future__ import annotations

from collections.abc import Mapping

# anymail's name for each ESP's main credential where it is not API_KEY
CREDENTIAL_NAME = {"postmark": "SERVER_TOKEN", "mailersend": "API_TOKEN", "mailtrap": "API_TOKEN"}
# anymail's name for the key that verifies an ESP's signed tracking webhooks (ESPs that sign them;
# Amazon SES webhooks are verified through SNS, Postmark and Brevo rely on basic auth alone)
WEBHOOK_SIGNATURE_NAME = {
    "mailgun": "WEBHOOK_SIGNING_KEY",
    "mandrill": "WEBHOOK_KEY",
    "postal": "WEBHOOK_KEY",
    "sendgrid": "TRACKING_WEBHOOK_VERIFICATION_KEY",
    "mailersend": "SIGNING_SECRET",
    "resend": "SIGNING_SECRET",
}

# Liaison's own subclass of anymail's backend, where there is one
BACKEND = {"resend": "outreach.esp_backends.resend.EmailBackend"}


def webhook_protection(anymail: Mapping[str, object], esp: str | None) -> str | None:
    """Which setting authenticates the ESP's tracking webhooks (None: nothing does)."""
    if anymail.get("WEBHOOK_SECRET"):
        return "ANYMAIL_WEBHOOK_SECRET"
    esp = (esp or "").strip().lower()
    signing_key = WEBHOOK_SIGNATURE_NAME.get(esp)
    if signing_key and anymail.get(f"{esp.upper()}_{signing_key}"):
        return "ESP_WEBHOOK_SIGNING_KEY"
    return None


def anymail_settings(environ: Mapping[str, str]) -> tuple[str | None, dict[str, object]]:
    """Return (EMAIL_BACKEND or None when no ESP is named, ANYMAIL settings)."""
    anymail: dict[str, object] = {"WEBHOOK_SECRET": environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
    esp = (environ.get("ESP") or "").strip().lower()
    if not esp:
        return None, anymail
    prefix = esp.upper()
    if environ.get("ESP_API_KEY"):
        anymail[f"{prefix}_{CREDENTIAL_NAME.get(esp, 'API_KEY')}"] = environ["ESP_API_KEY"]
    if environ.get("ESP_SECRET_KEY"):
        anymail[f"{prefix}_SECRET_KEY"] = environ["ESP_SECRET_KEY"]
    if environ.get("ESP_WEBHOOK_SIGNING_KEY") and esp in WEBHOOK_SIGNATURE_NAME:
        anymail[f"{prefix}_{WEBHOOK_SIGNATURE_NAME[esp]}"] = environ["ESP_WEBHOOK_SIGNING_KEY"]
    if environ.get("ESP_API_URL"):
        anymail[f"{prefix}_API_URL"] = environ["ESP_API_URL"]
    if environ.get("ESP_TIMEOUT"):
        anymail["REQUESTS_TIMEOUT"] = float(environ["ESP_TIMEOUT"])
    return BACKEND.get(esp, f"anymail.backends.{esp}.EmailBackend"), anymail
