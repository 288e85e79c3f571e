"""Mailtrap: anymail's backend as it is; its credential is an "API token"."""

CREDENTIAL_NAME = "API_TOKEN"
