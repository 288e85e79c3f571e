"""A local stand-in for the ESPs' email APIs, for development and tests.

One HTTP server plays every ESP that has a ``Simulator`` in its module ``outreach/esp/<esp>.py``
(today Postmark: ``POST /email``, ``POST /email/batch``; Resend: ``POST /emails``, ``POST
/emails/batch`` with its idempotency keys): it keeps what it receives in memory (and, if asked,
in a JSON-lines file) and shows it on a page at ``/`` — the development outbox that ``make run``
links from the admin. What is particular to one ESP (paths, credentials, error answers, how a
send request is read and answered, idempotency, the webhook payloads) is in that ESP's module
(``outreach/esp/_simulation.py`` says what it provides); what is the same for all is here.

Faults can be injected for tests (latency, 429, 500, timeouts, closed connections) through
command-line flags or at run time with ``POST /_sim/config``; they apply to every ESP's API. A
"timeout" fault accepts the request and then holds the answer back (``timeout_seconds``): the
sender cannot know the message was taken — the case idempotency keys exist for.

Tracking webhooks (for ESPs whose simulator writes them: Postmark): when ``webhook_url`` is
configured, every accepted message gets the events its ESP would post — delivered, or a hard
bounce, or a soft bounce followed by the delivery of the ESP's retry, then maybe a complaint, an
open and a click — in the ESP's own payload format, sent with HTTP basic auth
(``webhook_user``/``webhook_password``) by a small pool of background threads. The rates are
configurable (``rate_bounce``, ``rate_soft_bounce``, ``rate_complaint``, ``rate_open``,
``rate_click``); an event can also be asked for explicitly with ``POST /_sim/events``, in the
ESP's terms (Postmark: ``{"MessageID": …, "RecordType": "Bounce", "Type": "SoftBounce"}``).

Control and inspection endpoints (all JSON):
- ``GET  /_sim/messages``           every message received, oldest first
                                     (``?fields=To,Metadata`` keeps only those fields)
- ``GET  /_sim/stats``              counts (received, faults, webhooks posted/failed/pending)
- ``POST /_sim/config``             change latency/fault/webhook settings
- ``POST /_sim/events``             post a webhook now: {"MessageID", ...the ESP's fields}
- ``POST /_sim/reset``              forget every message

It imports no Django code: only the ESP modules (``outreach.esp``), which need no settings.
"""

from __future__ import annotations

import argparse
import html
import json
import queue
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from outreach.esp import simulators
from outreach.esp._simulation import SimulatedApi

FAULT_KEYS = ("rate_429", "rate_500", "rate_timeout", "rate_close")
EVENT_KEYS = ("rate_bounce", "rate_soft_bounce", "rate_complaint", "rate_open", "rate_click")
WEBHOOK_THREADS = 8


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

    def store(self, record: dict[str, Any]) -> None:
        with self._lock:
            self.messages.append(record)
            self.by_id[record["MessageID"]] = record
            if self._journal_fh:
                self._journal_fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._journal_fh.flush()

    # --- idempotency keys (an ESP that honours them: Resend) -------------------------------
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

    def schedule_events(self, api: SimulatedApi, record: dict[str, Any]) -> None:
        """Draw this message's fate and queue the webhooks its ESP would post for it."""
        if not self.webhook.get("webhook_url"):
            return
        cfg, rnd = self.config, self.random
        kinds = []
        if rnd.random() < cfg["rate_bounce"]:
            kinds.append("bounced")
        else:
            if rnd.random() < cfg["rate_soft_bounce"]:
                # A temporary failure; the ESP retries and the retry gets through.
                kinds.append("soft_bounced")
            kinds.append("delivered")
            if rnd.random() < cfg["rate_open"]:
                kinds.append("opened")
                if rnd.random() < cfg["rate_click"]:
                    kinds.append("clicked")
            if rnd.random() < cfg["rate_complaint"]:
                kinds.append("complained")
        for kind in kinds:
            event = api.tracking_event(record, kind)
            if event is None:
                return  # the simulator posts no webhooks for this ESP
            self.poster.submit(event)

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


def make_handler(outbox: Outbox, server_token: str | None, apis: dict[str, SimulatedApi]):
    routes = {path: api for api in apis.values() for path in api.paths}

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
                self._json(404, {"error": "Not found"})

        def do_POST(self) -> None:
            path = urlsplit(self.path).path.rstrip("/")
            api = routes.get(path)
            if api is not None:
                self._send_api(api, path)
                return
            try:
                body = self._body()
            except (ValueError, UnicodeDecodeError):
                self._json(400, {"error": "Invalid JSON"})
                return
            if path == "/_sim/config":
                try:
                    self._json(200, outbox.configure(**(body or {})))
                except (TypeError, ValueError) as exc:
                    self._json(400, {"error": str(exc)})
            elif path == "/_sim/reset":
                outbox.reset()
                self._json(200, {"ok": True})
            elif path == "/_sim/events":
                self._requested_event(body)
            else:
                self._json(404, {"error": "Not found"})

        def _send_api(self, api: SimulatedApi, path: str) -> None:
            """One request to an ESP's send API: what is the same for every ESP (order of
            checks, latency, faults, storing, webhooks) around what its module says."""
            refused = api.refuse(path, self.headers, server_token)
            if refused is not None:
                self._json(*refused)
                return
            try:
                body = self._body()
            except (ValueError, UnicodeDecodeError):
                self._json(*api.error(422))
                return
            latency = outbox.config["latency_ms"]
            if latency:
                time.sleep(latency / 1000)
            fault = outbox.draw_fault()
            if fault in ("429", "500"):
                self._json(*api.error(int(fault)))
                return
            if fault == "close":
                # The connection drops before the request is accepted: nothing was sent.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            (status, answer), records = api.receive(path, self.headers, body, outbox)
            for record in records:
                outbox.store(record)
            if fault == "timeout" and status == 200:
                # Accepted, but the answer never comes back in time: the sender cannot know.
                time.sleep(outbox.config["timeout_seconds"])
            self._json(status, answer)
            for record in records:
                outbox.schedule_events(api, record)

        def _requested_event(self, body: Any) -> None:
            if not isinstance(body, dict) or body.get("MessageID") not in outbox.by_id:
                self._json(404, {"error": "unknown MessageID"})
                return
            if not outbox.webhook.get("webhook_url"):
                self._json(409, {"error": "no webhook_url configured"})
                return
            fields = dict(body)
            record = outbox.by_id[fields.pop("MessageID")]
            api = apis.get(record.get("Api", ""))
            try:
                if api is None:
                    raise ValueError(f"no simulator for {record.get('Api')!r}")
                event = api.requested_event(record, fields)
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
    apis: dict[str, SimulatedApi] | None = None,
    **config: Any,
) -> tuple[ThreadingHTTPServer, Outbox]:
    """The simulator on ``host:port`` (not yet serving), for every ESP module's ``Simulator``
    (or the given ``apis``, by ESP name)."""
    outbox = Outbox(journal)
    outbox.configure(**config)
    apis = simulators() if apis is None else apis
    httpd = SimulatorHTTPServer((host, port), make_handler(outbox, server_token, apis))
    return httpd, outbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument(
        "--server-token",
        default=None,
        help="require this credential (Postmark: X-Postmark-Server-Token; Resend: Bearer key)",
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
    names = ", ".join(sorted(simulators()))
    print(f"ESP simulator ({names}) on http://{args.host}:{args.port}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        _outbox.close()


if __name__ == "__main__":
    main()
