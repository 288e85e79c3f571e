"""Resend: anymail's backend extended with Resend's ``Idempotency-Key`` header, Resend's answers
for a reused key, and its bounce classes.

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
from anymail.exceptions import AnymailAPIError, AnymailError
from anymail.signals import EventType

from outreach.esp import HARD_BAD_ADDRESS, SOFT, UNDECIDED, Failure, Outcome, SendResult

BACKEND = "outreach.esp.resend.EmailBackend"
WEBHOOK_SIGNATURE_NAME = "SIGNING_SECRET"

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


# Resend's error names (``{"statusCode": 409, "name": ..., "message": ...}``) for a reused key
KEY_CONFLICT_ERRORS = {"invalid_idempotent_request"}  # same key, different payload
KEY_BUSY_ERRORS = {"concurrent_idempotent_requests"}  # same key, first request still running


def _error_name(exc: BaseException) -> str:
    """The error name in Resend's JSON error answer (``name``), or ''."""
    response = getattr(exc, "response", None)
    try:
        name = response.json().get("name", "") if response is not None else ""
    except (ValueError, AttributeError):
        return ""
    return name if isinstance(name, str) else ""


def classify_error(exc: BaseException) -> SendResult | None:
    """Resend's 409 answers about an idempotency key; anything else: the generic rules."""
    if not (isinstance(exc, AnymailAPIError) and getattr(exc, "status_code", None) == 409):
        return None
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    name = _error_name(exc)
    if name in KEY_CONFLICT_ERRORS:
        # A request under this key was taken before, with other content: it may have gone out.
        return SendResult(Outcome.AMBIGUOUS, reason=reason, key_conflict=True)
    if name in KEY_BUSY_ERRORS:
        # The first request under this key is still running; the retry (same key) is safe.
        return SendResult(Outcome.TRANSIENT, reason=reason)
    return None


def failure_of(event_type: str, reject_reason: str, payload: dict) -> Failure | object | None:
    """Resend reports every bounce as ``email.bounced`` (anymail: ``bounced``) with
    ``data.bounce.type`` ``Permanent``, ``Transient`` or ``Undetermined``: only ``Permanent`` is
    hard (suppressed, including subType ``Suppressed``: Resend refuses the address itself); the
    others are soft."""
    if event_type != EventType.BOUNCED:
        return UNDECIDED
    bounce = (payload.get("data") or {}).get("bounce") or {} if isinstance(payload, dict) else {}
    if bounce.get("type") and bounce.get("type") != "Permanent":
        return SOFT
    return HARD_BAD_ADDRESS
