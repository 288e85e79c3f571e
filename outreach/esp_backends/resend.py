"""anymail's Resend backend, sending Resend's ``Idempotency-Key`` header.

Resend de-duplicates ``POST /emails`` and ``POST /emails/batch`` on that header for 24 hours: a
request repeated with the same key and the same payload is answered with the first response and
not sent again (a different payload under the same key gets ``409 invalid_idempotent_request``).
anymail has no per-message request headers, so the key travels on the message itself::

    email.idempotency_key = "liaison-message/<public id>"

The send ledger sets it (``outreach.services.sending.idempotency_key``), the same on every retry
of the same message; a message without the attribute is sent without the header, exactly as
anymail's own backend sends it. Other backends ignore the attribute."""

from __future__ import annotations

from datetime import timedelta

from anymail.backends.resend import EmailBackend as AnymailResendBackend
from anymail.backends.resend import ResendPayload
from anymail.exceptions import AnymailError

# Resend's documented limits: 1 to 256 characters, remembered for 24 hours.
MAX_KEY_LENGTH = 256
KEY_LIFETIME = timedelta(hours=24)


class IdempotentResendPayload(ResendPayload):
    def __init__(self, message, defaults, backend, *args, **kwargs):
        super().__init__(message, defaults, backend, *args, **kwargs)
        key = getattr(message, "idempotency_key", None)
        if key:
            key = str(key)
            if len(key) > MAX_KEY_LENGTH:
                # Raised before anything is posted (an AnymailError: a permanent failure).
                raise AnymailError(
                    f"Idempotency key longer than {MAX_KEY_LENGTH} characters",
                    email_message=message,
                )
            self.headers["Idempotency-Key"] = key


class EmailBackend(AnymailResendBackend):
    """``ESP=resend``. ``idempotency_key_lifetime`` tells the send ledger how long Resend honours
    a key: within it, a send whose outcome is unknown may be retried under the same key."""

    idempotency_key_lifetime = KEY_LIFETIME

    def build_message_payload(self, message, defaults):
        return IdempotentResendPayload(message, defaults, self)
