"""Mailgun: anymail's backend as it is; its tracking webhooks are signed."""

WEBHOOK_SIGNATURE_NAME = "WEBHOOK_SIGNING_KEY"
