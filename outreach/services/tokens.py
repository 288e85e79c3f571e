"""Signed per-recipient tokens (django.core.signing): the unsubscribe link and the RSVP link carry
an opaque public id, signed, so nothing personal is in a URL and a tampered token is refused.

RSVP tokens name what they open: ``m.<message public id>`` (the invitation the link was sent in)
or ``r.<registration public id>`` (a guest's own registration: waitlist offers, open
registration). They carry their signing time, so they expire (``RSVP_LINK_MAX_AGE_DAYS``), and
revoking an invitation's link (`RevokedRsvpLink`) disables it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
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


@dataclass(frozen=True)
class RsvpToken:
    kind: str  # "m" (invitation message) or "r" (registration)
    public_id: str
    issued_at: int | None = None  # when the link was signed (seconds since the epoch)


class TokenExpiredError(Exception):
    pass


def make_rsvp_token(kind: str, public_id: object) -> str:
    return signing.TimestampSigner(salt=RSVP_SALT).sign(f"{kind}.{public_id}")


def read_rsvp_token(token: str) -> RsvpToken | None:
    """The token's content; None when tampered with; raises TokenExpiredError when too old."""
    max_age = getattr(settings, "RSVP_LINK_MAX_AGE_DAYS", 365) * 86400
    try:
        value = signing.TimestampSigner(salt=RSVP_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpiredError from exc
    except signing.BadSignature:
        return None
    kind, _, public_id = value.partition(".")
    if kind not in ("m", "r") or not public_id:
        return None
    return RsvpToken(kind, public_id, issued_at=token_issued_at(token))


def token_issued_at(token: str) -> int | None:
    """When a (validly signed) RSVP token was signed: revoking an invitation's link refuses the
    links signed before the revocation and accepts one re-issued after it."""
    try:
        return signing.b62_decode(token.rsplit(signing.Signer().sep, 2)[1])
    except (IndexError, ValueError):
        return None
