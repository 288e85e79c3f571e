"""Identity of a contact: how an email address, a name or a phone number is normalised so that
the same person is found (and de-duplicated, and suppressed) however it was typed.

`email_digest()` is what other apps keep instead of an address when the address itself must go
(erasure, hashed suppressions): an HMAC-SHA256 of the normalised address keyed by the setting
`IDENTITY_HASH_KEY` (environment variable of the same name). Without it, the key is derived from
SECRET_KEY — so rotating SECRET_KEY without setting IDENTITY_HASH_KEY would orphan every stored
digest: production deployments should set IDENTITY_HASH_KEY once and never change it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import unicodedata

from django.conf import settings

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")


def normalize_email(value: str) -> str:
    """The identity of an email address: trimmed and case-folded (both local part and domain).

    Case-folding the local part is what users expect ("Anna.Li@x" and "anna.li@x" are one person),
    even though RFC 5321 allows case-sensitive mailboxes; no provider we deal with uses them.
    The domain is IDNA-encoded so that a Unicode domain and its punycode form are the same.
    """
    value = unicodedata.normalize("NFKC", (value or "").strip()).casefold()
    local, sep, domain = value.rpartition("@")
    if not sep:
        return value
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def identity_hash_key() -> bytes:
    key = getattr(settings, "IDENTITY_HASH_KEY", None)
    if not key:
        key = hashlib.sha256(b"liaison-identity:" + settings.SECRET_KEY.encode()).hexdigest()
    return key.encode() if isinstance(key, str) else key


def email_digest(value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised address: comparable, not reversible without the key."""
    return hmac.new(
        identity_hash_key(), normalize_email(value).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def fold_text(value: str) -> str:
    """Case- and accent-insensitive form of any text, in any script: NFKD, combining marks
    removed, case-folded, whitespace collapsed. "Müller" -> "muller", "ＭÜLLER" -> "muller",
    "Đặng" -> "đang" (đ is a letter, not an accent), "王伟" -> "王伟", "Ёлкин" -> "елкин".

    It is the portable half of search: a column kept in this form (maintained by the service
    layer) is searched with a plain LIKE on SQLite and through a trigram GIN index on PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Recompose what remains (Hangul, kana voicing marks are not "accents" in NFKD sense).
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", stripped).casefold()).strip()


def phone_digits(value: str) -> str:
    return _NON_DIGITS.sub("", value or "")
