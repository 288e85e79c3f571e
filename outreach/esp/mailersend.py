"""MailerSend: anymail's backend as it is; its credential is an "API token" and its tracking
webhooks are signed."""

CREDENTIAL_NAME = "API_TOKEN"
WEBHOOK_SIGNATURE_NAME = "SIGNING_SECRET"
