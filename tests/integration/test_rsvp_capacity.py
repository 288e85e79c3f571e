"""Capacity under concurrency: simultaneous accepts through the RSVP page, each request on its
own server thread and database connection, never oversell the event or a session."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.urls import reverse

from outreach.models import Registration, RegistrationStatus
from outreach.services.tokens import make_rsvp_token
from tests.factories import EventFactory, invited, make_contacts_in_bulk

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's (SQLite locks all)"
    ),
]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def server():
    """Django's threaded WSGI server (as the live server), with a listen queue deep enough
    for every request to arrive at once: one thread and one database connection each."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 256

    httpd = Server(("127.0.0.1", 0), Quiet)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def _post_all_at_once(urls: list[str], data: dict) -> list[int]:
    barrier = threading.Barrier(len(urls))

    def post(url: str) -> int:
        session = requests.Session()
        barrier.wait()
        return session.post(url, data=data, allow_redirects=False, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        return list(pool.map(post, urls))


def test_fifty_simultaneous_accepts_for_ten_places_confirm_exactly_ten(server):
    event = EventFactory(capacity=10)
    people = make_contacts_in_bulk(50, domain="capacity.example.org")
    urls = [
        server + reverse("outreach_rsvp", args=[make_rsvp_token("m", invited(event, p).public_id)])
        for p in people
    ]
    statuses = _post_all_at_once(urls, {"answer": "accept"})
    assert statuses == [302] * 50
    answers = Registration.objects.filter(event=event)
    assert answers.filter(status=RegistrationStatus.ACCEPTED).count() == 10
    assert answers.filter(status=RegistrationStatus.WAITLISTED).count() == 40


def test_a_session_is_never_overbooked_by_simultaneous_accepts(server):
    event = EventFactory(capacity=100)
    session = EventFactory(parent=event, kind="sub_forum", capacity=5)
    people = make_contacts_in_bulk(20, domain="session.example.org")
    urls = [
        server + reverse("outreach_rsvp", args=[make_rsvp_token("m", invited(event, p).public_id)])
        for p in people
    ]
    statuses = _post_all_at_once(urls, {"answer": "accept", "sessions": str(session.pk)})
    assert sorted(statuses) == [302] * 5 + [400] * 15  # the others are told the session is full
    taken = Registration.objects.filter(session_choices__session=session, status="accepted")
    assert taken.count() == 5
