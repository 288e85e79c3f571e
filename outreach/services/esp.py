"""Talking to the ESP through django-anymail, and classifying what went wrong.

Every failed send is one of three kinds (see DESIGN.md, "A message is sent at most once"):
- TRANSIENT: nothing was sent (429, 5xx, connection refused before the request left) -> retry;
- PERMANENT: the ESP refused this message (invalid address, inactive recipient, bad request)
  -> FAILED with the reason;
- AMBIGUOUS: the request may have been accepted (timeout after it left, connection dropped
  mid-answer, unreadable answer) -> UNKNOWN, for a person to decide; never retried -- unless the
  ESP honours an idempotency key (Resend): then the ledger retries under the same key while the
  ESP still remembers it, and the ESP makes sure the message goes out once (see sending.py).

Postmark (the configured ESP in development and tests) has a batch API: up to 500 different
messages in one request, each answered separately. When the backend is anymail's Postmark
backend, messages are serialised by anymail's own payload class and posted to ``email/batch``
in one call; any other ESP gets one anymail ``send`` per message over a reused connection."""

from __future__ import annotations

import enum
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import requests
from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailRecipientsRefused,
)
from anymail.utils import parse_address_list
from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class Outcome(enum.Enum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    esp_message_id: str = ""
    reason: str = ""
    # AMBIGUOUS only: the ESP holds a *different* request under this message's idempotency key,
    # so retrying under the same key cannot settle it (Resend's 409 invalid_idempotent_request).
    key_conflict: bool = False


# Resend's error names (``{"statusCode": 409, "name": ..., "message": ...}``) for a reused key
KEY_CONFLICT_ERRORS = {"invalid_idempotent_request"}  # same key, different payload
KEY_BUSY_ERRORS = {"concurrent_idempotent_requests"}  # same key, first request still running
# A retry under the same key must reach the ESP this long before the ESP forgets the key
# (covers the request's own duration, backoff jitter and clock differences).
KEY_SAFETY_MARGIN = timedelta(hours=1)


def _connect_failed(exc: BaseException) -> bool:
    """True when the request certainly never reached the ESP (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

        reason = exc.args[0] if exc.args else None
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        return isinstance(reason, NewConnectionError | NameResolutionError)
    return False


def classify_http_status(status: int) -> Outcome:
    if status == 429 or status >= 500:
        return Outcome.TRANSIENT
    if 200 <= status < 300:
        return Outcome.AMBIGUOUS  # accepted but the answer made no sense
    return Outcome.PERMANENT


def _error_name(exc: BaseException) -> str:
    """The error name in an ESP's JSON error answer (Resend's ``name``), or ''."""
    response = getattr(exc, "response", None)
    try:
        name = response.json().get("name", "") if response is not None else ""
    except (ValueError, AttributeError):
        return ""
    return name if isinstance(name, str) else ""


def classify_exception(exc: BaseException) -> SendResult:
    """What an exception raised while sending one message means for that message."""
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    if isinstance(exc, AnymailRecipientsRefused):
        return SendResult(Outcome.PERMANENT, reason=reason)
    status = getattr(exc, "status_code", None)
    if isinstance(exc, AnymailAPIError) and status == 409:
        name = _error_name(exc)
        if name in KEY_CONFLICT_ERRORS:
            # A request under this key was taken before, with other content: it may have gone out.
            return SendResult(Outcome.AMBIGUOUS, reason=reason, key_conflict=True)
        if name in KEY_BUSY_ERRORS:
            # The first request under this key is still running; the retry (same key) is safe.
            return SendResult(Outcome.TRANSIENT, reason=reason)
    if isinstance(exc, AnymailAPIError) and status is not None:
        return SendResult(classify_http_status(status), reason=reason)
    # anymail re-raises requests errors as a class deriving from both, "from" the original
    if isinstance(exc.__cause__, requests.RequestException):
        cause = exc.__cause__
    elif isinstance(exc, requests.RequestException):
        cause = exc
    else:
        cause = None
    if cause is not None:
        if _connect_failed(cause):
            return SendResult(Outcome.TRANSIENT, reason=reason)
        return SendResult(Outcome.AMBIGUOUS, reason=reason)
    if isinstance(exc, AnymailAPIError):
        status = getattr(exc, "status_code", None)
        if status is None:
            return SendResult(Outcome.AMBIGUOUS, reason=reason)
        return SendResult(classify_http_status(status), reason=reason)
    if isinstance(exc, AnymailError):
        # configuration / unsupported feature: raised before anything was posted
        return SendResult(Outcome.PERMANENT, reason=reason)
    return SendResult(Outcome.AMBIGUOUS, reason=reason)


def _result_from_status(message: EmailMessage) -> SendResult:
    status = getattr(message, "anymail_status", None)
    if status is None:  # a non-anymail backend (console, locmem): it took the message
        return SendResult(Outcome.SENT)
    recipient = next(iter(status.recipients.values()), None)
    if recipient is None or recipient.status in ("sent", "queued"):
        return SendResult(Outcome.SENT, esp_message_id=str(status.message_id or ""))
    if recipient.status in ("rejected", "invalid"):
        return SendResult(Outcome.PERMANENT, reason=f"ESP status {recipient.status}")
    return SendResult(Outcome.AMBIGUOUS, reason=f"ESP status {recipient.status}")


class _ParsedAddresses(list):
    """Addresses parsed once and shared by every payload with the same From / Reply-To (anymail's
    ``EmailAddress`` is immutable); ``formatted`` remembers the header value built from them."""

    formatted: tuple[object, str] | None = None  # (the IDNA encoder used, the header value)


@lru_cache(maxsize=256)
def _parse_shared(addresses: tuple[str, ...], field: str) -> _ParsedAddresses:
    return _ParsedAddresses(parse_address_list(list(addresses), field=field))


def _shared_address_list(field: str):
    """anymail's converter for ``field``, memoised on the raw strings: a campaign's From and
    Reply-To are the same for thousands of messages, and parsing them through
    ``email.headerregistry`` was the largest single cost of building a Postmark payload. Invalid
    input raises the same ``AnymailInvalidAddress`` (exceptions are not cached)."""

    def convert(value):
        if isinstance(value, str):
            value = [value]
        try:
            key = tuple(value)
            hash(key)
        except TypeError:  # lazy strings or odd values: anymail's own path
            return parse_address_list(value, field=field)
        if not all(isinstance(v, str) for v in key):
            return parse_address_list(value, field=field)
        return _parse_shared(key, field)

    return convert


def _postmark_payload_class():
    """anymail's ``PostmarkPayload`` with From and Reply-To parsed and formatted once per distinct
    value instead of once per message. Everything else (To, headers, metadata, bodies, tags,
    validation and errors) is anymail's own code."""
    from anymail.backends.postmark import PostmarkPayload

    shared = {"from_email": _shared_address_list("from_email")}
    shared["reply_to"] = _shared_address_list("reply_to")

    class CampaignPostmarkPayload(PostmarkPayload):
        base_message_attrs = tuple(
            (attr, combiner, shared.get(attr, converter))
            for attr, combiner, converter in PostmarkPayload.base_message_attrs
        )

        def _joined(self, emails) -> str:
            idna = self.backend.idna_encode
            cached = getattr(emails, "formatted", None)
            if cached is not None and cached[0] == idna:
                return cached[1]
            text = ", ".join([email.format(idna_encode=idna) for email in emails])
            if isinstance(emails, _ParsedAddresses):
                emails.formatted = (idna, text)
            return text

        def set_from_email_list(self, emails):
            self.data["From"] = self._joined(emails)

        def set_reply_to(self, emails):
            if emails:
                self.data["ReplyTo"] = self._joined(emails)

    return CampaignPostmarkPayload


class Sender:
    """One connection to the ESP, reused for every batch a worker sends."""

    def __init__(self) -> None:
        self.connection = get_connection()
        self.connection.open()
        from anymail.backends.postmark import EmailBackend as PostmarkBackend

        self.batch_api = (
            isinstance(self.connection, PostmarkBackend)
            and not self.connection.use_bulk_api
            and settings.CAMPAIGN_USE_ESP_BATCH_API
        )
        self._payload_class = _postmark_payload_class() if self.batch_api else None
        # How long the ESP honours an idempotency key (None: it has none). Set by Liaison's
        # backend subclasses (outreach/esp_backends/).
        self.idempotency_key_lifetime: timedelta | None = getattr(
            self.connection, "idempotency_key_lifetime", None
        )
        self._threads = max(1, int(settings.CAMPAIGN_SEND_CONCURRENCY))
        self._pool: ThreadPoolExecutor | None = None
        self._connections: list = []

    def key_still_honoured(self, first_taken_at: datetime, now: datetime) -> bool:
        """Whether a message the ESP may have taken at ``first_taken_at`` can be sent again now
        under the same idempotency key, trusting the ESP to drop the duplicate."""
        lifetime = self.idempotency_key_lifetime
        if lifetime is None:
            return False
        return now < first_taken_at + lifetime - min(KEY_SAFETY_MARGIN, lifetime / 4)

    def close(self) -> None:
        self.connection.close()
        for conn in self._connections:
            conn.close()
        if self._pool:
            self._pool.shutdown(wait=True)

    def send(self, messages: list[EmailMessage]) -> list[SendResult]:
        if not messages:
            return []
        if self.batch_api:
            results: list[SendResult] = []
            for start in range(0, len(messages), 500):  # Postmark's batch limit
                results += self._send_postmark_batch(messages[start : start + 500])
            return results
        if self._threads == 1 or len(messages) == 1:
            return [self._send_one(self.connection, m) for m in messages]
        return self._send_concurrently(messages)

    # --- one by one (any ESP) -------------------------------------------------------------
    @staticmethod
    def _send_one(connection, message: EmailMessage) -> SendResult:
        message.connection = connection
        try:
            sent = connection.send_messages([message])
        except Exception as exc:
            return classify_exception(exc)
        if not sent:
            return SendResult(Outcome.PERMANENT, reason="the ESP backend did not send it")
        return _result_from_status(message)

    def _send_concurrently(self, messages: list[EmailMessage]) -> list[SendResult]:
        import threading

        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="esp")
            self._local = threading.local()

        def send(message: EmailMessage) -> SendResult:
            conn = getattr(self._local, "connection", None)
            if conn is None:
                conn = self._local.connection = get_connection()
                conn.open()
                self._connections.append(conn)
            return self._send_one(conn, message)

        return list(self._pool.map(send, messages))

    # --- Postmark's batch API ---------------------------------------------------------------
    def _send_postmark_batch(self, messages: list[EmailMessage]) -> list[SendResult]:
        backend = self.connection
        results: list[SendResult | None] = [None] * len(messages)
        data, positions, token = [], [], None
        payload_class, defaults = self._payload_class, backend.send_defaults
        for index, message in enumerate(messages):
            try:
                payload = payload_class(message, defaults, backend)
                data.append(payload.data)
                token = payload.server_token
            except Exception as exc:
                results[index] = classify_exception(exc)
                continue
            positions.append(index)
        if data:
            for index, result in zip(positions, self._post_batch(data, token), strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    def _post_batch(self, data: list[dict], token: str | None) -> list[SendResult]:
        backend = self.connection
        try:
            response = backend.session.post(
                backend.api_url + "email/batch",
                data=json.dumps(data, ensure_ascii=False).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "X-Postmark-Server-Token": token or "",
                },
                timeout=backend.timeout,
            )
        except requests.RequestException as exc:
            result = classify_exception(exc)
            return [result] * len(data)
        if response.status_code != 200:
            outcome = classify_http_status(response.status_code)
            reason = f"HTTP {response.status_code}: {response.text[:300]}"
            return [SendResult(outcome, reason=reason)] * len(data)
        try:
            answers = response.json()
            if not isinstance(answers, list) or len(answers) != len(data):
                raise ValueError("answer does not match the batch")
        except ValueError as exc:
            return [SendResult(Outcome.AMBIGUOUS, reason=f"unreadable answer: {exc}")] * len(data)
        results = []
        for answer in answers:
            code = answer.get("ErrorCode", 0)
            if code == 0 and answer.get("MessageID"):
                results.append(SendResult(Outcome.SENT, esp_message_id=str(answer["MessageID"])))
            elif code == 0:
                results.append(SendResult(Outcome.AMBIGUOUS, reason="no MessageID in answer"))
            else:
                results.append(
                    SendResult(Outcome.PERMANENT, reason=f"{code}: {answer.get('Message', '')}")
                )
        return results
