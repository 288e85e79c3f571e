"""Sendgrid: anymail's backend as it is; its tracking webhooks are signed."""

WEBHOOK_SIGNATURE_NAME = "TRACKING_WEBHOOK_VERIFICATION_KEY"
