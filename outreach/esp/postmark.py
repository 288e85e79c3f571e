"""Postmark: its credential is a "server token"; its webhooks are not signed (protected by basic
auth, ``ANYMAIL_WEBHOOK_SECRET``); messages go out through its batch API; its bounce ``Type``
says hard or soft more precisely than anymail's normalised event. Postmark is the ESP of
development and tests: its ``Simulator`` plays Postmark's API and tracking webhooks in the
development ESP simulator (``devtools/esp_simulator``).

Batch API: up to 500 different messages in one request, each answered separately. When the
backend is anymail's Postmark backend (and ``CAMPAIGN_USE_ESP_BATCH_API``), messages are
serialised by anymail's own payload class and posted to ``email/batch`` in one call.

Hard or soft: anymail's Postmark view reports Postmark's ``SoftBounce`` as ``bounced`` like a
hard bounce, so the bounce ``Type`` decides (Postmark's documented bounce types,
https://postmarkapp.com/developer/api/bounce-api#bounce-types):

==================== ============================== ======== ==========
Postmark ``Type``    anymail event / reject_reason  kind     suppressed
==================== ============================== ======== ==========
HardBounce           bounced / bounced              hard     yes
BadEmailAddress      rejected / invalid             hard     yes
ManuallyDeactivated  rejected / blocked             hard     yes [1]
Blocked              rejected / blocked             hard     no [2]
DMARCPolicy          rejected / blocked             hard     no [2]
Unconfirmed          rejected / -                   hard     no [2]
VirusNotification    bounced / other                hard     no [2]
SoftBounce           bounced / bounced              soft     no
Transient            deferred / -                   soft     no
DnsError             deferred / -                   soft     no
OpenRelayTest        deferred / -                   ignored  no [3]
AutoResponder,       autoresponded / -              ignored  no [3]
AddressChange,
ChallengeVerification
SpamNotification,    complained / spam              (complaint: suppressed)
SpamComplaint
SMTPApiError,        failed / -                     ignored  no [4]
TemplateRenderingFailed
Unknown              unknown / -                    ignored  no
==================== ============================== ======== ==========

[1] Postmark refuses every later send to a deactivated address, so we stop trying too.
[2] A permanent failure of this message (counted by the circuit breaker: an ISP block or our
    own DMARC/sender setup failing at scale is exactly what it should stop), but not a fault of
    the recipient's address, so the address is not suppressed.
[3] Not a delivery failure: a test message or an automatic reply.
[4] A failure to send, which the send ledger already records from the API's answer."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from anymail.utils import parse_address_list

from outreach.esp import HARD, HARD_BAD_ADDRESS, SOFT, UNDECIDED, Failure, Outcome, SendResult
from outreach.esp._simulation import SimulatedApi, now, outbox_record

CREDENTIAL_NAME = "SERVER_TOKEN"
BATCH_LIMIT = 500  # messages per email/batch request

# Postmark's bounce Type -> what it means here (None: not a delivery failure). See the table in
# this module's docstring.
BOUNCE_TYPES: dict[str, Failure | None] = {
    "HardBounce": HARD_BAD_ADDRESS,
    "BadEmailAddress": HARD_BAD_ADDRESS,
    "ManuallyDeactivated": HARD_BAD_ADDRESS,
    "Blocked": HARD,
    "DMARCPolicy": HARD,
    "Unconfirmed": HARD,
    "VirusNotification": HARD,
    "SoftBounce": SOFT,
    "Transient": SOFT,
    "DnsError": SOFT,
    "OpenRelayTest": None,
}


def failure_of(event_type: str, reject_reason: str, payload: dict) -> Failure | object | None:
    bounce_type = payload.get("Type") if isinstance(payload, dict) else None
    if bounce_type in BOUNCE_TYPES:
        return BOUNCE_TYPES[bounce_type]
    return UNDECIDED


# --- the batch API ------------------------------------------------------------------------------
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


def _payload_class():
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


def batch_sender(connection) -> Callable[[list], list[SendResult]] | None:
    """``send(messages)`` through Postmark's batch API on ``connection``, or None when the
    connection is not anymail's Postmark backend (or uses anymail's own bulk API)."""
    from anymail.backends.postmark import EmailBackend as PostmarkBackend

    if not isinstance(connection, PostmarkBackend) or connection.use_bulk_api:
        return None
    payload_class = _payload_class()

    def send(messages: list) -> list[SendResult]:
        results: list[SendResult] = []
        for start in range(0, len(messages), BATCH_LIMIT):
            results += _send_batch(connection, payload_class, messages[start : start + BATCH_LIMIT])
        return results

    return send


def _send_batch(backend, payload_class, messages: list) -> list[SendResult]:
    from outreach.services.esp import classify_exception

    results: list[SendResult | None] = [None] * len(messages)
    data, positions, token = [], [], None
    defaults = backend.send_defaults
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
        for index, result in zip(positions, _post_batch(backend, data, token), strict=True):
            results[index] = result
    return [r for r in results if r is not None]


def _post_batch(backend, data: list[dict], token: str | None) -> list[SendResult]:
    import requests

    from outreach.services.esp import classify_exception, classify_http_status

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


# --- the development simulator ------------------------------------------------------------------
# Postmark bounce Type -> (TypeCode, Description, a typical SMTP answer), after Postmark's
# documented bounce types: what the simulator writes into a Bounce webhook.
SIMULATED_BOUNCES: dict[str, tuple[int, str, str]] = {
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
    "SpamComplaint": (100001, "The subscriber explicitly marked this message as spam.", ""),
    "ManuallyDeactivated": (100002, "The email was manually deactivated.", ""),
    "Blocked": (100006, "The email was blocked by the ISP.", "smtp;554 5.7.1 blocked"),
    "DMARCPolicy": (100009, "The email was rejected by the DMARC policy.", ""),
    "Unknown": (2048, "Unable to classify the NDR.", ""),
}
_SIMULATED_CLIENT = {
    "UserAgent": "Mozilla/5.0 (LiaisonESPSimulator)",
    "OS": {"Name": "Linux", "Family": "Linux", "Company": ""},
    "Client": {"Name": "Simulated", "Family": "Simulated", "Company": ""},
    "Geo": {},
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
        base |= {"Recipient": to, "DeliveredAt": now(), "Details": "smtp;250 2.0.0 OK"}
    elif record_type in ("Bounce", "SpamComplaint"):
        default_type = "HardBounce" if record_type == "Bounce" else "SpamComplaint"
        bounce_type = extra.pop("Type", default_type)
        code, description, details = SIMULATED_BOUNCES.get(
            bounce_type, SIMULATED_BOUNCES["Unknown"]
        )
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
            "BouncedAt": now(),
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
            "ReceivedAt": now(),
            "Platform": "WebMail",
            "ReadSeconds": 5,
            **_SIMULATED_CLIENT,
        }
    elif record_type == "Click":
        base |= {
            "Recipient": to,
            "ReceivedAt": now(),
            "Platform": "Desktop",
            "ClickLocation": "HTML",
            "OriginalLink": extra.pop("OriginalLink", "https://example.org/"),
            **_SIMULATED_CLIENT,
        }
    elif record_type == "SubscriptionChange":
        base |= {
            "Recipient": to,
            "ChangedAt": now(),
            "SuppressSending": True,
            "SuppressionReason": "ManualSuppression",
            "Origin": "Recipient",
        }
    else:
        raise ValueError(f"unknown RecordType {record_type!r}")
    base.update(extra)
    return base


# The simulator's event kinds as Postmark's RecordType (and bounce Type)
_EVENTS = {
    "delivered": ("Delivery", {}),
    "bounced": ("Bounce", {}),
    "soft_bounced": ("Bounce", {"Type": "SoftBounce"}),
    "complained": ("SpamComplaint", {}),
    "opened": ("Open", {}),
    "clicked": ("Click", {}),
}


class Simulator(SimulatedApi):
    """Postmark's ``POST /email`` and ``POST /email/batch`` (``X-Postmark-Server-Token``), and
    its tracking webhooks: ``Delivery``, ``Bounce`` (any bounce ``Type``), ``SpamComplaint``,
    ``Open``, ``Click``, ``SubscriptionChange``."""

    name = "postmark"
    paths = ("/email", "/email/batch")

    def refuse(self, path, headers, server_token):
        if server_token and headers.get("X-Postmark-Server-Token") != server_token:
            return 401, {"ErrorCode": 10, "Message": "Bad or missing Server API token."}
        return None

    def error(self, status):
        messages = {429: "Rate limit exceeded.", 500: "Internal server error."}
        if status in messages:
            return status, {"ErrorCode": status, "Message": messages[status]}
        return 422, {"ErrorCode": 402, "Message": "Invalid JSON"}

    def receive(self, path, headers, body, outbox):
        if path == "/email/batch":
            if not isinstance(body, list):
                return (422, {"ErrorCode": 402, "Message": "Expected a list."}), []
            # Postmark answers each message of a batch separately.
            answers, records = [], []
            for item in body:
                if isinstance(item, dict) and item.get("To"):
                    records.append(self._record(item))
                    answers.append(self._accepted(records[-1]))
                else:
                    answers.append({"ErrorCode": 300, "Message": "Invalid 'To' address: ''."})
            return (200, answers), records
        if not isinstance(body, dict) or not body.get("To"):
            return (422, {"ErrorCode": 300, "Message": "Invalid 'To' address."}), []
        record = self._record(body)
        return (200, self._accepted(record)), [record]

    @staticmethod
    def _record(payload: dict) -> dict:
        fields = ("From", "To", "Cc", "ReplyTo", "Subject", "HtmlBody", "TextBody", "Tag")
        return outbox_record(
            "postmark",
            **{f: payload.get(f, "") for f in fields},
            Headers=payload.get("Headers", []),
            Metadata=payload.get("Metadata", {}),
            # [{Name, Content (base64), ContentType}]: calendar invitations, badges
            Attachments=payload.get("Attachments", []),
        )

    @staticmethod
    def _accepted(record: dict) -> dict:
        return {
            "To": record["To"],
            "SubmittedAt": record["ReceivedAt"],
            "MessageID": record["MessageID"],
            "ErrorCode": 0,
            "Message": "OK",
        }

    def tracking_event(self, record, kind, **fields):
        record_type, extra = _EVENTS[kind]
        return postmark_event(record, record_type, **extra, **fields)

    def requested_event(self, record, fields):
        fields = dict(fields)
        return postmark_event(record, fields.pop("RecordType", "Delivery"), **fields)
