"""The development outbox (devtools/esp_simulator): decoded headers, the HTML part, messages kept
across restarts, tracking webhooks that move the funnel."""

from __future__ import annotations

import json
import threading
from email.header import Header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from devtools.esp_simulator.server import Outbox, serve
from tests.support import free_port

TOKEN = "development"


def _post(url: str, **payload) -> str:
    answer = requests.post(
        f"{url}email",
        json={"From": "a@example.org", "To": "b@example.org", "Subject": "Hi", **payload},
        headers={"X-Postmark-Server-Token": TOKEN},
        timeout=5,
    )
    assert answer.status_code == 200
    return answer.json()["MessageID"]


def _running(journal=None, **config):
    port = free_port()
    httpd, outbox = serve("127.0.0.1", port, server_token=TOKEN, journal=journal, **config)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}/", httpd, outbox


def _stop(httpd, outbox):
    httpd.shutdown()
    httpd.server_close()
    outbox.close()


def test_a_message_page_shows_decoded_headers_and_the_html_part(tmp_path):
    url, httpd, outbox = _running()
    try:
        sender = f"{Header('宁波国际会展', 'utf-8').encode()} <invitations@example.org>"
        message_id = _post(
            url,
            From=sender,
            Subject=Header("邀请函", "utf-8").encode(),
            HtmlBody="<p style='color:#7a1f2b'>尊敬的王伟教授：</p>",
            TextBody="尊敬的王伟教授：",
            Headers=[{"Name": "List-Unsubscribe", "Value": "<https://x.example/u/t/>"}],
        )
        listing = requests.get(url, timeout=5).text
        assert "宁波国际会展 &lt;invitations@example.org&gt;" in listing
        assert f"/message/{message_id}" in listing
        page = requests.get(f"{url}message/{message_id}", timeout=5).text
        assert "<h1>邀请函</h1>" in page
        assert "List-Unsubscribe" in page
        assert f"<iframe title='HTML part' sandbox src='/html/{message_id}'>" in page
        assert "尊敬的王伟教授：" in page  # the text part
        part = requests.get(f"{url}html/{message_id}", timeout=5)
        assert part.text == "<p style='color:#7a1f2b'>尊敬的王伟教授：</p>"
        assert requests.get(f"{url}message/unknown", timeout=5).status_code == 404
    finally:
        _stop(httpd, outbox)


def test_messages_survive_a_restart_of_the_outbox(tmp_path):
    journal = tmp_path / "outbox.jsonl"
    url, httpd, outbox = _running(journal)
    try:
        first = _post(url, Subject="Before the restart")
    finally:
        _stop(httpd, outbox)
    with journal.open("a") as fh:
        fh.write('{"MessageID": "cut')  # a line cut by a crash is skipped
    url, httpd, outbox = _running(journal)
    try:
        second = _post(url, Subject="After the restart")
        assert [m["MessageID"] for m in outbox.snapshot()] == [first, second]
        assert "Before the restart" in requests.get(url, timeout=5).text
    finally:
        _stop(httpd, outbox)
    assert len(Outbox(journal).snapshot()) == 2


def test_accepted_messages_post_delivery_open_and_click_webhooks_with_basic_auth():
    received = []
    hook_port = free_port()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("Authorization"), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    hook = ThreadingHTTPServer(("127.0.0.1", hook_port), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    url, httpd, outbox = _running(
        webhook_url=f"http://127.0.0.1:{hook_port}/anymail/postmark/tracking/",
        webhook_user="outbox",
        webhook_password="secret",
        rate_open=1.0,
        rate_click=1.0,
    )
    try:
        _post(url)
        outbox.poster.queue.join()  # every queued webhook posted
        kinds = sorted(json.loads(body)["RecordType"] for _auth, body in received)
        assert kinds == ["Click", "Delivery", "Open"]
        assert all(auth and auth.startswith("Basic ") for auth, _body in received)
    finally:
        _stop(httpd, outbox)
        hook.shutdown()
        hook.server_close()
