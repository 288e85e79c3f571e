"""Resend: anymail's backend extended with Resend's ``Idempotency-Key`` header, Resend's answers
for a reused key, and its bounce classes.

Resend de-duplicates ``POST /emails`` and ``POST /emails/batch`` on that header for 24 hours: a
request repeated with the same key and the same payload is answered with the first response and
not sent again (a different payload under the same key gets ``409 invalid_idempotent_request``).
anymail has no per-message request headers, so the key travels on the message itself::

    email.idempotency_key = "liaison-message/<public id>"

The send ledger sets it (``outreach.services.sending.idempotency_key``), the same on every retry
of the same message; a message without the attribute is sent without the header, exactly as
anymail's own backend sends it. Other backends ignore the attribute.

Its ``Simulator`` plays Resend's API (and its idempotency keys) in the development ESP simulator
(``devtools/esp_simulator``)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from anymail.backends.resend import EmailBackend as AnymailResendBackend
from anymail.backends.resend import ResendPayload
from anymail.exceptions import AnymailAPIError, AnymailError
from anymail.signals import EventType

from outreach.esp import HARD_BAD_ADDRESS, SOFT, UNDECIDED, Failure, Outcome, SendResult
from outreach.esp._simulation import SimulatedApi, outbox_record

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


# --- the development simulator ------------------------------------------------------------------
def _joined(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _json_header(headers: dict, name: str, default):
    try:
        return json.loads(headers.get(name) or "null") or default
    except ValueError:
        return default


class Simulator(SimulatedApi):
    """Resend's ``POST /emails`` and ``POST /emails/batch`` (``Authorization: Bearer``), with its
    ``Idempotency-Key`` as Resend documents it: 1 to 256 characters, remembered for
    ``idempotency_seconds`` (24 hours) once a request under it was accepted; the same key with
    the same payload gets the first answer again and nothing is recorded twice; the same key with
    another payload gets ``409 invalid_idempotent_request``; a repeat while the first request is
    still being processed gets ``409 concurrent_idempotent_requests``. A request refused (fault,
    validation error) does not keep its key. No tracking webhooks."""

    name = "resend"
    paths = ("/emails", "/emails/batch")
    BATCH_LIMIT = 100

    @staticmethod
    def _error(status: int, name: str, message: str):
        return status, {"statusCode": status, "name": name, "message": message}

    def refuse(self, path, headers, server_token):
        auth = headers.get("Authorization") or ""
        api_key = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or not api_key:
            return self._error(
                401, "missing_api_key", "Missing API key in the authorization header."
            )
        if server_token and api_key != server_token:
            return self._error(403, "invalid_api_key", "API key is invalid")
        key = headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
            return self._error(
                400, "invalid_idempotency_key", "The key must be between 1-256 chars."
            )
        return None

    def error(self, status):
        if status == 429:
            return self._error(
                429,
                "rate_limit_exceeded",
                "Too many requests. Please limit the number of requests per second.",
            )
        if status == 500:
            return self._error(500, "internal_server_error", "An unexpected error occurred.")
        return self._error(422, "validation_error", "The body is not valid JSON.")

    def receive(self, path, headers, body, outbox):
        batch = path == "/emails/batch"
        key = headers.get("Idempotency-Key")
        if key is not None:
            canonical = json.dumps([path, body], sort_keys=True)
            state, replay = outbox.claim_key(key, hashlib.sha256(canonical.encode()).hexdigest())
            if state == "conflict":
                answer = self._error(
                    409,
                    "invalid_idempotent_request",
                    "Same idempotency key used with a different request payload.",
                )
                return answer, []
            if state == "busy":
                answer = self._error(
                    409,
                    "concurrent_idempotent_requests",
                    "Same idempotency key used while original request is still in progress.",
                )
                return answer, []
            if state == "replay":
                return replay, []
        problem = self._problem(body, batch)
        if problem:
            if key is not None:
                outbox.release_key(key)
            return self._error(422, "validation_error", problem), []
        records = [self._record(item, key) for item in (body if batch else [body])]
        answer = {"data": [{"id": r["MessageID"]} for r in records]} if batch else None
        answer = answer or {"id": records[0]["MessageID"]}
        if key is not None:
            outbox.settle_key(key, 200, answer)
        return (200, answer), records

    def _problem(self, body, batch: bool) -> str:
        """What Resend would refuse in this request ('' when nothing)."""
        if batch and (not isinstance(body, list) or not body):
            return "The request body must be a non-empty array of emails."
        if batch and len(body) > self.BATCH_LIMIT:
            return f"The batch may contain at most {self.BATCH_LIMIT} emails."
        for item in body if batch else [body]:
            if not isinstance(item, dict):
                return "Each email must be an object."
            for field in ("from", "to", "subject"):
                if not item.get(field):
                    return f"Missing `{field}` field."
        return ""

    @staticmethod
    def _record(payload: dict, key: str | None) -> dict:
        headers = dict(payload.get("headers") or {})
        tags = _json_header(headers, "X-Tags", [])
        return outbox_record(
            "resend",
            IdempotencyKey=key or "",
            From=str(payload.get("from", "")),
            To=_joined(payload.get("to")),
            Cc=_joined(payload.get("cc")),
            ReplyTo=_joined(payload.get("reply_to")),
            Subject=str(payload.get("subject", "")),
            HtmlBody=str(payload.get("html", "")),
            TextBody=str(payload.get("text", "")),
            Headers=[{"Name": k, "Value": str(v)} for k, v in headers.items()],
            Metadata=_json_header(headers, "X-Metadata", {}),
            Tag=tags[0] if isinstance(tags, list) and tags else "",
        )
