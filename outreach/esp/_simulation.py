"""What an ESP module gives the development ESP simulator (``devtools/esp_simulator``).

The simulator is one HTTP server for every ESP that has a ``Simulator`` class in its module
(``outreach/esp/<esp>.py``, a subclass of :class:`SimulatedApi`). The server does what is the
same for all of them: credentials and faults in order, latency, injected faults (429, 500, a
dropped connection, an answer held back past the client's timeout), the outbox (every message
received, as an :func:`outbox_record`), the idempotency-key store, and posting tracking webhooks
with basic auth from background threads. The ESP's class says what is particular to it: its
paths, how it refuses a request, how its errors look, how it reads a send request (and answers
it) and, if the simulator should post tracking webhooks for it, the ESP's own payload of each
event, so that anymail's webhook view for that ESP parses them.

Only the standard library here: the simulator runs without Django settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

# (HTTP status, JSON body)
Answer = tuple[int, Any]

# What the simulator draws for each accepted message when tracking webhooks are configured
# (``rate_*`` settings), and what ``tracking_event`` is asked to write.
EVENT_KINDS = ("delivered", "bounced", "soft_bounced", "complained", "opened", "clicked")


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def outbox_record(api: str, **fields: Any) -> dict[str, Any]:
    """One received message as the outbox keeps and shows it, whatever the ESP (Postmark's field
    names): ``MessageID`` (the ESP's message id), ``ReceivedAt``, ``Api``, ``From``, ``To``,
    ``Cc``, ``ReplyTo``, ``Subject``, ``HtmlBody``, ``TextBody``, ``Headers`` (``[{Name,
    Value}]``), ``Metadata``, ``Tag``, ``Attachments``."""
    record: dict[str, Any] = {
        "MessageID": str(uuid.uuid4()),
        "ReceivedAt": now(),
        "Api": api,
        "From": "",
        "To": "",
        "Cc": "",
        "ReplyTo": "",
        "Subject": "",
        "HtmlBody": "",
        "TextBody": "",
        "Headers": [],
        "Metadata": {},
        "Tag": "",
        "Attachments": [],
    }
    record.update(fields)
    return record


class SimulatedApi:
    """One ESP's HTTP API in the development simulator. Subclass it as ``Simulator`` in the
    ESP's module; ``name`` is the ESP's (anymail's) name."""

    name = ""
    # POST paths of the ESP's send API (without a trailing slash), e.g. ("/email", ...)
    paths: tuple[str, ...] = ()

    def refuse(self, path: str, headers, server_token: str | None) -> Answer | None:
        """The ESP's answer to a request it refuses before reading it (wrong credentials, a
        malformed header); None: go on. ``server_token`` is the simulator's
        ``--server-token`` (None: any credential is accepted)."""
        return None

    def error(self, status: int) -> Answer:
        """The ESP's answer for an injected fault (429, 500) or a body that is not JSON (422)."""
        return status, {"error": status}

    def receive(self, path: str, headers, body: Any, outbox) -> tuple[Answer, list[dict]]:
        """Read a send request: the answer, and the messages accepted (outbox records; the
        server stores them and draws their tracking events). ``outbox`` offers the
        idempotency-key store (``claim_key``, ``settle_key``, ``release_key``) and ``store``."""
        raise NotImplementedError

    def tracking_event(self, record: dict, kind: str, **fields: Any) -> dict | None:
        """The ESP's webhook payload of one event (a kind of ``EVENT_KINDS``) for a received
        message; None when the simulator posts no tracking webhooks for this ESP."""
        return None

    def requested_event(self, record: dict, fields: dict) -> dict:
        """``POST /_sim/events``: an event described in the ESP's own terms (Postmark:
        ``RecordType``, ``Type``). ValueError when it cannot be made."""
        raise ValueError(f"the simulator posts no tracking webhooks for {self.name}")
