"""Signed per-recipient tokens (django.core.signing): the unsubscribe link and the RSVP link carry
the message's opaque public id, signed, so nothing personal is in a URL and a tampered token is
refused."""

from __future__ import annotations

from django.core import signing

UNSUBSCRIBE_SALT = "outreach.unsubscribe"
RSVP_SALT = "outreach.rsvp"


def make_token(public_id: object, salt: str = UNSUBSCRIBE_SALT) -> str:
    return signing.Signer(salt=salt).sign(str(public_id))


def read_token(token: str, salt: str = UNSUBSCRIBE_SALT) -> str | None:
    """The public id inside a valid token, or None when it was tampered with."""
    try:
        return signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
