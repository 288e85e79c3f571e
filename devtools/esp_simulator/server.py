"""A local stand-in for Postmark's email API, for development and tests.

It speaks the subset of the Postmark API that anymail's Postmark backend calls (``POST /email``,
``POST /email/batch``), keeps what it receives in memory (and, if asked, in a JSON-lines file),
and shows it on a page at ``/`` — the development outbox that ``make run`` links from the admin.

Faults can be injected for tests (latency, 429, 500, timeouts, closed connections) through
command-line flags or at run time with ``POST /_sim/config``.

Control and inspection endpoints (all JSON):
- ``GET  /_sim/messages``           every message received, oldest first
- ``GET  /_sim/stats``              counts
- ``POST /_sim/config``             change latency/fault settings
- ``POST /_sim/reset``              forget every message

It is not part of the production apps and imports nothing from Liaison.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FAULT_KEYS = ("rate_429", "rate_500", "rate_timeout", "rate_close")


class Outbox:
    """Everything the simulator has received, shared by the handler threads."""

    def __init__(self, journal: Path | None = None) -> None:
        self._lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.journal = journal
        self.config: dict[str, float] = {
            "latency_ms": 0.0,
            "timeout_seconds": 30.0,  # how long a "timeout" fault holds the answer back
            **dict.fromkeys(FAULT_KEYS, 0.0),
        }
        self.faults_injected = 0
        self.random = random.Random()

    def configure(self, **values: float) -> dict[str, float]:
        with self._lock:
            for key, value in values.items():
                if key == "seed":
                    self.random.seed(value)
                    continue
                if key not in self.config:
                    raise ValueError(f"unknown setting {key!r}")
                self.config[key] = float(value)
            return dict(self.config)

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

    def accept(self, payload: dict[str, Any]) -> dict[str, Any]:
        message_id = str(uuid.uuid4())
        record = {
            "MessageID": message_id,
            "ReceivedAt": datetime.now(UTC).isoformat(),
            "From": payload.get("From", ""),
            "To": payload.get("To", ""),
            "Cc": payload.get("Cc", ""),
            "Subject": payload.get("Subject", ""),
            "HtmlBody": payload.get("HtmlBody", ""),
            "TextBody": payload.get("TextBody", ""),
            "Headers": payload.get("Headers", []),
            "Metadata": payload.get("Metadata", {}),
            "Tag": payload.get("Tag", ""),
        }
        with self._lock:
            self.messages.append(record)
            if self.journal:
                with self.journal.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return {
            "To": record["To"],
            "SubmittedAt": record["ReceivedAt"],
            "MessageID": message_id,
            "ErrorCode": 0,
            "Message": "OK",
        }

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.faults_injected = 0

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
            if self.path.startswith("/_sim/messages"):
                self._json(200, outbox.snapshot())
            elif self.path.startswith("/_sim/stats"):
                self._json(
                    200,
                    {"received": len(outbox.snapshot()), "faults_injected": outbox.faults_injected},
                )
            elif self.path in ("/", "/index.html"):
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
                result: Any = [outbox.accept(item) for item in body]
            else:
                if not isinstance(body, dict) or not body.get("To"):
                    self._json(422, {"ErrorCode": 300, "Message": "Invalid 'To' address."})
                    return
                result = outbox.accept(body)
            if fault == "timeout":
                # Accepted, but the answer never comes back in time: the sender cannot know.
                time.sleep(outbox.config["timeout_seconds"])
            self._json(200, result)

    return Handler


def render_outbox(messages: list[dict[str, Any]]) -> str:
    rows = []
    for m in reversed(messages[-500:]):
        preview = m["TextBody"] or m["HtmlBody"]
        rows.append(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><details><summary>{}</summary>"
            "<pre>{}</pre></details></td></tr>".format(
                html.escape(m["ReceivedAt"][:19].replace("T", " ")),
                html.escape(m["From"]),
                html.escape(m["To"]),
                html.escape(m["Subject"]),
                html.escape(preview),
            )
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Liaison outbox (development)</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;"
        "width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;"
        "vertical-align:top}pre{white-space:pre-wrap}</style></head><body>"
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
    **config: float,
) -> tuple[ThreadingHTTPServer, Outbox]:
    outbox = Outbox(journal)
    outbox.configure(**config)
    httpd = ThreadingHTTPServer((host, port), make_handler(outbox, server_token))
    httpd.daemon_threads = True
    return httpd, outbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--server-token", default=None, help="require this X-Postmark-Server-Token")
    parser.add_argument("--journal", type=Path, default=None, help="append messages to this file")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    for key in FAULT_KEYS:
        parser.add_argument(f"--{key.replace('_', '-')}", type=float, default=0.0)
    args = parser.parse_args(argv)
    httpd, _outbox = serve(
        args.host,
        args.port,
        server_token=args.server_token,
        journal=args.journal,
        latency_ms=args.latency_ms,
        **{k: getattr(args, k) for k in FAULT_KEYS},
    )
    print(f"ESP simulator (Postmark API) on http://{args.host}:{args.port}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
