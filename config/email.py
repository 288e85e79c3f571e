"""Choosing the email service provider (ESP) from the environment.

Any backend django-anymail ships can be named by ``ESP``; the generic variables are mapped to the
setting names that backend reads (Postmark calls its key a "server token", MailerSend an "API
token", most others an "API key"); those names, and Liaison's own backend where it extends
anymail's (Resend: its idempotency key), come from the ESP's module in ``outreach/esp/``."""

from __future__ import annotations

from collections.abc import Mapping

from outreach import esp as esps

# What each ESP needs (credential and signing-key names, Liaison's backend) is in its module
# under outreach/esp/; these tables are read from there.
CREDENTIAL_NAME = {name: esps.credential_name(name) for name in esps.modules()}
WEBHOOK_SIGNATURE_NAME = {
    name: key for name in esps.modules() if (key := esps.webhook_signature_name(name))
}
BACKEND = {name: esps.backend(name) for name in esps.modules()}


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
        anymail[f"{prefix}_{esps.credential_name(esp)}"] = environ["ESP_API_KEY"]
    if environ.get("ESP_SECRET_KEY"):
        anymail[f"{prefix}_SECRET_KEY"] = environ["ESP_SECRET_KEY"]
    signature_name = esps.webhook_signature_name(esp)
    if environ.get("ESP_WEBHOOK_SIGNING_KEY") and signature_name:
        anymail[f"{prefix}_{signature_name}"] = environ["ESP_WEBHOOK_SIGNING_KEY"]
    if environ.get("ESP_API_URL"):
        anymail[f"{prefix}_API_URL"] = environ["ESP_API_URL"]
    if environ.get("ESP_TIMEOUT"):
        anymail["REQUESTS_TIMEOUT"] = float(environ["ESP_TIMEOUT"])
    return esps.backend(esp), anymail
