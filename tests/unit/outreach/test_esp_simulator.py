"""The ESP simulator speaks enough of Postmark's API for anymail, and posts tracking webhooks in
Postmark's payload format that anymail's own Postmark webhook parser understands."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from anymail.exceptions import AnymailAPIError
from anymail.signals import EventType
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.core.mail import EmailMessage, get_connection

from devtools.esp_simulator.server import serve
from outreach.esp import simulators
from outreach.esp._simulation import SimulatedApi, outbox_record
from tests.support import free_port, running_simulator, wait_until


@pytest.fixture
def simulator():
    with running_simulator("sim-token") as running:
        yield running


class Capture:
    """A tiny HTTP server standing in for Liaison's webhook endpoint."""

    def __init__(self) -> None:
        self.requests: list[tuple[str | None, dict]] = []
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                capture.requests.append((self.headers.get("Authorization"), json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/anymail/postmark/tracking/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def capture():
    server = Capture()
    yield server
    server.close()


def connection_to(url: str):
    return get_connection(
        "anymail.backends.postmark.EmailBackend", server_token="sim-token", api_url=url
    )


def parse(payload: dict):
    """What anymail's Postmark tracking webhook makes of a payload."""
    return PostmarkTrackingWebhookView(webhook_secret="u:p").esp_to_anymail_event(payload)


def test_anymail_postmark_backend_sends_through_the_simulator(simulator):
    url, outbox = simulator
    msg = EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"], connection=None)
    msg.connection = connection_to(url)
    msg.send()
    received = requests.get(url + "_sim/messages?fields=To,Subject", timeout=5).json()
    assert received == [{"To": "to@example.org", "Subject": "Hello"}]
    assert msg.anymail_status.message_id == outbox.messages[0]["MessageID"]


def test_wrong_server_token_is_refused(simulator):
    url, outbox = simulator
    conn = get_connection(
        "anymail.backends.postmark.EmailBackend", server_token="wrong", api_url=url
    )
    with pytest.raises(AnymailAPIError) as err:
        EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=conn).send()
    assert err.value.status_code == 401
    assert outbox.messages == []


def test_injected_429_is_reported_and_nothing_is_kept(simulator):
    url, outbox = simulator
    requests.post(url + "_sim/config", json={"rate_429": 1.0}, timeout=5)
    with pytest.raises(AnymailAPIError) as err:
        EmailMessage(
            "Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url)
        ).send()
    assert err.value.status_code == 429
    assert outbox.messages == []


def test_batch_endpoint_answers_each_message(simulator):
    url, outbox = simulator
    batch = [{"From": "f@example.org", "To": f"p{i}@example.org", "Subject": "s"} for i in range(3)]
    batch.append({"From": "f@example.org", "To": "", "Subject": "s"})
    answer = requests.post(
        url + "email/batch", json=batch, headers={"X-Postmark-Server-Token": "sim-token"}, timeout=5
    ).json()
    assert [a["ErrorCode"] for a in answer] == [0, 0, 0, 300]
    assert len(outbox.messages) == 3


def test_delivery_open_click_and_complaint_webhooks_parse_as_anymail_events(simulator, capture):
    url, _outbox = simulator
    requests.post(
        url + "_sim/config",
        json={
            "webhook_url": capture.url,
            "webhook_user": "hook",
            "webhook_password": "s3cret",
            "rate_open": 1,
            "rate_click": 1,
            "rate_complaint": 1,
        },
        timeout=5,
    )
    msg = EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url))
    msg.metadata = {"m": "42"}
    msg.send()
    wait_until(lambda: len(capture.requests) == 4, timeout=10, what="four webhooks")
    expected_auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()
    assert {auth for auth, _ in capture.requests} == {expected_auth}
    events = {parse(payload).event_type: parse(payload) for _, payload in capture.requests}
    assert set(events) == {
        EventType.DELIVERED,
        EventType.OPENED,
        EventType.CLICKED,
        EventType.COMPLAINED,
    }
    for event in events.values():
        assert event.message_id == msg.anymail_status.message_id
        assert event.recipient == "t@example.org"
        assert event.metadata == {"m": "42"}
        assert event.timestamp is not None
    assert events[EventType.CLICKED].click_url == "https://example.org/"
    assert events[EventType.COMPLAINED].event_id  # Postmark gives complaints an ID


def test_hard_bounce_webhook_replaces_the_delivery(simulator, capture):
    url, _outbox = simulator
    requests.post(
        url + "_sim/config", json={"webhook_url": capture.url, "rate_bounce": 1}, timeout=5
    )
    msg = EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url))
    msg.send()
    wait_until(lambda: capture.requests, timeout=10, what="a webhook")
    assert len(capture.requests) == 1
    event = parse(capture.requests[0][1])
    assert event.event_type == EventType.BOUNCED
    assert event.reject_reason == "bounced"
    assert event.event_id


def test_soft_bounce_webhook_is_followed_by_the_delivery_of_the_retry(simulator, capture):
    from outreach.services.tracking import failure_of

    url, _outbox = simulator
    requests.post(
        url + "_sim/config", json={"webhook_url": capture.url, "rate_soft_bounce": 1}, timeout=5
    )
    msg = EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url))
    msg.send()
    wait_until(lambda: len(capture.requests) == 2, timeout=10, what="two webhooks")
    events = {parse(payload).event_type: parse(payload) for _, payload in capture.requests}
    assert set(events) == {EventType.BOUNCED, EventType.DELIVERED}
    soft = events[EventType.BOUNCED]
    assert soft.esp_event["Type"] == "SoftBounce"
    assert soft.esp_event["Inactive"] is False
    assert failure_of("postmark", soft.event_type, soft.reject_reason, soft.esp_event).hard is False


@pytest.mark.parametrize(
    ("bounce_type", "event_type"),
    [
        ("Transient", EventType.DEFERRED),
        ("DnsError", EventType.DEFERRED),
        ("BadEmailAddress", EventType.REJECTED),
        ("Blocked", EventType.REJECTED),
    ],
)
def test_any_postmark_bounce_type_can_be_requested(simulator, capture, bounce_type, event_type):
    url, _outbox = simulator
    requests.post(url + "_sim/config", json={"webhook_url": capture.url}, timeout=5)
    msg = EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url))
    msg.send()
    wait_until(lambda: capture.requests, timeout=10, what="the delivery webhook")
    answer = requests.post(
        url + "_sim/events",
        json={
            "MessageID": msg.anymail_status.message_id,
            "RecordType": "Bounce",
            "Type": bounce_type,
        },
        timeout=5,
    )
    assert answer.status_code == 202
    wait_until(lambda: len(capture.requests) == 2, timeout=10, what="the requested webhook")
    event = parse(capture.requests[1][1])
    assert event.event_type == event_type
    assert event.esp_event["TypeCode"] != 0


def test_an_event_can_be_requested_for_a_received_message(simulator, capture):
    url, _outbox = simulator
    requests.post(url + "_sim/config", json={"webhook_url": capture.url}, timeout=5)
    msg = EmailMessage("Hi", "x", "f@example.org", ["t@example.org"], connection=connection_to(url))
    msg.send()
    wait_until(lambda: capture.requests, timeout=10, what="the delivery webhook")
    answer = requests.post(
        url + "_sim/events",
        json={"MessageID": msg.anymail_status.message_id, "RecordType": "SubscriptionChange"},
        timeout=5,
    )
    assert answer.status_code == 202
    wait_until(lambda: len(capture.requests) == 2, timeout=10, what="the requested webhook")
    assert parse(capture.requests[1][1]).event_type == EventType.UNSUBSCRIBED
    unknown = requests.post(url + "_sim/events", json={"MessageID": "nope"}, timeout=5)
    assert unknown.status_code == 404


def test_every_esp_module_with_a_simulator_is_served():
    apis = simulators()
    assert {"postmark", "resend"} <= set(apis)
    assert apis["postmark"].paths == ("/email", "/email/batch")


class ToySimulator(SimulatedApi):
    """A made-up ESP, written only as its module's ``Simulator`` would be: the server's common
    part (credentials first, faults, outbox, webhooks) serves it with nothing else."""

    name = "toy"
    paths = ("/v1/send",)

    def refuse(self, path, headers, server_token):
        if headers.get("X-Toy-Key") != server_token:
            return 403, {"problem": "bad key"}
        return None

    def error(self, status):
        return status, {"problem": f"toy {status}"}

    def receive(self, path, headers, body, outbox):
        record = outbox_record("toy", To=body["rcpt"], Subject=body["title"])
        return (202, {"toy_id": record["MessageID"]}), [record]

    def tracking_event(self, record, kind, **fields):
        return {"toy_event": kind, "toy_id": record["MessageID"]}

    def requested_event(self, record, fields):
        return {"toy_event": fields["what"], "toy_id": record["MessageID"]}


def test_a_new_esp_needs_only_its_simulator_class(capture):
    port = free_port()
    httpd, outbox = serve("127.0.0.1", port, server_token="k", apis={"toy": ToySimulator()})
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        send = {"rcpt": "to@example.org", "title": "Hi"}
        assert requests.post(url + "v1/send", json=send, timeout=5).status_code == 403
        outbox.configure(rate_500=1.0)
        failed = requests.post(url + "v1/send", json=send, headers={"X-Toy-Key": "k"}, timeout=5)
        assert (failed.status_code, failed.json()) == (500, {"problem": "toy 500"})
        outbox.configure(rate_500=0.0, webhook_url=capture.url, rate_open=1.0)
        answer = requests.post(url + "v1/send", json=send, headers={"X-Toy-Key": "k"}, timeout=5)
        assert answer.status_code == 202
        toy_id = answer.json()["toy_id"]
        assert [m["To"] for m in outbox.snapshot()] == ["to@example.org"]
        requests.post(url + "_sim/events", json={"MessageID": toy_id, "what": "x"}, timeout=5)
        wait_until(lambda: len(capture.requests) == 3, what="three toy webhooks")
        events = sorted(body["toy_event"] for _auth, body in capture.requests)
        assert events == ["delivered", "opened", "x"]
        assert "to@example.org" in requests.get(url, timeout=5).text  # the outbox page
    finally:
        httpd.shutdown()
        httpd.server_close()
        outbox.close()
