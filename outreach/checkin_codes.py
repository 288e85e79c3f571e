"""Check-in codes: what a guest's QR code carries, signed so that a door device can verify it
offline with only the public key.

A code is `LC1:` followed by unpadded base32 (QR's alphanumeric mode stores it at 5.5 bits a
character, smaller than base64 in byte mode) of

    version (1 byte) | event id (4 bytes, big-endian) | registration id (16 bytes, a UUID)
    | attendee (1 byte: 0 the guest, n the n-th companion) | Ed25519 signature (64 bytes)

The signature is Ed25519 (RFC 8032) over the first 22 bytes. The server alone holds the private
key (`CHECKIN_SIGNING_KEY`, a base64 32-byte seed; without it one is derived from `SECRET_KEY`),
so a device that holds the guest list and the public key can tell a genuine code from a forged
one without network, but cannot mint codes. A revoked registration is refused by the server and
by devices through the revocation list they sync; the signature alone never admits anyone.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings

PREFIX = "LC1:"
VERSION = 1
_BODY = struct.Struct(">BI16sB")
SIGNATURE_LENGTH = 64


class InvalidCodeError(ValueError):
    """Not a Liaison check-in code, cut, or not signed by this server. `code` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CheckinCode:
    event_id: int
    registration_id: uuid.UUID
    attendee: int = 0


def _seed() -> bytes:
    configured = getattr(settings, "CHECKIN_SIGNING_KEY", "") or ""
    if configured:
        seed = base64.b64decode(configured)
        if len(seed) != 32:
            raise ValueError("CHECKIN_SIGNING_KEY must be 32 bytes, base64-encoded")
        return seed
    return hashlib.sha256(b"liaison-checkin-ed25519:" + settings.SECRET_KEY.encode()).digest()


@cache
def _private_key(seed: bytes):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_bytes() -> bytes:
    """The 32 raw bytes of the public key (what a door device imports)."""
    from cryptography.hazmat.primitives import serialization

    return (
        _private_key(_seed())
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def public_key_base64() -> str:
    return base64.b64encode(public_key_bytes()).decode()


def sign(code: CheckinCode) -> str:
    if not 0 <= code.attendee <= 255:
        raise ValueError("attendee index out of range")
    body = _BODY.pack(VERSION, code.event_id, code.registration_id.bytes, code.attendee)
    signature = _private_key(_seed()).sign(body)
    return PREFIX + base64.b32encode(body + signature).decode().rstrip("=")


def decode_unverified(text: str) -> tuple[CheckinCode, bytes, bytes]:
    """The code's fields, its signed body and signature; raises InvalidCodeError when malformed."""
    text = (text or "").strip()
    if not text.upper().startswith(PREFIX):
        raise InvalidCodeError("not_a_code", "This is not a Liaison check-in code.")
    payload = text[len(PREFIX) :].upper()
    try:
        raw = base64.b32decode(payload + "=" * (-len(payload) % 8))
    except (ValueError, base64.binascii.Error) as exc:
        raise InvalidCodeError("malformed", "The code is damaged.") from exc
    if len(raw) != _BODY.size + SIGNATURE_LENGTH:
        raise InvalidCodeError("malformed", "The code is damaged.")
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    version, event_id, registration, attendee = _BODY.unpack(body)
    if version != VERSION:
        raise InvalidCodeError("unknown_version", "The code is from another version of Liaison.")
    return CheckinCode(event_id, uuid.UUID(bytes=registration), attendee), body, signature


def verify(text: str, public_key: bytes | None = None) -> CheckinCode:
    """The code's fields if its signature holds under `public_key` (default: this server's)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    code, body, signature = decode_unverified(text)
    key = Ed25519PublicKey.from_public_bytes(public_key or public_key_bytes())
    try:
        key.verify(signature, body)
    except InvalidSignature as exc:
        raise InvalidCodeError("bad_signature", "The code was not issued by this office.") from exc
    return code
