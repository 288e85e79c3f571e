"""A local stand-in for Postmark's (and Resend's) email API, for development and tests.

It speaks the subset of the Postmark API that anymail's Postmark backend calls (``POST /email``,
``POST /email/batch``, ``X-Postmark-Server-Token``) and the subset of the Resend API that
anymail's Resend backend calls (``POST /emails``, ``POST /emails/batch``, ``Authorization:
Bearer``), keeps what it receives in memory (and, if asked, in a JSON-lines file), and shows it on
a page at ``/`` — the development outbox that ``make run`` links from the admin.

Resend's ``Idempotency-Key`` header is honoured as Resend documents it: 1 to 256 characters,
remembered for 24 hours (``idempotency_seconds``) once a request under it was accepted; the same
key with the same payload gets the first response again and nothing is recorded twice; the same
key with another payload gets ``409 invalid_idempotent_request``; a repeat while the first
request is still being processed gets ``409 concurrent_idempotent_requests``. A request refused
(fault, validation error) does not keep its key.

Faults can be injected for tests (latency, 429, 500, timeouts, closed connections) through
command-line flags or at run time with ``POST /_sim/config``; they apply to both APIs. A
"timeout" fault accepts the request and then holds the answer back (``timeout_seconds``): the
sender cannot know the message was taken — the case idempotency keys exist for.

Tracking webhooks (Postmark only; messages received through the Resend API get none): when
``webhook_url`` is configured, every accepted message produces the events Postmark would post —
``Delivery`` or a ``Bounce`` (hard bounce), or a soft bounce (``Bounce`` of ``Type``
``SoftBounce``) followed by the ``Delivery`` of Postmark's retry, then maybe a
``SpamComplaint``, an ``Open`` and a ``Click`` — in Postmark's own payload format, sent with HTTP
basic auth (``webhook_user``/``webhook_password``) by a small pool of background threads. The
rates are configurable (``rate_bounce``, ``rate_soft_bounce``, ``rate_complaint``,
``rate_open``, ``rate_click``); an event can also be asked for explicitly with
``POST /_sim/events`` (any Postmark bounce ``Type``: ``{"RecordType": "Bounce", "Type":
"SoftBounce"}``, ``"Transient"``, ``"DnsError"``, ``"BadEmailAddress"``, ...).

Control and inspection endpoints (all JSON):
- ``GET  /_sim/messages``           every message received, oldest first
                                     (``?fields=To,Metadata`` keeps only those fields)
- ``GET  /_sim/stats``              counts (received, faults, webhooks posted/failed/pending)
- ``POST /_sim/config``             change latency/fault/webhook settings
- ``POST /_sim/events``             post a webhook now: {"MessageID", "RecordType", ...}
- ``POST /_sim/reset``              forget every message

It is not part of the production apps and imports nothing from Liaison.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import queue
import random
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

FAULT_KEYS = ("rate_429", "rate_500", "rate_timeout", "rate_close")
EVENT_KEYS = ("rate_bounce", "rate_soft_bounce", "rate_complaint", "rate_open", "rate_click")
WEBHOOK_THREADS = 8


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


# Postmark bounce Type -> (TypeCode, Description, a typical SMTP answer), after Postmark's
# documented bounce types.
BOUNCE_TYPES: dict[str, tuple[int, str, str]] = {
    "HardBounce": (
        1,
        "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "smtp;550 5.1.1 user unknown",
    ),
    "Transient": (
        2,
        "The server could not temporarily deliver your message (ex: Message is delayed due "
        "to network troubles).",
        "smtp;421 4.4.2 connection timed out",
    ),
    "DnsError": (256, "A temporary DNS error.", "DNS lookup failed: SERVFAIL"),
    "SoftBounce": (
        4096,
        "Unable to temporarily deliver message (i.e. mailbox full, account disabled, exceeds "
        "quota, out of disk space).",
        "smtp;452 4.2.2 mailbox full",
    ),
    "AutoResponder": (64, 'Automatic email responder (ex: "Out of Office").', ""),
    "SpamNotification": (512, "The message was delivered, but was classified as spam.", ""),
    "BadEmailAddress": (100000, "The address is not a valid email address.", ""),
    "SpamComplaint": (
        100001,
        "The subscriber explicitly marked this message as spam.",
        "",
    ),
    "ManuallyDeactivated": (100002, "The email was manually deactivated.", ""),
    "Blocked": (100006, "The email was blocked by the ISP.", "smtp;554 5.7.1 blocked"),
    "DMARCPolicy": (100009, "The email was rejected by the DMARC policy.", ""),
    "Unknown": (2048, "Unable to classify the NDR.", ""),
}


def postmark_event(record: dict[str, Any], record_type: str, **extra: Any) -> dict[str, Any]:
    """One tracking event for a received message, shaped as Postmark posts it (the fields
    anymail's ``PostmarkTrackingWebhookView`` reads, plus the usual companions)."""
    base = {
        "RecordType": record_type,
        "MessageStream": "outbound",
        "MessageID": record["MessageID"],
        "Metadata": record.get("Metadata") or {},
        "Tag": record.get("Tag") or "",
        "ServerID": 1,
    }
    to = record.get("To", "")
    if record_type == "Delivery":
        base |= {"Recipient": to, "DeliveredAt": _now(), "Details": "smtp;250 2.0.0 OK"}
    elif record_type in ("Bounce", "SpamComplaint"):
        default_type = "HardBounce" if record_type == "Bounce" else "SpamComplaint"
        bounce_type = extra.pop("Type", default_type)
        code, description, details = BOUNCE_TYPES.get(bounce_type, BOUNCE_TYPES["Unknown"])
        base |= {
            # Postmark's bounce id is a 64-bit number, unique per bounce/complaint.
            "ID": random.getrandbits(62),
            "Type": bounce_type,
            "TypeCode": code,
            "Name": bounce_type,
            "Description": description,
            "Details": details,
            "Email": to,
            "From": record.get("From", ""),
            "BouncedAt": _now(),
            "DumpAvailable": False,
            # Postmark deactivates an address after a hard bounce or a spam complaint.
            "Inactive": bounce_type in ("HardBounce", "SpamComplaint"),
            "CanActivate": True,
            "Subject": record.get("Subject", ""),
        }
    elif record_type == "Open":
        base |= {
            "FirstOpen": True,
            "Recipient": to,
            "ReceivedAt": _now(),
            "Platform": "WebMail",
            "ReadSeconds": 5,
            "UserAgent": "Mozilla/5.0 (LiaisonESPSimulator)",
            "OS": {"Name": "Linux", "Family": "Linux", "Company": ""},
            "Client": {"Name": "Simulated", "Family": "Simulated", "Company": ""},
            "Geo": {},
        }
    elif record_type == "Click":
        base |= {
            "Recipient": to,
            "ReceivedAt": _now(),
            "Platform": "Desktop",
            "ClickLocation": "HTML",
            "OriginalLink": extra.pop("OriginalLink", "https://example.org/"),
            "UserAgent": "Mozilla/5.0 (LiaisonESPSimulator)",
            "OS": {"Name": "Linux", "Family": "Linux", "Company": ""},
            "Client": {"Name": "Simulated", "Family": "Simulated", "Company": ""},
            "Geo": {},
        }
    elif record_type == "SubscriptionChange":
        base |= {
            "Recipient": to,
            "ChangedAt": _now(),
            "SuppressSending": True,
            "SuppressionReason": "ManualSuppression",
            "Origin": "Recipient",
        }
    else:
        raise ValueError(f"unknown RecordType {record_type!r}")
    base.update(extra)
    return base


class WebhookPoster:
    """Posts tracking events to Liaison from a few background threads (one HTTP session each),
    retrying a failed post a few times as Postmark does."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self.posted = 0
        self.failed = 0
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for _ in range(WEBHOOK_THREADS):
            thread = threading.Thread(target=self._run, daemon=True)
            thread.start()
            self._threads.append(thread)

    def submit(self, event: dict[str, Any]) -> None:
        self.queue.put(event)

    @property
    def pending(self) -> int:
        return self.queue.unfinished_tasks

    def stop(self) -> None:
        """Finish what is queued, then close the kept-alive connections to Liaison."""
        for _ in self._threads:
            self.queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def _run(self) -> None:
        session = requests.Session()
        while True:
            event = self.queue.get()
            try:
                if event is None:
                    session.close()
                    return
                self._post(session, event)
            finally:
                self.queue.task_done()

    def _post(self, session: requests.Session, event: dict[str, Any]) -> None:
        cfg = self.outbox.webhook
        url = cfg.get("webhook_url")
        if not url:
            return
        auth = None
        if cfg.get("webhook_user"):
            auth = (cfg["webhook_user"], cfg.get("webhook_password", ""))
        body = json.dumps(event).encode()
        for attempt in range(4):
            try:
                response = session.post(
                    url,
                    data=body,
                    headers={"Content-Type": "application/json"},
                    auth=auth,
                    timeout=30,
                )
            except requests.RequestException:
                ok = False
            else:
                ok = response.status_code < 300
                if response.status_code in (401, 403):
                    break  # wrong credentials: retrying will not help
            if ok:
                with self._lock:
                    self.posted += 1
                return
            time.sleep(0.2 * (attempt + 1))
        with self._lock:
            self.failed += 1


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) == b"\n"


class Outbox:
    """Everything the simulator has received, shared by the handler threads."""

    def __init__(self, journal: Path | None = None) -> None:
        self._lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.journal = journal
        if journal is not None and journal.exists():
            self._load(journal)
        self._journal_fh = journal.open("a", encoding="utf-8") if journal else None
        if self._journal_fh and self._journal_fh.tell() and not _ends_with_newline(journal):
            self._journal_fh.write("\n")  # after a line cut by a crash
        # Resend idempotency keys: key -> {"fingerprint", "done", "status", "answer", "at"}
        self.idempotency: dict[str, dict[str, Any]] = {}
        self.idempotent_replays = 0
        self.config: dict[str, float] = {
            "latency_ms": 0.0,
            "timeout_seconds": 30.0,  # how long a "timeout" fault holds the answer back
            "idempotency_seconds": 24 * 3600.0,  # how long Resend remembers a key
            **dict.fromkeys(FAULT_KEYS, 0.0),
            **dict.fromkeys(EVENT_KEYS, 0.0),
        }
        self.webhook: dict[str, str] = {}
        self.faults_injected = 0
        self.random = random.Random()
        self.poster = WebhookPoster(self)
        self.poster.start()

    def _load(self, journal: Path) -> None:
        """The messages of earlier runs: the outbox survives a restart of `make run`."""
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by a crash
            if isinstance(record, dict) and record.get("MessageID"):
                self.messages.append(record)
                self.by_id[record["MessageID"]] = record

    def configure(self, **values: Any) -> dict[str, Any]:
        with self._lock:
            for key, value in values.items():
                if key == "seed":
                    self.random.seed(value)
                    continue
                if key in ("webhook_url", "webhook_user", "webhook_password"):
                    self.webhook[key] = str(value or "")
                    continue
                if key not in self.config:
                    raise ValueError(f"unknown setting {key!r}")
                self.config[key] = float(value)
            return {**self.config, **{k: v for k, v in self.webhook.items() if "password" not in k}}

    def draw_fault(self) -> str | None:
        with self._lock:
            roll = self.random.random()
            edge = 0.0
            for key in FAULT_KEYS:
                edge += self.config[key]
                if roll < edge:
                    self.faults_injected += 1
                    return key.removeprefix("rate_")
        return None

    def _store(self, record: dict[str, Any]) -> None:
        with self._lock:
            self.messages.append(record)
            self.by_id[record["MessageID"]] = record
            if self._journal_fh:
                self._journal_fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._journal_fh.flush()

    def accept_resend(self, payload: dict[str, Any], key: str | None) -> dict[str, Any]:
        """Record one message posted to Resend's API (in the outbox's Postmark-like fields) and
        answer as Resend does."""
        message_id = str(uuid.uuid4())
        headers = dict(payload.get("headers") or {})
        try:
            metadata = json.loads(headers.get("X-Metadata") or "{}")
        except ValueError:
            metadata = {}
        try:
            tags = json.loads(headers.get("X-Tags") or "[]")
        except ValueError:
            tags = []

        def joined(value: Any) -> str:
            return ", ".join(value) if isinstance(value, list) else str(value or "")

        record = {
            "MessageID": message_id,
            "ReceivedAt": _now(),
            "Api": "resend",
            "IdempotencyKey": key or "",
            "From": str(payload.get("from", "")),
            "To": joined(payload.get("to")),
            "Cc": joined(payload.get("cc")),
            "ReplyTo": joined(payload.get("reply_to")),
            "Subject": str(payload.get("subject", "")),
            "HtmlBody": str(payload.get("html", "")),
            "TextBody": str(payload.get("text", "")),
            "Headers": [{"Name": k, "Value": str(v)} for k, v in headers.items()],
            "Metadata": metadata,
            "Tag": tags[0] if isinstance(tags, list) and tags else "",
        }
        self._store(record)
        return {"id": message_id}

    # --- Resend's idempotency keys ---------------------------------------------------------
    def claim_key(self, key: str, fingerprint: str) -> tuple[str, Any]:
        """Look a key up before processing a request: ("new", None) — go ahead (the key is now
        held as in progress); ("replay", (status, answer)); ("conflict", None); ("busy", None)."""
        with self._lock:
            now = time.monotonic()
            entry = self.idempotency.get(key)
            if entry is not None and now - entry["at"] > self.config["idempotency_seconds"]:
                entry = None  # forgotten
            if entry is None:
                self.idempotency[key] = {"fingerprint": fingerprint, "done": False, "at": now}
                return "new", None
            if not entry["done"]:
                return "busy", None
            if entry["fingerprint"] != fingerprint:
                return "conflict", None
            self.idempotent_replays += 1
            return "replay", (entry["status"], entry["answer"])

    def settle_key(self, key: str, status: int, answer: Any) -> None:
        with self._lock:
            entry = self.idempotency.get(key)
            if entry is not None:
                entry.update(done=True, status=status, answer=answer, at=time.monotonic())

    def release_key(self, key: str) -> None:
        with self._lock:
            entry = self.idempotency.get(key)
            if entry is not None and not entry["done"]:
                del self.idempotency[key]

    def accept(self, payload: dict[str, Any]) -> dict[str, Any]:
        message_id = str(uuid.uuid4())
        record = {
            "MessageID": message_id,
            "ReceivedAt": _now(),
            "From": payload.get("From", ""),
            "To": payload.get("To", ""),
            "Cc": payload.get("Cc", ""),
            "ReplyTo": payload.get("ReplyTo", ""),
            "Subject": payload.get("Subject", ""),
            "HtmlBody": payload.get("HtmlBody", ""),
            "TextBody": payload.get("TextBody", ""),
            "Headers": payload.get("Headers", []),
            "Metadata": payload.get("Metadata", {}),
            "Tag": payload.get("Tag", ""),
            # Postmark's [{Name, Content (base64), ContentType}]: calendar invitations, badges
            "Attachments": payload.get("Attachments", []),
        }
        self._store(record)
        return {
            "To": record["To"],
            "SubmittedAt": record["ReceivedAt"],
            "MessageID": message_id,
            "ErrorCode": 0,
            "Message": "OK",
        }

    def schedule_events(self, record: dict[str, Any]) -> None:
        """Draw this message's fate and queue the webhooks Postmark would post for it."""
        if not self.webhook.get("webhook_url"):
            return
        cfg, rnd = self.config, self.random
        if rnd.random() < cfg["rate_bounce"]:
            self.poster.submit(postmark_event(record, "Bounce"))
            return
        if rnd.random() < cfg["rate_soft_bounce"]:
            # A temporary failure; Postmark retries and the retry gets through.
            self.poster.submit(postmark_event(record, "Bounce", Type="SoftBounce"))
        self.poster.submit(postmark_event(record, "Delivery"))
        if rnd.random() < cfg["rate_open"]:
            self.poster.submit(postmark_event(record, "Open"))
            if rnd.random() < cfg["rate_click"]:
                self.poster.submit(postmark_event(record, "Click"))
        if rnd.random() < cfg["rate_complaint"]:
            self.poster.submit(postmark_event(record, "SpamComplaint"))

    def close(self) -> None:
        self.poster.stop()
        if self._journal_fh:
            self._journal_fh.close()

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.by_id.clear()
            self.idempotency.clear()
            self.faults_injected = 0
            self.idempotent_replays = 0

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.messages)


def make_handler(outbox: Outbox, server_token: str | None):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as anymail's requests session expects
        server_version = "LiaisonESPSimulator/1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the outbox page is the log

        # --- helpers ---------------------------------------------------------------------
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw or b"null")

        # --- routes ----------------------------------------------------------------------
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/_sim/messages":
                messages = outbox.snapshot()
                fields = parse_qs(url.query).get("fields")
                if fields:
                    keep = [f for f in ",".join(fields).split(",") if f]
                    messages = [{k: m.get(k) for k in keep} for m in messages]
                self._json(200, messages)
            elif url.path == "/_sim/stats":
                self._json(
                    200,
                    {
                        "received": len(outbox.messages),
                        "faults_injected": outbox.faults_injected,
                        "idempotent_replays": outbox.idempotent_replays,
                        "webhooks_posted": outbox.poster.posted,
                        "webhooks_failed": outbox.poster.failed,
                        "webhooks_pending": outbox.poster.pending,
                    },
                )
            elif url.path.startswith("/message/"):
                record = outbox.by_id.get(url.path.removeprefix("/message/").strip("/"))
                if record is None:
                    self._send(404, b"No such message", "text/plain; charset=utf-8")
                else:
                    self._send(200, render_message(record).encode(), "text/html; charset=utf-8")
            elif url.path.startswith("/html/"):
                # The HTML part alone, shown in the message page's sandboxed frame.
                record = outbox.by_id.get(url.path.removeprefix("/html/").strip("/"))
                body = (record or {}).get("HtmlBody") or ""
                self._send(200 if record else 404, body.encode(), "text/html; charset=utf-8")
            elif url.path in ("/", "/index.html"):
                self._send(
                    200, render_outbox(outbox.snapshot()).encode(), "text/html; charset=utf-8"
                )
            else:
                self._json(404, {"ErrorCode": 404, "Message": "Not found"})

        def do_POST(self) -> None:
            try:
                body = self._body()
            except (ValueError, UnicodeDecodeError):
                self._json(422, {"ErrorCode": 402, "Message": "Invalid JSON"})
                return
            if self.path == "/_sim/config":
                try:
                    self._json(200, outbox.configure(**(body or {})))
                except (TypeError, ValueError) as exc:
                    self._json(400, {"error": str(exc)})
                return
            if self.path == "/_sim/reset":
                outbox.reset()
                self._json(200, {"ok": True})
                return
            if self.path == "/_sim/events":
                self._explicit_event(body)
                return
            if self.path.rstrip("/") in ("/emails", "/emails/batch"):
                self._resend(body)
                return
            if self.path.rstrip("/") not in ("/email", "/email/batch"):
                self._json(404, {"ErrorCode": 404, "Message": "Not found"})
                return
            if server_token and self.headers.get("X-Postmark-Server-Token") != server_token:
                self._json(401, {"ErrorCode": 10, "Message": "Bad or missing Server API token."})
                return
            latency = outbox.config["latency_ms"]
            if latency:
                time.sleep(latency / 1000)
            fault = outbox.draw_fault()
            if fault == "429":
                self._json(429, {"ErrorCode": 429, "Message": "Rate limit exceeded."})
                return
            if fault == "500":
                self._json(500, {"ErrorCode": 500, "Message": "Internal server error."})
                return
            if fault == "close":
                # The connection drops before the request is accepted: nothing was sent.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if self.path.rstrip("/") == "/email/batch":
                if not isinstance(body, list):
                    self._json(422, {"ErrorCode": 402, "Message": "Expected a list."})
                    return
                # Postmark answers each message of a batch separately.
                result: Any = [
                    outbox.accept(item)
                    if isinstance(item, dict) and item.get("To")
                    else {"ErrorCode": 300, "Message": "Invalid 'To' address: ''."}
                    for item in body
                ]
            else:
                if not isinstance(body, dict) or not body.get("To"):
                    self._json(422, {"ErrorCode": 300, "Message": "Invalid 'To' address."})
                    return
                result = outbox.accept(body)
            if fault == "timeout":
                # Accepted, but the answer never comes back in time: the sender cannot know.
                time.sleep(outbox.config["timeout_seconds"])
            self._json(200, result)
            for item in result if isinstance(result, list) else [result]:
                if item.get("ErrorCode") == 0:
                    outbox.schedule_events(outbox.by_id[item["MessageID"]])

        # --- Resend ----------------------------------------------------------------------
        def _resend_error(self, status: int, name: str, message: str) -> None:
            self._json(status, {"statusCode": status, "name": name, "message": message})

        def _resend(self, body: Any) -> None:
            auth = self.headers.get("Authorization") or ""
            if not auth.startswith("Bearer ") or not auth.removeprefix("Bearer ").strip():
                self._resend_error(
                    401, "missing_api_key", "Missing API key in the authorization header."
                )
                return
            if server_token and auth.removeprefix("Bearer ").strip() != server_token:
                self._resend_error(403, "invalid_api_key", "API key is invalid")
                return
            key = self.headers.get("Idempotency-Key")
            if key is not None and not 1 <= len(key) <= 256:
                self._resend_error(
                    400, "invalid_idempotency_key", "The key must be between 1-256 chars."
                )
                return
            latency = outbox.config["latency_ms"]
            if latency:
                time.sleep(latency / 1000)
            fault = outbox.draw_fault()
            if fault == "429":
                self._resend_error(
                    429,
                    "rate_limit_exceeded",
                    "Too many requests. Please limit the number of requests per second.",
                )
                return
            if fault == "500":
                self._resend_error(500, "internal_server_error", "An unexpected error occurred.")
                return
            if fault == "close":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            batch = self.path.rstrip("/") == "/emails/batch"
            if key is not None:
                canonical = json.dumps([self.path.rstrip("/"), body], sort_keys=True)
                fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
                state, replay = outbox.claim_key(key, fingerprint)
                if state == "conflict":
                    self._resend_error(
                        409,
                        "invalid_idempotent_request",
                        "Same idempotency key used with a different request payload.",
                    )
                    return
                if state == "busy":
                    self._resend_error(
                        409,
                        "concurrent_idempotent_requests",
                        "Same idempotency key used while original request is still in progress.",
                    )
                    return
                if state == "replay":
                    if fault == "timeout":
                        time.sleep(outbox.config["timeout_seconds"])
                    self._json(*replay)
                    return
            problem = self._resend_problem(body, batch)
            if problem:
                if key is not None:
                    outbox.release_key(key)
                self._resend_error(422, "validation_error", problem)
                return
            if batch:
                answer: Any = {"data": [outbox.accept_resend(item, key) for item in body]}
            else:
                answer = outbox.accept_resend(body, key)
            if key is not None:
                outbox.settle_key(key, 200, answer)
            if fault == "timeout":
                # Accepted, but the answer never comes back in time: the sender cannot know.
                time.sleep(outbox.config["timeout_seconds"])
            self._json(200, answer)

        @staticmethod
        def _resend_problem(body: Any, batch: bool) -> str:
            """What Resend would refuse in this request ('' when nothing)."""
            items = body if batch else [body]
            if batch and (not isinstance(body, list) or not body):
                return "The request body must be a non-empty array of emails."
            if batch and len(body) > 100:
                return "The batch may contain at most 100 emails."
            for item in items:
                if not isinstance(item, dict):
                    return "Each email must be an object."
                for field in ("from", "to", "subject"):
                    if not item.get(field):
                        return f"Missing `{field}` field."
            return ""

        def _explicit_event(self, body: Any) -> None:
            if not isinstance(body, dict) or body.get("MessageID") not in outbox.by_id:
                self._json(404, {"error": "unknown MessageID"})
                return
            if not outbox.webhook.get("webhook_url"):
                self._json(409, {"error": "no webhook_url configured"})
                return
            fields = dict(body)
            record = outbox.by_id[fields.pop("MessageID")]
            try:
                event = postmark_event(record, fields.pop("RecordType", "Delivery"), **fields)
            except ValueError as exc:
                self._json(400, {"error": str(exc)})
                return
            outbox.poster.submit(event)
            self._json(202, event)

    return Handler


class SimulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # bursts of connections from many worker threads


def decode_header(value: str) -> str:
    """RFC 2047 encoded words ("=?utf-8?b?5Zu96ZmF?= <a@b>") as the reader sees them."""
    from email.header import decode_header as _decode
    from email.header import make_header

    if "=?" not in (value or ""):
        return value or ""
    try:
        return str(make_header(_decode(value)))
    except (LookupError, ValueError, UnicodeDecodeError):
        return value


def _headers_of(record: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [
        (name, decode_header(str(record.get(name) or "")))
        for name in ("From", "To", "Cc", "ReplyTo", "Subject")
        if record.get(name)
    ]
    for item in record.get("Headers") or []:
        if isinstance(item, dict):
            headers.append((str(item.get("Name", "")), decode_header(str(item.get("Value", "")))))
    if record.get("Metadata"):
        headers.append(("Metadata", json.dumps(record["Metadata"], ensure_ascii=False)))
    if record.get("Tag"):
        headers.append(("Tag", str(record["Tag"])))
    for attachment in record.get("Attachments") or []:
        if isinstance(attachment, dict):
            headers.append(
                (
                    "Attachment",
                    f"{attachment.get('Name', '')} ({attachment.get('ContentType', '')})",
                )
            )
    return headers


_STYLE = (
    "<style>body{font-family:system-ui,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:2rem}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;"
    "text-align:start;vertical-align:top}pre{white-space:pre-wrap}"
    "iframe{width:100%;height:70vh;border:1px solid #ccc}th{white-space:nowrap}</style>"
)


def render_message(record: dict[str, Any]) -> str:
    """One message: its decoded headers, the HTML part as the recipient's client draws it
    (in a sandboxed frame: no scripts, no navigation) and the plain-text part."""
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in _headers_of(record)
    )
    message_id = html.escape(record["MessageID"])
    parts = ""
    if record.get("HtmlBody"):
        parts += (
            f"<h2>HTML</h2><iframe title='HTML part' sandbox src='/html/{message_id}'></iframe>"
        )
    if record.get("TextBody"):
        parts += f"<h2>Text</h2><pre>{html.escape(record['TextBody'])}</pre>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(decode_header(record.get('Subject', '')))} · outbox</title>"
        f"{_STYLE}</head><body><p><a href='/'>← Outbox</a></p>"
        f"<h1>{html.escape(decode_header(record.get('Subject', '')))}</h1>"
        f"<table><tbody>{rows}</tbody></table>{parts}</body></html>"
    )


_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href='/message/{}'>{}</a></td></tr>"


def render_outbox(messages: list[dict[str, Any]]) -> str:
    rows = []
    for m in reversed(messages[-500:]):
        rows.append(
            "<tr><td>{}</td><td>{}</td><td>{}</td>"
            "<td><a href='/message/{}'>{}</a></td></tr>".format(
                html.escape(m["ReceivedAt"][:19].replace("T", " ")),
                html.escape(decode_header(m["From"])),
                html.escape(decode_header(m["To"])),
                html.escape(m["MessageID"]),
                html.escape(decode_header(m["Subject"]) or "(no subject)"),
            )
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Outbox (development)</title>"
        f"{_STYLE}</head><body>"
        f"<h1>Outbox</h1><p>{len(messages)} message(s) received by the local ESP simulator. "
        "Nothing here left this machine.</p><table><thead><tr><th>Received (UTC)</th><th>From</th>"
        "<th>To</th><th>Subject</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "</body></html>"
    )


def serve(
    host: str,
    port: int,
    *,
    server_token: str | None = None,
    journal: Path | None = None,
    **config: Any,
) -> tuple[ThreadingHTTPServer, Outbox]:
    outbox = Outbox(journal)
    outbox.configure(**config)
    httpd = SimulatorHTTPServer((host, port), make_handler(outbox, server_token))
    return httpd, outbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument(
        "--server-token",
        default=None,
        help="require this X-Postmark-Server-Token (Postmark) / Bearer API key (Resend)",
    )
    parser.add_argument("--journal", type=Path, default=None, help="append messages to this file")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    for key in FAULT_KEYS + EVENT_KEYS:
        parser.add_argument(f"--{key.replace('_', '-')}", type=float, default=0.0)
    parser.add_argument("--webhook-url", default="", help="post tracking webhooks here")
    parser.add_argument("--webhook-user", default="", help="basic-auth user for the webhooks")
    parser.add_argument("--webhook-password", default="", help="basic-auth password")
    args = parser.parse_args(argv)
    httpd, _outbox = serve(
        args.host,
        args.port,
        server_token=args.server_token,
        journal=args.journal,
        latency_ms=args.latency_ms,
        webhook_url=args.webhook_url,
        webhook_user=args.webhook_user,
        webhook_password=args.webhook_password,
        **{k: getattr(args, k) for k in FAULT_KEYS + EVENT_KEYS},
    )
    print(f"ESP simulator (Postmark, Resend API) on http://{args.host}:{args.port}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        _outbox.close()


if __name__ == "__main__":
    main()
