"""Check-in codes verify offline with only the public key, and nothing else mints them."""

from __future__ import annotations

import base64
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from outreach import checkin_codes
from outreach.checkin_codes import CheckinCode, InvalidCodeError


@given(
    event=st.integers(min_value=0, max_value=2**32 - 1),
    attendee=st.integers(min_value=0, max_value=255),
)
def test_a_signed_code_verifies_and_gives_back_its_fields(event, attendee):
    code = CheckinCode(event, uuid.uuid4(), attendee)
    text = checkin_codes.sign(code)
    assert text.startswith("LC1:")
    assert checkin_codes.verify(text) == code
    # Verification needs nothing but the 32-byte public key, as on a door device.
    assert checkin_codes.verify(text, public_key=checkin_codes.public_key_bytes()) == code


def test_the_code_fits_qr_alphanumeric_mode():
    text = checkin_codes.sign(CheckinCode(7, uuid.uuid4()))
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert len(text) < 150


def test_a_changed_field_is_refused():
    text = checkin_codes.sign(CheckinCode(7, uuid.uuid4(), 0))
    _code, body, signature = checkin_codes.decode_unverified(text)
    forged_body = body[:-1] + b"\x01"  # claim to be companion 1
    forged = "LC1:" + base64.b32encode(forged_body + signature).decode().rstrip("=")
    with pytest.raises(InvalidCodeError) as refused:
        checkin_codes.verify(forged)
    assert refused.value.code == "bad_signature"


def test_a_code_signed_with_another_key_is_refused():
    other = Ed25519PrivateKey.generate()
    body = checkin_codes._BODY.pack(1, 7, uuid.uuid4().bytes, 0)
    forged = "LC1:" + base64.b32encode(body + other.sign(body)).decode().rstrip("=")
    with pytest.raises(InvalidCodeError) as refused:
        checkin_codes.verify(forged)
    assert refused.value.code == "bad_signature"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not_a_code"),
        ("https://example.org/", "not_a_code"),
        ("LC1:ABC", "malformed"),
        ("LC1:!!!!", "malformed"),
    ],
)
def test_garbage_is_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidCodeError) as refused:
        checkin_codes.verify(text)
    assert refused.value.code == reason


def test_the_signing_key_comes_from_the_environment_setting():
    seed = bytes(range(32))
    with override_settings(CHECKIN_SIGNING_KEY=base64.b64encode(seed).decode()):
        expected = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        assert checkin_codes.public_key_bytes() == expected
        text = checkin_codes.sign(CheckinCode(1, uuid.uuid4()))
    with pytest.raises(InvalidCodeError):
        checkin_codes.verify(text)  # the default key does not accept it
