"""Talking to the ESP through django-anymail, and classifying what went wrong.

Every failed send is one of three kinds (see docs/architecture.md, "A message is sent at most
once"):
- TRANSIENT: nothing was sent (429, 5xx, connection refused before the request left) -> retry;
- PERMANENT: the ESP refused this message (invalid address, inactive recipient, bad request)
  -> FAILED with the reason;
- AMBIGUOUS: the request may have been accepted (timeout after it left, connection dropped
  mid-answer, unreadable answer) -> UNKNOWN, for a person to decide; never retried -- unless the
  ESP honours an idempotency key (Resend): then the ledger retries under the same key while the
  ESP still remembers it, and the ESP makes sure the message goes out once (see sending.py).

An ESP with a batch API (``batch_sender`` in its module under ``outreach/esp/``: Postmark) gets
many messages per request; any other ESP gets one anymail ``send`` per message over a reused
connection. What is particular to one ESP (its error answers, batch API, idempotency keys) lives
in its module; this one holds the rules every ESP shares."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import requests
from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailRecipientsRefused,
)
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from outreach import esp as esps
from outreach.esp import Outcome, SendResult

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


def classify_exception(exc: BaseException) -> SendResult:
    """What an exception raised while sending one message means for that message."""
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    if isinstance(exc, AnymailRecipientsRefused):
        return SendResult(Outcome.PERMANENT, reason=reason)
    # An ESP's own error answers first (outreach/esp/<name>.py); the error need not say which
    # ESP raised it, so every ESP's hook is asked and answers only errors it recognises.
    for classify_error in esps.hooks("classify_error"):
        result = classify_error(exc)
        if result is not None:
            return result
    status = getattr(exc, "status_code", None)
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


class Sender:
    """One connection to the ESP, reused for every batch a worker sends."""

    def __init__(self) -> None:
        self.connection = get_connection()
        self.connection.open()
        # The ESP's batch API, where its module (outreach/esp/) has one.
        self.send_batch = None
        module = esps.module_for(getattr(self.connection, "esp_name", ""))
        if settings.CAMPAIGN_USE_ESP_BATCH_API and hasattr(module, "batch_sender"):
            self.send_batch = module.batch_sender(self.connection)
        # How long the ESP honours an idempotency key (None: it has none). Set by Liaison's
        # backend subclasses (outreach/esp/).
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
        if self.send_batch is not None:
            return self.send_batch(messages)
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
